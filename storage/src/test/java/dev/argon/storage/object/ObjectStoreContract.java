package dev.argon.storage.object;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link ObjectStore} must have; each implementation's test extends this class and
 * supplies a fresh, empty store per test.
 */
public abstract class ObjectStoreContract {

    /** A fresh store holding no objects. */
    protected abstract ObjectStore newStore() throws Exception;

    /**
     * A size that takes the store's large-object path (a multipart upload in S3); the contract's uploads of
     * this size must behave as the small ones do.
     */
    protected int largeSize() {
        return 3 * 1024 * 1024 + 12345;
    }

    protected ObjectStore store;

    @TempDir
    Path scratch;

    @BeforeEach
    void open() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static List<String> keys(List<ObjectInfo> infos) {
        return infos.stream().map(ObjectInfo::key).toList();
    }

    @Test
    void putThenGetReturnsTheBytesAndAPutReplaces() {
        store.put("a/one", bytes("first"));
        assertArrayEquals(bytes("first"), store.get("a/one"));
        store.put("a/one", bytes("second, longer"));
        assertArrayEquals(bytes("second, longer"), store.get("a/one"));
        assertEquals(Optional.of(new ObjectInfo("a/one", 14)), store.head("a/one"));
    }

    @Test
    void putFromAFileAndFromAStream() throws IOException {
        byte[] data = random(100_000, 1);
        Path file = Files.write(scratch.resolve("f"), data);
        store.put("from/file", file);
        store.put("from/stream", new ByteArrayInputStream(data), data.length);
        assertArrayEquals(data, store.get("from/file"));
        assertArrayEquals(data, store.get("from/stream"));
    }

    @Test
    void aMissingSourceFileIsNotAMissingObject() {
        ObjectStoreException e = assertThrows(ObjectStoreException.class,
                () -> store.put("k", scratch.resolve("no-such-file")));
        assertTrue(e.kind() != ObjectStoreException.Kind.NOT_FOUND, e.toString());
        assertTrue(e.getMessage().contains("no-such-file"), e.getMessage());
        assertEquals(Optional.empty(), store.head("k"));
    }

    @Test
    void anEmptyObjectIsAnObject() {
        store.put("empty", new byte[0]);
        assertEquals(Optional.of(new ObjectInfo("empty", 0)), store.head("empty"));
        assertArrayEquals(new byte[0], store.get("empty"));
        assertArrayEquals(new byte[0], store.getRange("empty", 0, 10));
        assertEquals(List.of("empty"), keys(store.list("")));
    }

