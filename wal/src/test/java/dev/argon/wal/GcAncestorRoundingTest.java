package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonInt32;
import org.junit.jupiter.api.Test;

/**
 * A tag (or fork point) below its branch's own fork point reads an ancestor's state, and there the point may fall
 * inside a multi-entry commit of the ancestor. Reads round it per level; GC must keep and reclaim by the same
 * rounded point on that ancestor.
 */
class GcAncestorRoundingTest extends WalFixture {
    private long commit(int branchId, String... kv) {
        List<LogEntry> es = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            es.add(new LogEntry("db.c", LogEntry.UPDATE, new BsonInt32(i), null, null, List.of(KeyWrite.put(k(kv[i]), v(kv[i + 1])))));
        }
        return wal.commit(new CommitRequest(branchId, "t", null, false, es)).endLsn();
    }

    private String get(ReadView view, String key) {
        byte[] got = wal.get(view, k(key));
        return got == null ? null : new String(got, StandardCharsets.UTF_8);
    }

    private void fsck() {
        wal.close();
        FsckReport report = new FsckReport();
        try (WalInspector in = WalInspector.open(dir)) {
            new WalChecker(in, report).run();
        }
        wal = Wal.open(dir);
        assertTrue(report.clean(), "fsck after GC: " + report.problems());
    }

    /** The dead ancestor's ceiling falls inside its commit: the commit's log entries go, its first version stays. */
    @Test
    void tagBelowForkPointDoesNotCutADeadAncestorsCommit() {
        commit(Branch.MAIN_ID, "k", "v0");                                   // 1
        Branch a = wal.createBranch("a", Branch.MAIN_ID, 1, "t");
        long end = commit(a.id(), "k", "v1", "x", "x1", "y", "y1");          // [2, 4]
        Branch c = wal.createBranch("c", a.id(), end, "t");                  // base 4
        Tag t = wal.createTag("t", c.id(), 3, "t");                          // 3: inside a's [2, 4]
        assertEquals("v0", get(wal.viewAt(c.id(), t.lsn()), "k"));
        wal.dropBranch(c.id());
        wal.dropBranch(a.id());
        wal.gc(new GcRequest(System.currentTimeMillis(), -1, 0, false, 1000, KeyOwners.NONE, null));
        assertEquals("v0", get(wal.viewAt(c.id(), t.lsn()), "k"));
        fsck();
    }

    /** Below the horizon the tag keeps only "the newest version at or below" its point: it must be the rounded one. */
    @Test
    void tagBelowForkPointKeepsTheAncestorsStateItReads() {
        commit(Branch.MAIN_ID, "k", "v0");                                   // 1
        Branch a = wal.createBranch("a", Branch.MAIN_ID, 1, "t");
        commit(a.id(), "k", "va");                                           // 2
        long end = commit(a.id(), "k", "vb", "x", "x1", "y", "y1");          // [3, 5]
        Branch c = wal.createBranch("c", a.id(), end, "t");                  // base 5
        Tag t = wal.createTag("t", c.id(), 4, "t");                          // 4: inside a's [3, 5]
        assertEquals("va", get(wal.viewAt(c.id(), t.lsn()), "k"));
        commit(a.id(), "z", "z1");                                           // 6
        wal.gc(new GcRequest(System.currentTimeMillis() + 1, 0, 0, false, 1000, KeyOwners.NONE, null));
        assertTrue(wal.horizonLsn() > end, "horizon " + wal.horizonLsn());
        assertEquals("va", get(wal.viewAt(c.id(), t.lsn()), "k"), "the tag reads as before GC");
    }
}
