package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

/**
 * Streamed commits: chunks staged above the published head are invisible until the publishing batch, rounding
 * to commit boundaries is per branch when other branches commit in between, and an abort or a crash never lets
 * the chunks become visible, whatever the branch commits next.
 */
class StagedCommitTest extends WalFixture {

    private CommitResult put(int branch, String key, String value) {
        return wal.commit(new CommitRequest(branch, "t", null, false, List.of(insert(key, v(value)))));
    }

    private byte[] read(ReadView view, String key) {
        return wal.get(view, k(key));
    }

    private FsckReport fsck() {
        FsckReport report = new FsckReport();
        try (WalInspector in = WalInspector.open(dir)) {
            new WalChecker(in, report).run();
        }
        return report;
    }

    @Test
    void stagedChunksAreInvisibleUntilPublished() {
        put(Branch.MAIN_ID, "a", "old");
        long head = wal.branch(Branch.MAIN_ID).headLsn();
        StagedCommit s = wal.stage(Branch.MAIN_ID, "t", "big");
        CommitResult chunk = s.stage(List.of(insert("a", v("new")), insert("b", v("1"))));
        s.stage(List.of(insert("c", v("2"))));
        assertEquals(head + 1, chunk.startLsn());

        // Everyone else reads the published head, however they get there.
        assertEquals(head, wal.branch(Branch.MAIN_ID).headLsn());
        assertArrayEquals(v("old"), read(wal.headView(Branch.MAIN_ID), "a"));
        assertNull(read(wal.headView(Branch.MAIN_ID), "b"));
        assertNull(read(wal.viewAt(Branch.MAIN_ID, Long.MAX_VALUE), "c"));
        Branch fork = wal.createBranch("fork", Branch.MAIN_ID, wal.lastLsn(), "t");
        assertEquals(head, fork.baseLsn(), "a branch forks at the published head");
        Tag tag = wal.createTag("before", Branch.MAIN_ID, wal.lastLsn(), "t");
        assertEquals(head, tag.lsn(), "a tag points at the published head");
        // The staged commit itself sees its chunks.
        assertArrayEquals(v("new"), read(s.view(), "a"));
        assertArrayEquals(v("2"), read(s.view(), "c"));

        CommitResult r = s.publish(List.of(insert("d", v("3"))), List.of(KeyWrite.put(v("meta/x"), v("y"))), false);
        assertEquals(chunk.startLsn(), r.startLsn());
        assertEquals(r.endLsn(), wal.branch(Branch.MAIN_ID).headLsn());
        ReadView after = wal.headView(Branch.MAIN_ID);
        assertArrayEquals(v("new"), read(after, "a"));
        assertArrayEquals(v("3"), read(after, "d"));
        assertArrayEquals(v("y"), wal.meta(v("meta/x")));
        // What was fixed before the publish stays as it was.
        assertArrayEquals(v("old"), read(wal.viewAt(Branch.MAIN_ID, tag.lsn()), "a"));
        assertNull(read(wal.headView(fork.id()), "b"));

        List<BsonDocument> commits = wal.commits(Branch.MAIN_ID, head, r.endLsn());
        assertEquals(1, commits.size(), "one commit, whatever the number of chunks");
        assertEquals(2, commits.get(0).getInt32("chunks").getValue());
        assertEquals(4, commits.get(0).getDocument("counts").getDocument("db.c").getInt32("insert").getValue());
        assertEquals(2, wal.stagingStats().chunks());
        assertEquals(1, wal.stagingStats().published());
        wal.close();
        FsckReport report = fsck();
        assertTrue(report.clean(), report.problems().toString());
        wal = Wal.open(dir);
    }

