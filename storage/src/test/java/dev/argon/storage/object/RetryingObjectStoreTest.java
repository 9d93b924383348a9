package dev.argon.storage.object;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retries on transient failures only, and no torn state after failed uploads, over a fault-injecting store. */
class RetryingObjectStoreTest {

    private static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(5));

    @TempDir
    Path dir;

    private final FaultInjectingStore faulty = new FaultInjectingStore(new MemoryStore());
    private final RetryingObjectStore store = new RetryingObjectStore(faulty, FAST);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void transientFailuresAreRetriedUntilTheCallSucceeds() {
        faulty.failNext(3, ObjectStoreException.Kind.TRANSIENT);
        store.put("k", bytes("v"));
        assertEquals(1, faulty.calls.get());
        faulty.failNext(2, ObjectStoreException.Kind.TRANSIENT);
        assertArrayEquals(bytes("v"), store.get("k"));
        faulty.failNext(3, ObjectStoreException.Kind.TRANSIENT);
        assertEquals(List.of(new ObjectInfo("k", 1)), store.list(""));
    }

    @Test
    void permanentFailuresAreNotRetried() {
        store.put("k", bytes("v"));
        faulty.failNext(1, ObjectStoreException.Kind.ACCESS_DENIED);
        ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> store.get("k"));
        assertEquals(ObjectStoreException.Kind.ACCESS_DENIED, e.kind());
        assertArrayEquals(bytes("v"), store.get("k"), "the next call is not affected");
        int before = faulty.calls.get();
        assertThrows(ObjectStoreException.class, () -> store.get("absent"));
        assertEquals(before + 1, faulty.calls.get(), "a NOT_FOUND is asked once");
    }

    @Test
    void retriesStopAfterTheLastAttemptWithTheTransientError() {
        faulty.failNext(FAST.maxAttempts(), ObjectStoreException.Kind.TRANSIENT);
        ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> store.put("k", bytes("v")));
        assertFalse(e.isPermanent());
        assertEquals(0, faulty.calls.get());
        assertEquals(Optional.empty(), store.head("k"));
    }

    @Test
    void aRetriedCreateWhoseReplyWasLostReportsItsOwnWin() {
        faulty.loseNextReplies(1);
        assertTrue(store.putIfAbsent("manifest/1", bytes("mine")));
        assertArrayEquals(bytes("mine"), store.get("manifest/1"));
        // someone else's object is still someone else's, also after a lost reply
        faulty.loseNextReplies(1);
        assertFalse(store.putIfAbsent("manifest/1", bytes("other")));
    }

    @Test
    void anUploadTornMidwayIsInvisibleAndARetryOfAFileUploadCompletesIt() throws IOException {
        byte[] data = new byte[200_000];
        new Random(7).nextBytes(data);
        Path file = Files.write(dir.resolve("seg"), data);

        // A stream cannot be read twice: the torn upload fails and leaves nothing.
        faulty.tearNextUploads(1);
        ObjectStoreException e = assertThrows(ObjectStoreException.class,
                () -> store.put("segments/s", Files.newInputStream(file), data.length));
        assertFalse(e.isPermanent());
        assertEquals(Optional.empty(), store.head("segments/s"));
        assertEquals(List.of(), store.list(""));

        // A file can: the retry stores the whole object, and nothing torn was ever visible.
        faulty.tearNextUploads(2);
        store.put("segments/f", file);
        assertArrayEquals(data, store.get("segments/f"));
        assertEquals(List.of(new ObjectInfo("segments/f", data.length)), store.list(""));

        // Torn on every attempt: the call fails and still nothing is visible.
        faulty.tearNextUploads(FAST.maxAttempts());
        assertThrows(ObjectStoreException.class, () -> store.put("segments/g", file));
        assertEquals(Optional.empty(), store.head("segments/g"));
    }

    @Test
    void backoffIsBoundedAndGrows() {
        RetryPolicy p = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(1000));
        for (int attempt = 1; attempt < 10; attempt++) {
            long cap = Math.min(1000, 100L << (attempt - 1));
            for (int i = 0; i < 50; i++) {
                long d = p.delayMillis(attempt);
                assertTrue(d >= 0 && d <= cap, attempt + ": " + d);
            }
        }
    }
}
