package dev.argon.tools;

import dev.argon.wal.archive.ArchiveLocation;
import java.net.URI;
import java.util.List;
import java.util.Properties;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * A real S3 API for a test: S3Proxy with an in-memory blob store on an ephemeral loopback port, with signature
 * checks, and the flags a user would give {@code argon} to reach it. It lives in the test's JVM, so it outlives a
 * server child that a test kills. Not thread-safe to start or stop; serving is.
 */
final class LocalS3 implements AutoCloseable {
    static final String KEY = "argon-it-access";
    static final String SECRET = "argon-it-secret";

    private final BlobStore blobs;
    private final S3Proxy proxy;

    LocalS3() throws Exception {
        Properties props = new Properties();
        props.setProperty("jclouds.identity", KEY);
        props.setProperty("jclouds.credential", SECRET);
        blobs = BlobStores.create("transient", props);
        proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, KEY, SECRET).stopTimeout(0).build();
        proxy.start();
        while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
            Thread.sleep(10);
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** The flags that point an {@code argon} command at this S3. */
    List<String> flags() {
        return List.of("--endpoint", endpoint(), "--access-key-id", KEY, "--secret-access-key", SECRET);
    }

    /** An {@code s3://} URL of this S3, to open as the test's own client. */
    ArchiveLocation location(String url) {
        return new ArchiveLocation(url, endpoint(), null, KEY, SECRET, false);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        blobs.close();
    }
}
