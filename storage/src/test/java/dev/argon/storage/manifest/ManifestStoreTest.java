package dev.argon.storage.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.storage.object.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Publishing order and the choice of the newest manifest, on an in-memory store. */
class ManifestStoreTest {
    private static final String SEG = "b".repeat(64);

    private static Manifest manifest(long seq, long covers) {
        return new Manifest(seq, seq - 1, covers, 0, seq, 0, List.of(new RefEntry("branch", "main", 1, covers)),
                List.of(new SegmentRef("log", SEG, 3, 1, 1, covers, new byte[] {1}, new byte[] {2})), Map.of());
    }

    @Test
    void theNewestPublishedManifestWinsAndLatestNamesIt() {
        MemoryStore s = new MemoryStore();
        s.put("segments/" + SEG, new byte[3]);
        ManifestStore m = new ManifestStore(s);
        assertTrue(m.latest().isEmpty());
        m.publish(manifest(1, 10));
        m.publish(manifest(2, 20));
        assertEquals(20, m.latest().orElseThrow().coversLsn());
        assertEquals("2\n", new String(s.get(ManifestStore.LATEST), StandardCharsets.UTF_8));
        assertEquals(List.of(1L, 2L), m.sequences());
    }

    @Test
    void aManifestNamingAMissingSegmentIsNotPublished() {
        MemoryStore s = new MemoryStore();
        ManifestStore m = new ManifestStore(s);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.publish(manifest(1, 10)));
        assertTrue(e.getMessage().contains("not stored"), e.getMessage());
        assertTrue(s.list("").isEmpty());
    }

    @Test
    void twoBackupsRacingForOneSequenceDoNotBothWin() {
        MemoryStore s = new MemoryStore();
        s.put("segments/" + SEG, new byte[3]);
        ManifestStore m = new ManifestStore(s);
        m.publish(manifest(1, 10));
        assertThrows(IllegalStateException.class, () -> m.publish(manifest(1, 11)));
        assertEquals(10, m.read(1).coversLsn());
    }

    @Test
    void aDamagedNewestManifestLeavesThePreviousOneInCharge() {
        MemoryStore s = new MemoryStore();
        s.put("segments/" + SEG, new byte[3]);
        ManifestStore m = new ManifestStore(s);
        m.publish(manifest(1, 10));
        byte[] torn = manifest(2, 20).encode();
        s.put(ManifestStore.key(2), java.util.Arrays.copyOf(torn, torn.length / 2));
        assertEquals(10, m.latest().orElseThrow().coversLsn());
    }
}