    @Test
    void roundingIsPerBranchWhenOtherBranchesCommitInBetween() {
        Branch exp = wal.createBranch("exp", Branch.MAIN_ID, 0, "t");
        StagedCommit s = wal.stage(Branch.MAIN_ID, "t", null);
        CommitResult c1 = s.stage(List.of(insert("m1", v("1")), insert("m2", v("2"))));   // 1..2
        CommitResult e1 = put(exp.id(), "e1", "x");                                          // 3
        s.stage(List.of(insert("m3", v("3"))));                                              // 4
        CommitResult e2 = put(exp.id(), "e2", "y");                                          // 5
        CommitResult r = s.publish(List.of(insert("m4", v("4"))), List.of(), false);         // 6
        assertEquals(1, c1.startLsn());
        assertEquals(3, e1.endLsn());
        assertEquals(6, r.endLsn());

        // A point inside main's streamed commit rounds below it for main, and is a boundary for exp.
        assertEquals(0, wal.roundToCommit(Branch.MAIN_ID, 3));
        assertEquals(0, wal.roundToCommit(Branch.MAIN_ID, 5));
        assertEquals(6, wal.roundToCommit(Branch.MAIN_ID, 6));
        assertEquals(3, wal.roundToCommit(exp.id(), 3));
        assertEquals(4, wal.roundToCommit(exp.id(), 4));
        assertNull(read(wal.viewAt(Branch.MAIN_ID, 5), "m1"), "no reader sees part of main's commit");
        assertArrayEquals(v("4"), read(wal.viewAt(Branch.MAIN_ID, 6), "m4"));
        assertArrayEquals(v("x"), read(wal.viewAt(exp.id(), 4), "e1"));
        assertNull(read(wal.viewAt(exp.id(), 4), "e2"));

        // Forking inside the commit forks below it; reading a later child below its fork point rounds too.
        assertEquals(0, wal.createBranch("inside", Branch.MAIN_ID, 4, "t").baseLsn());
        Branch late = wal.createBranch("late", Branch.MAIN_ID, 6, "t");
        assertNull(read(wal.viewAt(late.id(), 4), "m1"));
        assertArrayEquals(v("1"), read(wal.headView(late.id()), "m1"));

        // Reading one commit's entries by its branch skips the other branch's.
        List<String> ids = new ArrayList<>();
        try (LogScan scan = wal.scanLog(Branch.MAIN_ID, r.startLsn(), r.endLsn(), false)) {
            scan.forEachRemaining(e -> ids.add(Long.toString(e.lsn())));
        }
        assertEquals(List.of("1", "2", "4", "6"), ids);
        List<String> back = new ArrayList<>();
        try (LogScan scan = wal.scanLog(Branch.MAIN_ID, r.startLsn(), r.endLsn(), true)) {
            scan.forEachRemaining(e -> back.add(Long.toString(e.lsn())));
        }
        assertEquals(List.of("6", "4", "2", "1"), back);
        assertEquals(e2.endLsn(), wal.branch(exp.id()).headLsn());
        wal.close();
        FsckReport report = fsck();
        assertTrue(report.clean(), report.problems().toString());
        wal = Wal.open(dir);
    }

    @Test
    void aPublishWithNoLastEntriesTakesAFreshLsn() {
        StagedCommit s = wal.stage(Branch.MAIN_ID, "t", null);
        CommitResult chunk = s.stage(List.of(insert("a", v("1"))));
        CommitResult r = s.publish(List.of(), List.of(), false);
        assertEquals(chunk.endLsn() + 1, r.endLsn(), "the commit record's own LSN");
        assertEquals(r.endLsn(), wal.lastLsn());
        assertArrayEquals(v("1"), read(wal.headView(Branch.MAIN_ID), "a"));
        put(Branch.MAIN_ID, "b", "2");
        wal.close();
        FsckReport report = fsck();
        assertTrue(report.clean(), report.problems().toString());
        wal = Wal.open(dir);
    }

