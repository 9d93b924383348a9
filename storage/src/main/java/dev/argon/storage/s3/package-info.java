/**
 * The S3 object store ({@link dev.argon.storage.s3.S3ObjectStore}, configured by
 * {@link dev.argon.storage.s3.S3Config}): any S3-compatible service, reached with path-style URLs, an endpoint
 * from the command's option or {@code AWS_ENDPOINT_URL(_S3)}, region and credentials from the standard AWS
 * chains or explicit values. The AWS SDK is used only in this package, over the JDK's HTTP client
 * ({@code url-connection-client}; no Apache or Netty transport).
 *
 * <p>Failures map to {@link dev.argon.storage.object.ObjectStoreException} kinds: 404 → not found, 401/403 →
 * access denied, 408/429/5xx/throttling and client-side I/O → transient (retried per request), anything else
 * permanent. The store is thread-safe. It is tested against S3Proxy on a loopback port, a real S3 API server.
 */
package dev.argon.storage.s3;
