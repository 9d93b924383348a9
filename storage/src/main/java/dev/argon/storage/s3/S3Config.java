package dev.argon.storage.s3;

import dev.argon.storage.object.RetryPolicy;
import java.net.URI;
import java.util.Map;

/**
 * Where and how to reach an S3 (or S3-compatible: MinIO, Ceph, R2, S3Proxy) bucket.
 *
 * @param bucket             the bucket's name
 * @param prefix             a key prefix inside the bucket, without leading or trailing {@code /}, or empty;
 *                           object keys are stored as {@code prefix/key}
 * @param endpoint           the service's URL, or null for AWS's own endpoint of the region; see
 *                           {@link #resolveEndpoint(Map)}
 * @param region             the region, or null for the standard AWS chain ({@code AWS_REGION}, profiles),
 *                           else {@code us-east-1} when an endpoint is set (S3-compatible servers ignore it)
 * @param accessKeyId        the access key, or null for the standard AWS credential chain
 *                           ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, profiles, instance roles)
 * @param secretAccessKey    the secret key belonging to {@code accessKeyId}
 * @param pathStyle          address the bucket as {@code endpoint/bucket} rather than {@code bucket.endpoint};
 *                           needed by most S3-compatible servers
 * @param multipartThreshold uploads larger than this many bytes go as a multipart upload
 * @param partSize           bytes per part of a multipart upload, at least 5 MiB (S3's minimum) and held in
 *                           memory one at a time
 * @param retry              how transient failures of each request are retried
 */
public record S3Config(String bucket, String prefix, URI endpoint, String region, String accessKeyId,
                       String secretAccessKey, boolean pathStyle, long multipartThreshold, int partSize,
                       RetryPolicy retry) {

    /** S3 refuses parts below 5 MiB except the last one. */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

    /**
     * 16 MiB: below it one PUT is cheaper than the three extra requests of a multipart upload; above it a
     * failed part is retried alone instead of the whole object.
     */
    public static final long DEFAULT_MULTIPART_THRESHOLD = 16L * 1024 * 1024;

    /** 8 MiB parts: the AWS SDK's own default, bounded memory per upload. */
    public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;

    public S3Config {
        if (bucket == null || bucket.isEmpty()) {
            throw new IllegalArgumentException("an S3 location needs a bucket");
        }
        prefix = prefix == null ? "" : stripSlashes(prefix);
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("S3 part size " + partSize + " is below S3's minimum of " + MIN_PART_SIZE);
        }
        if (multipartThreshold < partSize) {
            throw new IllegalArgumentException("S3 multipart threshold " + multipartThreshold + " is below the part size " + partSize);
        }
        if ((accessKeyId == null) != (secretAccessKey == null)) {
            throw new IllegalArgumentException("give both an S3 access key id and a secret access key, or neither");
        }
        if (retry == null) {
            retry = RetryPolicy.DEFAULT;
        }
    }

    /** {@code s3://bucket[/prefix]} with every other setting at its default (standard chains, path style). */
    public static S3Config of(URI url) {
        if (!"s3".equalsIgnoreCase(url.getScheme()) || url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException("not an s3://bucket/prefix URL: " + url);
        }
        String path = url.getPath() == null ? "" : url.getPath();
        return new S3Config(url.getHost(), path, null, null, null, null, true, DEFAULT_MULTIPART_THRESHOLD,
                DEFAULT_PART_SIZE, RetryPolicy.DEFAULT);
    }

    public S3Config withEndpoint(URI endpoint) {
        return new S3Config(bucket, prefix, endpoint, region, accessKeyId, secretAccessKey, pathStyle,
                multipartThreshold, partSize, retry);
    }

    public S3Config withRegion(String region) {
        return new S3Config(bucket, prefix, endpoint, region, accessKeyId, secretAccessKey, pathStyle,
                multipartThreshold, partSize, retry);
    }

    public S3Config withCredentials(String accessKeyId, String secretAccessKey) {
        return new S3Config(bucket, prefix, endpoint, region, accessKeyId, secretAccessKey, pathStyle,
                multipartThreshold, partSize, retry);
    }

    public S3Config withMultipart(long multipartThreshold, int partSize) {
        return new S3Config(bucket, prefix, endpoint, region, accessKeyId, secretAccessKey, pathStyle,
                multipartThreshold, partSize, retry);
    }

    public S3Config withRetry(RetryPolicy retry) {
        return new S3Config(bucket, prefix, endpoint, region, accessKeyId, secretAccessKey, pathStyle,
                multipartThreshold, partSize, retry);
    }

    /**
     * The endpoint to use: the explicit one (a command's {@code --endpoint}), else the environment's
     * {@code AWS_ENDPOINT_URL_S3}, else {@code AWS_ENDPOINT_URL} (the AWS tools' standard variables), else null.
     */
    public URI resolveEndpoint(Map<String, String> env) {
        if (endpoint != null) {
            return endpoint;
        }
        for (String name : new String[] {"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"}) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return URI.create(value.trim());
            }
        }
        return null;
    }

    /** The location as a user writes it: {@code s3://bucket/prefix}. */
    public String describe() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    private static String stripSlashes(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == '/') {
            from++;
        }
        while (to > from && s.charAt(to - 1) == '/') {
            to--;
        }
        return s.substring(from, to);
    }
}
