package dev.argon.storage.s3;

import java.net.URI;
import java.util.Properties;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * S3Proxy with an in-memory blob store on an ephemeral loopback port: a real S3 API server over HTTP, with
 * AWS signature checks, for tests. Not thread-safe to start or stop; serving is.
 */
final class S3ProxyServer implements AutoCloseable {

    static final String ACCESS_KEY = "argon-test-access";
    static final String SECRET_KEY = "argon-test-secret";

    private final S3Proxy proxy;
    private final BlobStore blobs;

    S3ProxyServer() throws Exception {
        Properties props = new Properties();
        props.setProperty("jclouds.identity", ACCESS_KEY);
        props.setProperty("jclouds.credential", SECRET_KEY);
        blobs = BlobStores.create("transient", props);
        proxy = S3Proxy.builder()
                .blobStore(blobs)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .stopTimeout(0)
                .build();
        proxy.start();
        while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
            Thread.sleep(10);
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        blobs.close();
    }
}
