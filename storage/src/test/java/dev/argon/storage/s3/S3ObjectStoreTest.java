package dev.argon.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.storage.object.ObjectInfo;
import dev.argon.storage.object.ObjectStore;
import dev.argon.storage.object.ObjectStoreContract;
import dev.argon.storage.object.ObjectStoreException;
import dev.argon.storage.object.RetryPolicy;
import dev.argon.storage.segment.SealedSegment;
import dev.argon.storage.segment.SegmentReader;
import dev.argon.storage.segment.SegmentWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The contract on the S3 store against S3Proxy on a loopback port (multipart above 5 MiB, so the contract's
 * large objects go in three parts), and what only S3 has: HTTP-level faults and retries, credentials,
 * buckets, endpoints from the environment, key prefixes.
 */
class S3ObjectStoreTest extends ObjectStoreContract {

    private static final String BUCKET = "argon-test";
    /**
     * Eight attempts: besides the injected faults, a PUT can meet a keep-alive connection S3Proxy has closed
     * (the JDK client retries only idempotent GETs on those by itself), up to one per cached connection.
     */
    private static final RetryPolicy FAST = new RetryPolicy(8, Duration.ofMillis(1), Duration.ofMillis(10));
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private static S3ProxyServer server;
    private FaultyHttpClient http;

    @BeforeAll
    static void startServer() throws Exception {
        server = new S3ProxyServer();
        try (S3ObjectStore setup = new S3ObjectStore(config("setup"))) {
            setup.ensureBucket();
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    private static S3Config config(String prefix) {
        return new S3Config(BUCKET, prefix, server.endpoint(), null, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY,
                true, S3Config.MIN_PART_SIZE, S3Config.MIN_PART_SIZE, FAST);
    }

    private S3ObjectStore open(S3Config config) {
        http = new FaultyHttpClient(UrlConnectionHttpClient.create());
        return new S3ObjectStore(config, Map.of(), http);
    }

    /** The key prefix of the store under test. */
    private String prefix;

    @Override
    protected ObjectStore newStore() {
        prefix = "t" + PREFIXES.incrementAndGet();
        return open(config(prefix));
    }

    @Override
    protected int largeSize() {
        return 2 * S3Config.MIN_PART_SIZE + 54321;
    }

    private static S3Client rawClient() {
        return S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .endpointOverride(server.endpoint()).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
                .build();
    }

    @Test
    void connectionResetsAndSlowDownsAreRetried() {
        http.failNext(2, FaultyHttpClient.Fault.RESET, r -> true);
        store.put("k", bytes("v"));
        assertTrue(http.requests.get() >= 3, "two resets, then the PUT: " + http.requests.get());
        // GETs and HEADs count exactly: the JDK's own reconnect of a stale connection stays inside one request
        http.requests.set(0);
        http.failNext(2, FaultyHttpClient.Fault.RESET, r -> true);
        assertArrayEquals(bytes("v"), store.get("k"));
        assertEquals(3, http.requests.get());
        http.requests.set(0);
        http.failNext(3, FaultyHttpClient.Fault.SLOW_DOWN, r -> true);
        assertEquals(Optional.of(new ObjectInfo("k", 1)), store.head("k"));
        assertEquals(4, http.requests.get());
    }

    @Test
    void aRetriedCreateWhoseReplyWasLostReportsItsOwnWin() {
        http.failNext(1, FaultyHttpClient.Fault.LOST_REPLY, r -> r.method().name().equals("PUT"));
        assertTrue(store.putIfAbsent("manifest/1", bytes("mine")));
        assertArrayEquals(bytes("mine"), store.get("manifest/1"));
        http.failNext(1, FaultyHttpClient.Fault.LOST_REPLY, r -> r.method().name().equals("PUT"));
        assertFalse(store.putIfAbsent("manifest/1", bytes("other")));
        assertArrayEquals(bytes("mine"), store.get("manifest/1"));
    }

    @Test
    void retriesGiveUpWithATransientError() {
        http.failNext(100, FaultyHttpClient.Fault.SLOW_DOWN, r -> true);
        ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> store.get("k"));
        assertEquals(ObjectStoreException.Kind.TRANSIENT, e.kind());
        assertTrue(e.getMessage().contains("503"), e.getMessage());
        assertEquals(FAST.maxAttempts(), http.requests.get());
    }

    @Test
    void aFailedPartIsRetriedAlone() {
        byte[] data = random(largeSize(), 9);
        http.failNext(2, FaultyHttpClient.Fault.RESET, r -> partNumber(r) == 2);
        store.put("big", data);
        assertEquals(1, http.seen.stream().filter(r -> r.rawQueryParameters().containsKey("uploads")).count(),
                "one multipart upload, not restarted");
        assertTrue(http.seen.stream().filter(r -> partNumber(r) == 2).count() >= 3, "part 2: two resets, then sent");
        assertArrayEquals(data, store.get("big"));
    }

    private static int partNumber(software.amazon.awssdk.http.SdkHttpRequest r) {
        List<String> n = r.rawQueryParameters().get("partNumber");
        return n == null || n.isEmpty() ? 0 : Integer.parseInt(n.get(0));
    }

    @Test
    void aMultipartUploadThatFailsForGoodIsAbortedAndLeavesNothing() {
        byte[] data = random(largeSize(), 10);
        http.failNext(100, FaultyHttpClient.Fault.RESET, r -> partNumber(r) == 3);
        ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> store.put("big", data));
        assertFalse(e.isPermanent());
        assertEquals(Optional.empty(), store.head("big"));
        assertEquals(List.of(), store.list(""));
        try (S3Client raw = rawClient()) {
            assertEquals(List.of(), raw.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().stream()
                    .filter(u -> u.key().endsWith("/big")).toList(), "the failed upload was aborted");
        }
    }

