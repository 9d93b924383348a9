package dev.argon.wal.archive;

import dev.argon.storage.object.LocalFolderStore;
import dev.argon.storage.object.ObjectStore;
import dev.argon.storage.s3.S3Config;
import dev.argon.storage.s3.S3ObjectStore;
import java.net.URI;
import java.nio.file.Path;

/**
 * Where an archive lives: {@code file:///absolute/path} (a folder) or {@code s3://bucket[/prefix]} with its
 * endpoint, region and credentials (each null for the standard AWS chain and variables, {@code AWS_ENDPOINT_URL}
 * included). Immutable, so thread-safe; {@link #open} gives a store the caller closes.
 *
 * @param url             the archive's URL
 * @param endpoint        an S3 endpoint override, or null
 * @param region          an S3 region, or null
 * @param accessKeyId     an S3 access key, or null (then {@code secretAccessKey} is null too)
 * @param secretAccessKey its secret
 * @param createBucket    whether a missing bucket is created (when the credentials allow it)
 */
public record ArchiveLocation(String url, String endpoint, String region, String accessKeyId, String secretAccessKey,
                              boolean createBucket) {

    public static ArchiveLocation of(String url) {
        return new ArchiveLocation(url, null, null, null, null, true);
    }

    /** Opens the store; a folder is created, a missing bucket too when {@link #createBucket} allows. */
    public ObjectStore open(boolean forWriting) {
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a file:// or s3:// URL: " + url);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
        switch (scheme) {
            case "file" -> {
                if (u.getPath() == null || u.getPath().isEmpty() || u.getAuthority() != null) {
                    throw new IllegalArgumentException("a folder archive is file:///absolute/path, not " + url);
                }
                Path p = Path.of(u.getPath());
                if (!forWriting && !java.nio.file.Files.isDirectory(p)) {
                    throw new IllegalArgumentException("no archive at " + url + ": " + p + " is not a folder");
                }
                return new LocalFolderStore(p);
            }
            case "s3" -> {
                S3Config c = S3Config.of(u);
                URI ep = c.withEndpoint(endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint))
                        .resolveEndpoint(System.getenv());
                c = c.withEndpoint(ep).withRegion(region);
                if (accessKeyId != null) {
                    c = c.withCredentials(accessKeyId, secretAccessKey);
                }
                S3ObjectStore s = new S3ObjectStore(c);
                if (forWriting && createBucket) {
                    s.ensureBucket();
                }
                return s;
            }
            default -> throw new IllegalArgumentException("an archive URL is file:///path or s3://bucket/prefix, not " + url);
        }
    }

    /** The location without its secret, for logs and replies. */
    @Override
    public String toString() {
        return url + (endpoint == null ? "" : " (endpoint " + endpoint + ")");
    }
}
