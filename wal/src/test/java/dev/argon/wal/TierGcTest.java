package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.storage.object.ObjectInfo;
import dev.argon.storage.object.ObjectStore;
import dev.argon.wal.tier.TierManifest;
import dev.argon.wal.tier.TierManifests;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

/**
 * The tier's manifests and the GC of its objects: every catalog change publishes a manifest that matches the catalog;
 * a segment nothing names is removed once older than the grace period and not before; live segments stay and every
 * read at every LSN answers the same after GC and after reopening; manifests beyond the newest K are retired; a
 * manifest published without its batch (a crash between the two) only delays its segments' removal; a tier shared
 * with another directory is refused; fsck names a missing segment.
 */
class TierGcTest extends WalFixture {
    private static final long HOUR = 3_600_000L;
    private static final String[] KEYS = {"a", "b", "c", "d", "e"};
    private final List<Long> lsns = new ArrayList<>();

    private void write(int rounds) {
        Branch main = wal.branch(Branch.MAIN);
        for (int r = 0; r < rounds; r++) {
            for (String key : KEYS) {
                byte[] doc = Bson.bytes(new BsonDocument("v", new BsonString(key + "-" + lsns.size())));
                CommitResult c = wal.commit(new CommitRequest(main.id(), null, null, false, List.of(
                        LogEntry.versioned("db.c", LogEntry.UPDATE, new BsonInt32(r), true, List.of(KeyWrite.put(k(key), doc))))));
                lsns.add(c.endLsn());
            }
        }
    }

    /** Every key at every LSN written, as text. */
    private List<String> reads() {
        List<String> out = new ArrayList<>();
        int main = wal.branch(Branch.MAIN).id();
        for (long lsn : lsns) {
            for (String key : KEYS) {
                byte[] v = wal.get(wal.viewAt(main, lsn), k(key));
                out.add(key + "@" + lsn + "=" + (v == null ? "-" : Bson.document(v).toJson()));
            }
        }
        return out;
    }

    private TierReport compact() {
        return wal.compactHistory(new TierRequest(0, System.currentTimeMillis() + 60_000, null, 300));
    }

    private ObjectStore store() {
        return wal.tier().store();
    }

    private Set<String> segmentKeys() {
        Set<String> out = new TreeSet<>();
        for (ObjectInfo o : store().list(TierSegment.PREFIX)) {
            out.add(o.key());
        }
        return out;
    }

    private TierGcReport gc(long now, long grace, int keep, boolean dryRun) {
        return wal.tierGc(new TierGcRequest(grace, keep, now, dryRun));
    }

    private static FsckReport fsck(java.nio.file.Path d) {
        FsckReport report = new FsckReport();
        try (WalInspector in = WalInspector.open(d)) {
            new WalChecker(in, report).run();
        }
        return report;
    }