    /** Uploads in progress under this test's prefix, as S3 lists them (ListMultipartUploads). */
    private List<String> openUploads() {
        try (S3Client raw = rawClient()) {
            return raw.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().stream().map(u -> u.key())
                    .filter(k -> k.startsWith(prefix + "/")).toList();
        }
    }

    /** A stream of {@code size} random bytes that fails with an I/O error once {@code failAt} bytes were read. */
    private static java.io.InputStream failingStream(int size, int failAt) {
        byte[] data = random(size, 12);
        return new java.io.InputStream() {
            private int pos;

            @Override
            public int read() throws java.io.IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                if (pos >= failAt) {
                    throw new java.io.IOException("disk read failed (injected)");
                }
                int n = Math.min(len, failAt - pos);
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    @Test
    void anUploadWhoseStreamFailsMidwayIsAbortedAndNoPartStaysListed() {
        int size = largeSize();
        // The source fails in the second part, after the first was stored: S3 then holds a billed part until aborted.
        ObjectStoreException e = assertThrows(ObjectStoreException.class,
                () -> store.put("segments/torn", failingStream(size, S3Config.MIN_PART_SIZE + 1000), size));
        assertTrue(e.getMessage().contains("torn"), e.getMessage());
        assertTrue(http.seen.stream().anyMatch(r -> partNumber(r) == 1), "part 1 was uploaded before the failure");
        assertTrue(http.seen.stream().anyMatch(r -> r.method().name().equals("DELETE") && r.rawQueryParameters().containsKey("uploadId")),
                "an AbortMultipartUpload was sent");
        assertEquals(List.of(), openUploads(), "no multipart upload left in the bucket");
        assertEquals(Optional.empty(), store.head("segments/torn"));

        // A stream shorter than announced: refused as bad input (not retried), and aborted the same way.
        byte[] shortData = random(S3Config.MIN_PART_SIZE + 10, 13);
        ObjectStoreException shortStream = assertThrows(ObjectStoreException.class,
                () -> store.put("segments/short", new java.io.ByteArrayInputStream(shortData), size));
        assertTrue(shortStream.isPermanent(), shortStream.toString());
        assertEquals(List.of(), openUploads(), "no multipart upload left in the bucket");
        assertEquals(List.of(), store.list(""));
    }

    @Test
    void anUploadOfAFileThatFailsWhileReadIsAbortedToo() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("s3-upload-", ".seg");
        try {
            java.nio.file.Files.write(file, random(largeSize(), 14));
            // the third part's request fails for good after the first two parts were stored
            http.failNext(100, FaultyHttpClient.Fault.SLOW_DOWN, r -> partNumber(r) == 3);
            ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> store.put("segments/file", file));
            assertFalse(e.isPermanent(), "a throttled part is a transient failure, retried and then given up: " + e);
            assertEquals(List.of(), openUploads(), "no multipart upload left in the bucket");
            assertEquals(List.of(), store.list(""));
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    void clientSideErrorsAreTransientOnlyWhenTheyComeFromTheNetwork() {
        assertFalse(S3ObjectStore.transientClientError(software.amazon.awssdk.core.exception.SdkClientException.create(
                "Unable to load credentials from any of the providers in the chain")));
        assertTrue(S3ObjectStore.transientClientError(software.amazon.awssdk.core.exception.SdkClientException.create(
                "Unable to execute HTTP request", new java.net.SocketTimeoutException("Read timed out"))));
        assertTrue(S3ObjectStore.transientClientError(software.amazon.awssdk.core.exception.SdkClientException.create(
                "Unable to execute HTTP request", new java.net.ConnectException("Connection refused"))));
        assertTrue(S3ObjectStore.transientClientError(software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException.create(1000)));
    }

    @Test
    void wrongCredentialsArePermanentAndNotRetried() {
        S3Config bad = new S3Config(BUCKET, "t", server.endpoint(), null, S3ProxyServer.ACCESS_KEY, "wrong-secret",
                true, S3Config.MIN_PART_SIZE, S3Config.MIN_PART_SIZE, FAST);
        try (S3ObjectStore s = open(bad)) {
            ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> s.get("k"));
            assertEquals(ObjectStoreException.Kind.ACCESS_DENIED, e.kind());
            assertTrue(e.isPermanent());
            assertTrue(e.getMessage().contains("AWS_ACCESS_KEY_ID"), e.getMessage());
            assertEquals(1, http.requests.get(), "a permanent failure is not retried");
            // A PUT's refusal can arrive while the JDK client still sends the body, which then fails as a broken
            // connection (transient) before the retry reads the 403; either way the answer is ACCESS_DENIED.
            assertEquals(ObjectStoreException.Kind.ACCESS_DENIED,
                    assertThrows(ObjectStoreException.class, () -> s.put("k", bytes("v"))).kind());
        }
    }

    @Test
    void aMissingBucketIsNamedAndCreatedOnRequest() {
        S3Config other = new S3Config("argon-missing-" + PREFIXES.incrementAndGet(), "", server.endpoint(), null,
                S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, true, S3Config.MIN_PART_SIZE, S3Config.MIN_PART_SIZE, FAST);
        try (S3ObjectStore s = open(other)) {
            ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> s.put("k", bytes("v")));
            assertEquals(ObjectStoreException.Kind.NOT_FOUND, e.kind());
            assertTrue(e.getMessage().contains("no bucket " + other.bucket()), e.getMessage());
            s.ensureBucket();
            s.ensureBucket();
            s.put("k", bytes("v"));
            assertArrayEquals(bytes("v"), s.get("k"));
        }
    }

