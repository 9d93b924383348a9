package dev.argon.storage.s3;

import dev.argon.storage.object.ObjectInfo;
import dev.argon.storage.object.ObjectKeys;
import dev.argon.storage.object.ObjectStore;
import dev.argon.storage.object.ObjectStoreException;
import dev.argon.storage.object.ObjectStoreException.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An object store in an S3 bucket under a key prefix, through AWS SDK v2 over the JDK's HTTP client.
 *
 * <p>Each HTTP request is retried by the config's {@link dev.argon.storage.object.RetryPolicy} when it fails
 * transiently (connection errors, timeouts, 5xx, throttling), never when it fails permanently (404, 403, bad
 * request); the SDK's own retries are off so that one policy decides. Uploads above the multipart threshold
 * go in parts, each part read into memory (one at a time) and retried alone; a failed multipart upload is
 * aborted and, since S3 shows an object only when its upload completes, leaves nothing visible.
 * {@link #putIfAbsent} is a PUT with {@code If-None-Match: *}.
 *
 * <p>Thread-safe (the SDK client is).
 */
public final class S3ObjectStore implements ObjectStore {

    private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStore.class);

    private final S3Config config;
    private final S3Client s3;
    private final String bucket;
    private final String keyPrefix;

    /** Connects with the endpoint from {@code config} or the process's environment. */
    public S3ObjectStore(S3Config config) {
        this(config, System.getenv(), UrlConnectionHttpClient.create());
    }

    /** For tests: a given environment and HTTP client (a fault-injecting one, say). */
    S3ObjectStore(S3Config config, Map<String, String> env, SdkHttpClient http) {
        this.config = config;
        this.bucket = config.bucket();
        this.keyPrefix = config.prefix().isEmpty() ? "" : config.prefix() + "/";
        URI endpoint = config.resolveEndpoint(env);
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(http)
                .region(region(config, endpoint))
                .credentialsProvider(credentials(config))
                .forcePathStyle(config.pathStyle())
                // Checksums only where S3 demands them: S3-compatible servers differ in which of the newer
                // flexible checksums (and aws-chunked trailers) they accept. The segment format checks its own.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // No "Expect: 100-continue": the JDK's HttpURLConnection handles it poorly (a PUT's body write then
                // fails as "Error writing request body to server" although the server answered), and our bodies
                // are at most one part, so sending one that is refused costs little.
                .serviceConfiguration(S3Configuration.builder().expectContinueEnabled(false).build())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        try {
            this.s3 = builder.build();
        } catch (SdkException e) {
            throw new ObjectStoreException(Kind.INVALID_ARGUMENT, null,
                    "cannot set up the S3 client for " + config.describe() + ": " + e.getMessage(), e);
        }
    }

    private static Region region(S3Config config, URI endpoint) {
        if (config.region() != null) {
            return Region.of(config.region());
        }
        // With an endpoint of its own (an S3-compatible server) the region is only a signing parameter: take
        // it from AWS_REGION or a profile, but never ask the EC2 instance metadata service, which outside AWS
        // costs a network timeout.
        AwsRegionProviderChain chain = endpoint != null
                ? new AwsRegionProviderChain(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider())
                : new DefaultAwsRegionProviderChain();
        try {
            return chain.getRegion();
        } catch (SdkClientException none) {
            if (endpoint != null) {
                return Region.US_EAST_1; // S3-compatible servers ignore the region but the signature needs one
            }
            throw new ObjectStoreException(Kind.INVALID_ARGUMENT, null, "no AWS region for " + config.describe()
                    + ": set AWS_REGION, a profile's region or the region option", none);
        }
    }

    private static AwsCredentialsProvider credentials(S3Config config) {
        if (config.accessKeyId() != null) {
            return StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(config.accessKeyId(), config.secretAccessKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    /** Creates the bucket if it does not exist (and the credentials allow it), else leaves it as is. */
    public void ensureBucket() {
        boolean exists = request(null, "check bucket " + bucket, () -> {
            try {
                s3.headBucket(b -> b.bucket(bucket));
                return true;
            } catch (SdkServiceException e) {
                if (e.statusCode() == 404) {
                    return false;
                }
                throw e;
            }
        });
        if (!exists) {
            request(null, "create bucket " + bucket, () -> {
                try {
                    s3.createBucket(b -> b.bucket(bucket));
                } catch (AwsServiceException e) {
                    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
                    if (!"BucketAlreadyOwnedByYou".equals(code)) {
                        throw e;
                    }
                }
                return null;
            });
        }
    }

    @Override
    public void put(String key, byte[] data) {
        String full = full(key);
        if (data.length > config.multipartThreshold()) {
            multipart(key, full, new ByteArrayInputStream(data), data.length);
            return;
        }
        request(key, "put " + key, () -> s3.putObject(b -> b.bucket(bucket).key(full), RequestBody.fromBytes(data)));
    }

    @Override
    public void put(String key, Path file) {
        String full = full(key);
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new ObjectStoreException(Kind.FAILED, key, "cannot read " + file + " to store it as " + key + ": " + e, e);
        }
        if (size > config.multipartThreshold()) {
            try (InputStream in = Files.newInputStream(file)) {
                multipart(key, full, in, size);
            } catch (IOException e) {
                throw new ObjectStoreException(Kind.FAILED, key, "cannot read " + file + ": " + e, e);
            }
            return;
        }
        request(key, "put " + key, () -> s3.putObject(b -> b.bucket(bucket).key(full), RequestBody.fromFile(file)));
    }

    @Override
    public void put(String key, InputStream data, long length) {
        String full = full(key);
        if (length > config.multipartThreshold()) {
            multipart(key, full, data, length);
            return;
        }
        byte[] bytes = readPart(key, data, (int) length, length, 0);
        request(key, "put " + key, () -> s3.putObject(b -> b.bucket(bucket).key(full), RequestBody.fromBytes(bytes)));
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        String full = full(key);
        // An attempt whose reply was lost (a reset after the server stored the object) makes the retry see
        // 412; then the object holds either our bytes (we won) or another writer's.
        boolean[] failedInTransit = {false};
        return config.retry().run("create " + key + " in " + config.describe(), () -> {
            try {
                s3.putObject(b -> b.bucket(bucket).key(full).ifNoneMatch("*"), RequestBody.fromBytes(data));
                return true;
            } catch (SdkServiceException e) {
                if (e.statusCode() == 412) {
                    return failedInTransit[0] && Arrays.equals(get(key), data);
                }
                ObjectStoreException classified = classify(key, "create " + key, e);
                failedInTransit[0] |= !classified.isPermanent();
                throw classified;
            } catch (SdkException e) {
                ObjectStoreException classified = classify(key, "create " + key, e);
                failedInTransit[0] |= !classified.isPermanent();
                throw classified;
            }
        });
    }

    /**
     * Uploads {@code length} bytes in parts; on any failure the upload is aborted, so no object (and, as far as
     * the abort gets through, no stored part) remains.
     */
    private void multipart(String key, String full, InputStream in, long length) {
        String uploadId = request(key, "start upload of " + key,
                () -> s3.createMultipartUpload(b -> b.bucket(bucket).key(full)).uploadId());
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long done = 0;
            for (int number = 1; done < length; number++) {
                int size = (int) Math.min(config.partSize(), length - done);
                byte[] part = readPart(key, in, size, length, done);
                int partNumber = number;
                String etag = request(key, "upload part " + partNumber + " of " + key,
                        () -> s3.uploadPart(b -> b.bucket(bucket).key(full).uploadId(uploadId).partNumber(partNumber),
                                RequestBody.fromBytes(part)).eTag());
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
                done += size;
            }
            request(key, "complete upload of " + key, () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(full)
                    .uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
        } catch (RuntimeException | Error e) {
            // Whatever stopped the upload (a failed part, a source that failed or ended early), the parts stored so far
            // stay billed, and listed by ListMultipartUploads, until the upload is aborted.
            try {
                request(key, "abort upload of " + key,
                        () -> s3.abortMultipartUpload(b -> b.bucket(bucket).key(full).uploadId(uploadId)));
            } catch (RuntimeException abortFailed) {
                // The parts stay invisible; a bucket lifecycle rule or GC of uploads removes them.
                LOG.warn("could not abort the failed upload {} of {}: {}", uploadId, key, abortFailed.getMessage());
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }

    private static byte[] readPart(String key, InputStream in, int size, long total, long done) {
        byte[] buf = new byte[size];
        int got = 0;
        try {
            while (got < size) {
                int n = in.read(buf, got, size - got);
                if (n < 0) {
                    throw new ObjectStoreException(Kind.INVALID_ARGUMENT, key,
                            "the data to store as " + key + " ended after " + (done + got) + " of " + total + " bytes");
                }
                got += n;
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ObjectStoreException(Kind.FAILED, key, "reading the data to store as " + key + " failed: " + e, e);
        }
        return buf;
    }

    @Override
    public byte[] get(String key) {
        String full = full(key);
        return request(key, "get " + key, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(full)).asByteArray());
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        String full = full(key);
        if (offset < 0 || length < 0) {
            throw new ObjectStoreException(Kind.INVALID_ARGUMENT, key,
                    "invalid range of " + key + ": offset " + offset + ", length " + length);
        }
        if (length == 0) {
            if (head(key).isEmpty()) {
                throw notFound(key);
            }
            return new byte[0];
        }
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        return request(key, "get " + key + " " + range, () -> {
            try {
                byte[] got = s3.getObjectAsBytes(b -> b.bucket(bucket).key(full).range(range)).asByteArray();
                if (got.length > length) {
                    // A server that ignores Range answers 200 with the whole object: cut the range out of it.
                    return offset >= got.length ? new byte[0]
                            : Arrays.copyOfRange(got, (int) offset, (int) Math.min(got.length, offset + length));
                }
                return got;
            } catch (SdkServiceException e) {
                if (e.statusCode() == 416) {
                    return new byte[0]; // the range starts at or past the end (404 would say the object is absent)
                }
                throw e;
            }
        });
    }

    @Override
    public Optional<ObjectInfo> head(String key) {
        String full = full(key);
        return request(key, "head " + key, () -> {
            try {
                var h = s3.headObject(b -> b.bucket(bucket).key(full));
                return Optional.of(new ObjectInfo(key, h.contentLength(), h.lastModified() == null ? 0 : h.lastModified().toEpochMilli()));
            } catch (SdkServiceException e) {
                if (e.statusCode() == 404 && !isNoSuchBucket(e)) {
                    return Optional.<ObjectInfo>empty();
                }
                throw e;
            }
        });
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        ObjectKeys.checkPrefix(prefix);
        String full = keyPrefix + prefix;
        List<ObjectInfo> out = new ArrayList<>();
        String token = null;
        do {
            String page = token;
            ListObjectsV2Response response = request(null, "list " + prefix, () -> s3.listObjectsV2(b -> {
                b.bucket(bucket).prefix(full);
                if (page != null) {
                    b.continuationToken(page);
                }
            }));
            for (S3Object o : response.contents()) {
                out.add(new ObjectInfo(o.key().substring(keyPrefix.length()), o.size(),
                        o.lastModified() == null ? 0 : o.lastModified().toEpochMilli()));
            }
            token = Boolean.TRUE.equals(response.isTruncated()) ? response.nextContinuationToken() : null;
        } while (token != null);
        out.sort(Comparator.comparing(ObjectInfo::key)); // S3 sorts by UTF-8 bytes, the other stores by String
        return out;
    }

    @Override
    public void delete(String key) {
        String full = full(key);
        request(key, "delete " + key, () -> s3.deleteObject(b -> b.bucket(bucket).key(full)));
    }

    @Override
    public String describe() {
        return config.describe();
    }

    @Override
    public void close() {
        s3.close();
    }

    private String full(String key) {
        return keyPrefix + ObjectKeys.check(key);
    }

    /** One HTTP request, retried by the policy when it fails transiently; SDK errors become ObjectStoreExceptions. */
    private <T> T request(String key, String what, java.util.function.Supplier<T> call) {
        return config.retry().run(what + " in " + config.describe(), () -> {
            try {
                return call.get();
            } catch (SdkException e) {
                throw classify(key, what, e);
            }
        });
    }

    private ObjectStoreException classify(String key, String what, SdkException e) {
        String where = what + " in " + config.describe();
        if (e instanceof SdkServiceException se) {
            int status = se.statusCode();
            String code = se instanceof AwsServiceException ae && ae.awsErrorDetails() != null
                    ? ae.awsErrorDetails().errorCode() : null;
            String detail = " (HTTP " + status + (code == null ? "" : " " + code) + ")";
            if (isNoSuchBucket(se)) {
                return new ObjectStoreException(Kind.NOT_FOUND, key, where + ": no bucket " + bucket + detail, e);
            }
            if (status == 404) {
                return new ObjectStoreException(Kind.NOT_FOUND, key, "no object " + key + " in " + config.describe(), e);
            }
            if (status == 401 || status == 403) {
                return new ObjectStoreException(Kind.ACCESS_DENIED, key, where + ": access denied" + detail
                        + "; check the credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, profile) and the bucket's policy", e);
            }
            if (status == 408 || status == 429 || status >= 500 || se.isThrottlingException()
                    || "SlowDown".equals(code) || "RequestTimeout".equals(code)
                    || "OperationAborted".equals(code) || "ConditionalRequestConflict".equals(code)) {
                return new ObjectStoreException(Kind.TRANSIENT, key, where + " failed" + detail, e);
            }
            if (status == 400) {
                return new ObjectStoreException(Kind.INVALID_ARGUMENT, key, where + " was refused" + detail + ": " + se.getMessage(), e);
            }
            return new ObjectStoreException(Kind.FAILED, key, where + " failed" + detail + ": " + se.getMessage(), e);
        }
        if (transientClientError(e)) {
            // Client side: connection refused or reset, timeouts, a response cut short. Worth another try.
            return new ObjectStoreException(Kind.TRANSIENT, key, where + " failed: " + e.getMessage(), e);
        }
        // Client side, not the network: no credentials found, a request that cannot be built. Trying again cannot help.
        return new ObjectStoreException(Kind.FAILED, key, where + " failed: " + e.getMessage(), e);
    }

    /**
     * Whether a client-side failure may pass if tried again: the SDK says so, it timed out, or an I/O error (a
     * connection refused, reset or cut short) lies under it.
     */
    static boolean transientClientError(SdkException e) {
        if (e.retryable() || e instanceof software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException
                || e instanceof software.amazon.awssdk.core.exception.ApiCallTimeoutException) {
            return true;
        }
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof IOException || c instanceof java.io.UncheckedIOException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNoSuchBucket(SdkServiceException e) {
        return e instanceof AwsServiceException ae && ae.awsErrorDetails() != null
                && "NoSuchBucket".equals(ae.awsErrorDetails().errorCode());
    }

    private ObjectStoreException notFound(String key) {
        return new ObjectStoreException(Kind.NOT_FOUND, key, "no object " + key + " in " + config.describe());
    }
}