    @Test
    void aMissingObjectIsNotFoundAndPermanent() {
        ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> store.get("no/such"));
        assertEquals(ObjectStoreException.Kind.NOT_FOUND, e.kind());
        assertTrue(e.isPermanent());
        assertEquals("no/such", e.key());
        assertTrue(e.getMessage().contains("no/such"), e.getMessage());
        ObjectStoreException ranged = assertThrows(ObjectStoreException.class, () -> store.getRange("no/such", 0, 5));
        assertEquals(ObjectStoreException.Kind.NOT_FOUND, ranged.kind());
        assertEquals(ObjectStoreException.Kind.NOT_FOUND,
                assertThrows(ObjectStoreException.class, () -> store.getRange("no/such", 0, 0)).kind());
        assertEquals(Optional.empty(), store.head("no/such"));
    }

    @Test
    void rangedReadsReturnTheRangeClippedAtTheEnd() {
        byte[] data = random(10_000, 2);
        store.put("r", data);
        assertArrayEquals(Arrays.copyOfRange(data, 0, 100), store.getRange("r", 0, 100));
        assertArrayEquals(Arrays.copyOfRange(data, 5000, 5017), store.getRange("r", 5000, 17));
        assertArrayEquals(Arrays.copyOfRange(data, 9990, 10_000), store.getRange("r", 9990, 100));
        assertArrayEquals(new byte[0], store.getRange("r", 10_000, 5));
        assertArrayEquals(new byte[0], store.getRange("r", 20_000, 5));
        assertArrayEquals(new byte[0], store.getRange("r", 10, 0));
        assertEquals(ObjectStoreException.Kind.INVALID_ARGUMENT,
                assertThrows(ObjectStoreException.class, () -> store.getRange("r", -1, 5)).kind());
        assertEquals(ObjectStoreException.Kind.INVALID_ARGUMENT,
                assertThrows(ObjectStoreException.class, () -> store.getRange("r", 0, -5)).kind());
    }

    @Test
    void listingByPrefixIsSortedAndExact() {
        for (String k : List.of("segments/b", "segments/a", "segments/sub/c", "segmentsX", "manifest/1", "seg")) {
            store.put(k, bytes(k));
        }
        assertEquals(List.of("segments/a", "segments/b", "segments/sub/c"), keys(store.list("segments/")));
        assertEquals(List.of("seg", "segments/a", "segments/b", "segments/sub/c", "segmentsX"), keys(store.list("seg")));
        assertEquals(List.of("segments/sub/c"), keys(store.list("segments/sub/")));
        assertEquals(List.of("segments/sub/c"), keys(store.list("segments/s")));
        assertEquals(List.of(), keys(store.list("nothing/")));
        assertEquals(6, store.list("").size());
        assertEquals(List.of(new ObjectInfo("manifest/1", 10)), store.list("manifest/"));
    }

    @Test
    void headAndListGiveTheTimeAnObjectWasWritten() {
        // Stores keep the time at their own precision (S3: whole seconds), and a server's clock may be a little off.
        long before = System.currentTimeMillis() - 60_000;
        store.put("t/one", bytes("one"));
        long after = System.currentTimeMillis() + 60_000;
        long headTime = store.head("t/one").orElseThrow().modifiedMillis();
        long listTime = store.list("t/").get(0).modifiedMillis();
        assertTrue(headTime >= before && headTime <= after, "head's time " + headTime + " is not around now");
        assertTrue(listTime >= before && listTime <= after, "list's time " + listTime + " is not around now");
    }

    @Test
    void deleteRemovesAndDeletingNothingIsFine() {
        store.put("d/x", bytes("x"));
        store.put("d/y", bytes("y"));
        store.delete("d/x");
        store.delete("d/x");
        store.delete("never/was");
        assertEquals(Optional.empty(), store.head("d/x"));
        assertEquals(List.of("d/y"), keys(store.list("d/")));
        // a key that was a folder of keys can become an object once they are gone
        store.delete("d/y");
        store.put("d", bytes("now an object"));
        assertArrayEquals(bytes("now an object"), store.get("d"));
    }

    @Test
    void putIfAbsentCreatesOnceAndNeverReplaces() {
        assertTrue(store.putIfAbsent("manifest/00000001", bytes("v1")));
        assertFalse(store.putIfAbsent("manifest/00000001", bytes("other")));
        assertArrayEquals(bytes("v1"), store.get("manifest/00000001"));
    }

    @Test
    void racingPutIfAbsentHasExactlyOneWinner() throws Exception {
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                byte[] mine = bytes("writer " + i);
                results.add(pool.submit(() -> {
                    start.await();
                    return store.putIfAbsent("manifest/race", mine);
                }));
            }
            start.countDown();
            int winner = -1;
            for (int i = 0; i < writers; i++) {
                if (results.get(i).get()) {
                    assertEquals(-1, winner, "two writers created the same object");
                    winner = i;
                }
            }
            assertTrue(winner >= 0, "no writer created the object");
            assertArrayEquals(bytes("writer " + winner), store.get("manifest/race"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void keysThatCouldEscapeOrDifferAcrossStoresAreRefused() {
        String tooLong = "k/" + "x".repeat(ObjectKeys.MAX_KEY_BYTES);
        for (String bad : List.of("", "/abs", "a//b", "a/", "..", "../x", "a/../b", "a/./b", ".hidden", "a/.tmp/x",
                "a\\b", "a\u0000b", "a\nb", tooLong, "a\ud800b", "caf\u0065\u0301")) {
            ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> store.put(bad, bytes("x")), bad);
            assertEquals(ObjectStoreException.Kind.INVALID_ARGUMENT, e.kind(), bad);
            assertTrue(e.isPermanent());
            assertEquals(ObjectStoreException.Kind.INVALID_ARGUMENT,
                    assertThrows(ObjectStoreException.class, () -> store.get(bad), bad).kind());
            assertEquals(ObjectStoreException.Kind.INVALID_ARGUMENT,
                    assertThrows(ObjectStoreException.class, () -> store.delete(bad), bad).kind());
        }
        assertEquals(ObjectStoreException.Kind.INVALID_ARGUMENT,
                assertThrows(ObjectStoreException.class, () -> store.list("../")).kind());
        assertEquals(List.of(), store.list(""));
    }

    @Test
    void unicodeKeysRoundTrip() {
        String key = "branches/ünïcödé/κλειδί-\uD83D\uDE00";
        store.put(key, bytes("u"));
        assertArrayEquals(bytes("u"), store.get(key));
        assertEquals(List.of(key), keys(store.list("branches/ü")));
    }

    @Test
    void largeObjectsRoundTripFromEverySource() throws IOException {
        int size = largeSize();
        byte[] data = random(size, 3);
        store.put("big/bytes", data);
        store.put("big/file", Files.write(scratch.resolve("big"), data));
        store.put("big/stream", new ByteArrayInputStream(data), size);
        for (String k : List.of("big/bytes", "big/file", "big/stream")) {
            assertEquals(Optional.of(new ObjectInfo(k, size)), store.head(k));
            assertArrayEquals(data, store.get(k), k);
        }
        int mid = size / 2;
        assertArrayEquals(Arrays.copyOfRange(data, mid - 1000, mid + 1000), store.getRange("big/stream", mid - 1000, 2000));
    }

    /** A stream that yields {@code good} bytes, then fails like a broken pipe. */
    protected static InputStream failingAfter(byte[] data, int good) {
        return new InputStream() {
            private int pos;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos >= good) {
                    throw new IOException("injected failure after " + good + " bytes");
                }
                int n = Math.min(len, good - pos);
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    @Test
    void anUploadFailingMidwayLeavesNoVisibleObject() {
        for (int size : new int[] {50_000, largeSize()}) {
            byte[] data = random(size, size);
            String key = "torn/" + size;
            ObjectStoreException e = assertThrows(ObjectStoreException.class,
                    () -> store.put(key, failingAfter(data, size - 10), size));
            assertTrue(e.getMessage().contains(key), e.getMessage());
            assertEquals(Optional.empty(), store.head(key));
            assertEquals(List.of(), store.list("torn/"));
            assertEquals(List.of(), store.list(""));
        }
    }

    @Test
    void aFailedOverwriteKeepsTheOldObject() {
        int size = largeSize();
        byte[] old = random(1000, 4);
        store.put("keep", old);
        assertThrows(ObjectStoreException.class, () -> store.put("keep", failingAfter(random(size, 5), size / 2), size));
        assertArrayEquals(old, store.get("keep"));
    }

    @Test
    void aStreamShorterThanAnnouncedIsRefusedAndLeavesNothing() {
        byte[] data = random(1000, 6);
        ObjectStoreException e = assertThrows(ObjectStoreException.class,
                () -> store.put("short", new ByteArrayInputStream(data), 2000));
        assertEquals(ObjectStoreException.Kind.INVALID_ARGUMENT, e.kind());
        assertEquals(Optional.empty(), store.head("short"));
    }
}