    @Test
    void theEndpointComesFromTheEnvironmentUnlessGiven() {
        S3Config noEndpoint = config("env").withEndpoint(null);
        try (S3ObjectStore s = new S3ObjectStore(noEndpoint,
                Map.of("AWS_ENDPOINT_URL", server.endpoint().toString()), UrlConnectionHttpClient.create())) {
            s.put("k", bytes("from env"));
        }
        // An explicit endpoint wins over a dead one in the environment.
        try (S3ObjectStore s = new S3ObjectStore(config("env"),
                Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:1"), UrlConnectionHttpClient.create())) {
            assertArrayEquals(bytes("from env"), s.get("k"));
        }
        assertEquals(URI.create("http://s3.example:9000"), noEndpoint.resolveEndpoint(
                Map.of("AWS_ENDPOINT_URL", "http://other:1", "AWS_ENDPOINT_URL_S3", "http://s3.example:9000")));
    }

    @Test
    void storesUnderDifferentPrefixesDoNotSeeEachOther() {
        try (S3ObjectStore a = open(config("iso/a")); S3ObjectStore b = open(config("iso/b"))) {
            a.put("k", bytes("a"));
            b.put("k", bytes("b"));
            assertArrayEquals(bytes("a"), a.get("k"));
            assertEquals(List.of(new ObjectInfo("k", 1)), b.list(""));
        }
        try (S3Client raw = rawClient()) {
            assertEquals(List.of("iso/a/k", "iso/b/k"), raw.listObjectsV2(r -> r.bucket(BUCKET).prefix("iso/")).contents()
                    .stream().map(o -> o.key()).toList());
        }
    }

    @Test
    void aSegmentIsReadFromTheBucketWithRangedGets() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        SegmentWriter writer = new SegmentWriter(out, 4096, SegmentWriter.DEFAULT_LEVEL);
        for (int i = 0; i < 5000; i++) {
            writer.add(bytes(String.format("key-%06d", i)), bytes("value " + i + " " + "v".repeat(i % 50)));
        }
        SealedSegment sealed = writer.finish(1, 5000);
        store.put("segments/" + sealed.name(), out.toByteArray());
        int before = http.requests.get();
        SegmentReader reader = SegmentReader.open(store, "segments/" + sealed.name(), sealed.size());
        assertArrayEquals(bytes("value 4321 " + "v".repeat(4321 % 50)), reader.get(bytes("key-004321")).orElseThrow());
        assertEquals(before + 2, http.requests.get(), "one ranged GET of the tail, one of the block");
        assertEquals(5000, reader.footer().entryCount());
    }

    @Test
    void anS3UrlNamesBucketAndPrefix() {
        S3Config c = S3Config.of(URI.create("s3://my-bucket/backups/prod/"));
        assertEquals("my-bucket", c.bucket());
        assertEquals("backups/prod", c.prefix());
        assertEquals("s3://my-bucket/backups/prod", c.describe());
        assertThrows(IllegalArgumentException.class, () -> S3Config.of(URI.create("file:///tmp/x")));
    }
}