    @Test
    void anAbortRetiresTheBranchIdSoLaterCommitsNeverShowTheChunks() {
        Branch exp = wal.createBranch("exp", Branch.MAIN_ID, 0, "t");
        put(exp.id(), "kept", "1");
        StagedCommit s = wal.stage(exp.id(), "t", null);
        s.stage(List.of(insert("orphan", v("x")), insert("kept", v("changed"))));
        s.abort();

        Branch now = wal.branch("exp");
        assertNotEquals(exp.id(), now.id(), "the name moved to a new id");
        assertEquals(exp.id(), now.parentId());
        assertEquals(wal.branch(exp.id()).headLsn(), now.baseLsn(), "forked at the published head");
        assertNull(wal.branch(exp.id()).name());
        assertNotNull(wal.meta(StagedCommit.abandonedKey(exp.id())));
        assertNull(wal.meta(StagedCommit.stagingKey(exp.id())));
        // The next commits move the head far above the orphaned chunks: still invisible.
        for (int i = 0; i < 5; i++) {
            put(now.id(), "new" + i, "n");
        }
        ReadView head = wal.headView(now.id());
        assertNull(read(head, "orphan"));
        assertArrayEquals(v("1"), read(head, "kept"));
        assertArrayEquals(v("n"), read(head, "new4"));
        BranchException refused = assertThrows(BranchException.class, () -> put(exp.id(), "late", "z"));
        assertEquals(BranchException.Kind.RETIRED, refused.kind());
        assertEquals(1, wal.stagingStats().aborted());

        wal.close();
        FsckReport report = fsck();
        assertTrue(report.clean(), report.problems().toString());
        assertEquals(2L, report.counts().get("unpublishedEntries"));
        wal = Wal.open(dir);
        assertNull(read(wal.headView(wal.branch("exp").id()), "orphan"));
    }

    @Test
    void chunksLeftByACrashAreDiscardedWhenTheDirectoryIsOpened() throws Exception {
        put(Branch.MAIN_ID, "a", "1");
        StagedCommit s = wal.stage(Branch.MAIN_ID, "t", null);
        s.stage(List.of(insert("a", v("torn")), insert("b", v("torn"))));
        // The process dies here: the chunk and its marker are on disk, no commit record, no head move.
        wal.close();
        FsckReport before = fsck();
        assertTrue(before.clean(), "an unpublished streamed commit is not damage: " + before.problems());
        assertEquals(2L, before.counts().get("unpublishedEntries"));

        wal = Wal.open(dir);
        assertEquals(1, wal.stagingStats().recovered());
        Branch main = wal.branch(Branch.MAIN);
        assertNotEquals(Branch.MAIN_ID, main.id());
        assertArrayEquals(v("1"), read(wal.headView(main.id()), "a"));
        for (int i = 0; i < 4; i++) {
            put(main.id(), "c" + i, "x");
        }
        assertArrayEquals(v("1"), read(wal.headView(main.id()), "a"));
        assertNull(read(wal.headView(main.id()), "b"));
        assertNull(read(wal.viewAt(main.id(), wal.lastLsn()), "b"));
        // main@<lsn before the crash> resolves to the old id, which shows the same published state.
        assertArrayEquals(v("1"), read(wal.viewAt(wal.branchAsOf(main, 1).id(), 1), "a"));
        wal.close();
        FsckReport after = fsck();
        assertTrue(after.clean(), after.problems().toString());
        wal = Wal.open(dir);
        assertEquals(0, wal.stagingStats().recovered(), "retired once");
    }

    @Test
    void fsckStillFindsDamageAroundStagedRanges() throws Exception {
        put(Branch.MAIN_ID, "a", "1");
        StagedCommit s = wal.stage(Branch.MAIN_ID, "t", null);
        CommitResult chunk = s.stage(List.of(insert("b", v("2"))));
        wal.close();
        // A head moved over unpublished chunks would show them.
        try (Damage d = new Damage(dir)) {
            d.setHead(Branch.MAIN_ID, chunk.endLsn());
        }
        FsckReport moved = fsck();
        assertTrue(moved.problems().stream().anyMatch(p -> p.check().equals(FsckReport.STAGED)), moved.problems().toString());
        // Entries outside every commit without a staging or abandoned record are still damage.
        try (Damage d = new Damage(dir)) {
            d.setHead(Branch.MAIN_ID, chunk.startLsn() - 1);
            d.deleteMeta(StagedCommit.stagingKey(Branch.MAIN_ID));
        }
        FsckReport unmarked = fsck();
        assertTrue(unmarked.problems().stream().anyMatch(p -> p.check().equals(FsckReport.LOG_OUTSIDE_COMMIT)), unmarked.problems().toString());
        wal = Wal.open(dir);
    }
}
