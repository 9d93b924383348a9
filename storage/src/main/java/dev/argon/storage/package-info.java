/**
 * Object storage: where immutable, zstd-compressed segments of compacted history live (a local folder or
 * an S3-compatible bucket). This module knows bytes, not documents or branches.
 *
 * <ul>
 *   <li>{@code dev.argon.storage.object}: the object store SPI, its local-folder and in-memory
 *       implementations, errors that say whether they are permanent, and retries;</li>
 *   <li>{@code dev.argon.storage.s3}: the S3 store (the only place the AWS SDK is used);</li>
 *   <li>{@code dev.argon.storage.segment}: the segment file format, its writer and reader;</li>
 *   <li>{@code dev.argon.storage.manifest}: the archive manifest naming an archive's segments, and its
 *       publishing order (segments first, manifest last).</li>
 * </ul>
 */
package dev.argon.storage;