    @Test
    void everyCatalogChangePublishesAManifestThatMatchesTheCatalog() {
        write(20);
        TierReport r = compact();
        assertTrue(r.segments() > 2, "several chunks: " + r);
        TierCatalog catalog = TierCatalog.read(wal.db());
        List<ObjectInfo> manifests = TierManifests.list(store());
        assertEquals(r.segments(), manifests.size(), "one manifest per chunk's batch");
        assertEquals(manifests.size(), catalog.manifestSeq(), "the catalog records the newest");
        TierManifest newest = TierManifests.read(store(), catalog.manifestSeq());
        assertEquals(catalog.directoryId(), newest.directoryId());
        assertEquals(catalog.objectKeys(), new TreeSet<>(newest.objectKeys()));
        assertEquals(catalog.cutoffLsn(), newest.cutoffLsn());
        assertEquals(catalog.logCutoff(), newest.logCutoff());
        assertEquals(segmentKeys(), new TreeSet<>(newest.objectKeys()), "the store holds what the newest manifest names");
        assertEquals(TierConfig.LOCAL, newest.tier());
        assertEquals(catalog.manifestSeq() + "\n", new String(store().get(TierManifests.LATEST), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void anOrphanGoesAfterTheGraceAndLiveSegmentsStay() {
        write(20);
        compact();
        write(5);
        compact();
        List<String> before = reads();
        Set<String> live = segmentKeys();
        String orphan = TierSegment.PREFIX + "0".repeat(64);
        store().put(orphan, new byte[] {1, 2, 3});
        long now = System.currentTimeMillis();

        TierGcReport young = gc(now, HOUR, 3, false);
        assertEquals(0, young.removed(), young.toString());
        assertEquals(1, young.young(), young.toString());
        assertEquals(List.of(), young.retired(), "successors are younger than the grace: " + young);
        assertTrue(segmentKeys().contains(orphan));

        TierGcReport dry = gc(now + 2 * HOUR, HOUR, 3, true);
        assertEquals(1, dry.removed(), dry.toString());
        assertEquals(3, dry.removedBytes());
        int manifests = TierManifests.list(store()).size();
        assertEquals(manifests - 3, dry.retired().size(), dry.toString());
        assertTrue(segmentKeys().contains(orphan), "a dry run deletes nothing");
        assertEquals(manifests, TierManifests.list(store()).size());

        TierGcReport done = gc(now + 2 * HOUR, HOUR, 3, false);
        assertNull(done.skipped());
        assertEquals(1, done.removed(), done.toString());
        assertEquals(live, segmentKeys(), "only the orphan went");
        assertEquals(3, TierManifests.list(store()).size(), "the newest three manifests stay");
        assertEquals(3, done.manifests());
        assertEquals(before, reads(), "reads at every LSN after the GC");
        assertEquals(0, gc(now + 2 * HOUR, HOUR, 3, false).removed(), "a second pass finds nothing");

        wal.close();
        assertEquals(List.of(), fsck(dir).problems(), "fsck after the GC");
        wal = Wal.open(dir);
        assertEquals(before, reads(), "reads after reopening");
    }

    @Test
    void aManifestPublishedWithoutItsBatchOnlyDelaysItsSegments() {
        write(20);
        compact();
        TierCatalog catalog = TierCatalog.read(wal.db());
        // What a crash between a manifest and its batch leaves: a newer manifest naming a segment the catalog does not.
        String extra = TierSegment.PREFIX + "1".repeat(64);
        store().put(extra, new byte[] {9});
        List<TierSegment> more = new ArrayList<>(catalog.segments());
        more.add(new TierSegment("1".repeat(64), 1, 1, 1, 1, new byte[] {1}, new byte[] {2}));
        long crashed = catalog.manifestSeq() + 1;
        TierManifests.publish(store(), new TierManifest(crashed, catalog.directoryId(), TierConfig.LOCAL, 0, catalog.cutoffLsn(),
                catalog.logCutoff(), more, catalog.logSegments()));
        wal.close();
        assertEquals(List.of(), fsck(dir).problems(), "a newer manifest than the catalog's is not damage");
        wal = Wal.open(dir);
        List<String> before = reads();

        long now = System.currentTimeMillis();
        assertEquals(0, gc(now + 2 * HOUR, HOUR, 1, false).removed(), "named by the newest manifest, the extra segment stays");
        assertTrue(segmentKeys().contains(extra));

        write(5);
        compact();
        assertTrue(TierCatalog.read(wal.db()).manifestSeq() > crashed, "the next change publishes after the crashed sequence");
        TierGcReport r = gc(System.currentTimeMillis() + 2 * HOUR, HOUR, 1, false);
        assertTrue(r.retired().contains(crashed), r.toString());
        assertEquals(1, r.removed(), r.toString());
        assertTrue(!segmentKeys().contains(extra));
        assertEquals(before, reads().subList(0, before.size()), "reads after the GC");
    }

    @Test
    void aTierSharedWithAnotherDirectoryIsRefused() {
        write(10);
        compact();
        TierCatalog catalog = TierCatalog.read(wal.db());
        store().put(TierSegment.PREFIX + "2".repeat(64), new byte[] {7});
        TierManifests.publish(store(), new TierManifest(catalog.manifestSeq() + 1, "0000-0ddba11", TierConfig.LOCAL, 0, 0, 0,
                List.of(), List.of()));
        TierGcReport r = gc(System.currentTimeMillis() + 2 * HOUR, HOUR, 1, false);
        assertTrue(r.skipped() != null && r.skipped().contains("another data directory"), r.toString());
        assertEquals(0, r.removed());
        assertTrue(segmentKeys().contains(TierSegment.PREFIX + "2".repeat(64)));
        write(5);
        WalException e = assertThrows(WalException.class, this::compact);
        assertTrue(e.getMessage().contains("another data directory"), e.getMessage());
        wal.close();
        assertTrue(fsck(dir).has(FsckReport.TIER), "fsck reports the shared tier");
        wal = Wal.open(dir);
    }

    @Test
    void fsckReportsASegmentTheTierNamesThatIsMissing() {
        write(10);
        compact();
        String gone = TierCatalog.read(wal.db()).segments().get(0).objectKey();
        store().delete(gone);
        wal.close();
        FsckReport r = fsck(dir);
        assertTrue(r.problems().stream().anyMatch(p -> p.check().equals(FsckReport.TIER) && p.message().contains(gone)
                && p.message().contains("missing")), r.problems().toString());
        wal = Wal.open(dir);
    }

    @Test
    void aDirectoryWithoutATierHasNothingToCollect() {
        write(3);
        TierGcReport r = gc(System.currentTimeMillis(), HOUR, 3, false);
        assertEquals(0, r.removed() + r.young() + r.manifests());
        assertTrue(!java.nio.file.Files.exists(dir.resolve(StorageUsage.OBJECT_FOLDER)), "no objects folder was made");
    }
}
