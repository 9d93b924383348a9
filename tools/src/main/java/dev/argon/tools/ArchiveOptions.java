package dev.argon.tools;

import dev.argon.wal.archive.ArchiveLocation;
import java.nio.file.Path;
import java.util.Map;
import org.bson.Document;
import picocli.CommandLine.Option;

/**
 * S3 settings shared by {@code backup}, {@code restore} and {@code clone}: flags first, else this process's
 * environment ({@code AWS_ENDPOINT_URL[_S3]}, {@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY}), else the AWS SDK's own chain (profiles) where the store is opened. A plain path
 * is taken as a folder archive ({@code file://} of its absolute path).
 */
public final class ArchiveOptions {
    @Option(names = "--endpoint", description = "S3 endpoint URL (MinIO, Ceph, R2, S3Proxy); default: AWS_ENDPOINT_URL")
    String endpoint;

    @Option(names = "--region", description = "S3 region; default: AWS_REGION, else us-east-1 with an endpoint")
    String region;

    @Option(names = "--access-key-id", description = "S3 access key; default: AWS_ACCESS_KEY_ID")
    String accessKeyId;

    @Option(names = "--secret-access-key", description = "S3 secret key; default: AWS_SECRET_ACCESS_KEY")
    String secretAccessKey;

    @Option(names = "--no-create-bucket", description = "fail when the bucket does not exist instead of creating it")
    boolean noCreateBucket;

    /** The archive URL as a store understands it: {@code s3://...} and {@code file://...} as given, a path made absolute. */
    static String url(String given) {
        if (given.startsWith("s3://") || given.startsWith("file:")) {
            return given;
        }
        if (given.contains("://")) {
            throw new CliException(CliException.USAGE, "an archive is s3://bucket/prefix, file:///path or a folder path, not " + given);
        }
        return Path.of(given).toAbsolutePath().normalize().toUri().toString();
    }

    ArchiveLocation location(String given) {
        Map<String, String> env = System.getenv();
        String ep = first(endpoint, env.get("AWS_ENDPOINT_URL_S3"), env.get("AWS_ENDPOINT_URL"));
        String key = first(accessKeyId, env.get("AWS_ACCESS_KEY_ID"));
        String secret = first(secretAccessKey, env.get("AWS_SECRET_ACCESS_KEY"));
        if ((key == null) != (secret == null)) {
            throw new CliException(CliException.USAGE, "give both an access key id and a secret access key, or neither");
        }
        return new ArchiveLocation(url(given), ep, first(region, env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION")), key, secret,
                !noCreateBucket);
    }

    /** The settings as fields of the {@code argonBackup} command, so that the server uses what this process has. */
    static Document fields(ArchiveLocation l) {
        Document d = new Document("to", l.url());
        if (l.endpoint() != null) {
            d.append("endpoint", l.endpoint());
        }
        if (l.region() != null) {
            d.append("region", l.region());
        }
        if (l.accessKeyId() != null) {
            d.append("accessKeyId", l.accessKeyId()).append("secretAccessKey", l.secretAccessKey());
        }
        return d.append("createBucket", l.createBucket());
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
