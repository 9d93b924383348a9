package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

/**
 * Log entries that name their document's key instead of copying it: what a history reader gets back is what was
 * written, and the log itself holds no copy of the document.
 */
class LogImagesTest extends WalFixture {
    private static final byte[] KEY = k("doc1");

    private static BsonDocument doc(int n) {
        return new BsonDocument("_id", new BsonInt32(1)).append("n", new BsonInt32(n)).append("text", new BsonString("x".repeat(200)));
    }

    private static LogEntry put(String op, BsonDocument d) {
        return LogEntry.versioned("db.c", op, new BsonInt32(1), !op.equals(LogEntry.INSERT), List.of(KeyWrite.put(KEY, Bson.bytes(d))));
    }

    private static LogEntry delete() {
        return LogEntry.versioned("db.c", LogEntry.DELETE, new BsonInt32(1), true, List.of(KeyWrite.tombstone(KEY)));
    }

    private CommitResult commit(int branch, String actor, String comment, LogEntry... entries) {
        return wal.commit(new CommitRequest(branch, actor, comment, false, List.of(entries)));
    }

    private LogRecord entryAt(long lsn) {
        List<LogRecord> r = wal.logRange(lsn, lsn);
        assertEquals(1, r.size());
        return r.get(0);
    }

    /*
     * main: insert n=1 (ann, "load") ─ update n=2 ─┬─ delete, in one commit with a re-insert n=4 and an update n=5
     *                                              └─ exp: update n=3 (bob)
     */
    @Test
    void imagesTimeActorAndCommentReadBackAsWritten() {
        CommitResult insert = commit(Branch.MAIN_ID, "ann", "load", put(LogEntry.INSERT, doc(1)));
        CommitResult update = commit(Branch.MAIN_ID, null, null, put(LogEntry.UPDATE, doc(2)));
        Branch exp = wal.createBranch("exp", Branch.MAIN_ID, update.endLsn(), "t");
        CommitResult onExp = commit(exp.id(), "bob", "relabel", put(LogEntry.UPDATE, doc(3)));
        CommitResult three = commit(Branch.MAIN_ID, "cy", null, delete(), put(LogEntry.INSERT, doc(4)), put(LogEntry.UPDATE, doc(5)));

        LogRecord i = entryAt(insert.endLsn());
        assertNull(i.pre());
        assertEquals(doc(1), i.post());
        assertEquals("ann", i.actor());
        assertEquals("load", i.comment());
        assertEquals(insert.timeMillis(), i.time());

        LogRecord u = entryAt(update.endLsn());
        assertEquals(doc(1), u.pre());
        assertEquals(doc(2), u.post());
        assertNull(u.actor());
        assertNull(u.comment());

        LogRecord x = entryAt(onExp.endLsn());
        assertEquals(exp.id(), x.branchId());
        assertEquals(doc(2), x.pre(), "a branch's pre-image is what it saw, its parent's version at the fork");
        assertEquals(doc(3), x.post());
        assertEquals("bob", x.actor());

        List<LogRecord> commit = wal.logRange(three.startLsn(), three.endLsn());
        assertEquals(3, commit.size());
        assertEquals(doc(2), commit.get(0).pre(), "main's pre-image ignores the sibling's later version");
        assertNull(commit.get(0).post());
        assertNull(commit.get(1).pre(), "inside one commit, each entry sees the ones before it");
        assertEquals(doc(4), commit.get(1).post());
        assertEquals(doc(4), commit.get(2).pre());
        assertEquals(doc(5), commit.get(2).post());
        for (LogRecord r : commit) {
            assertEquals("cy", r.actor());
            assertEquals(three.timeMillis(), r.time());
        }
    }

    @Test
    void imagesStillReadAfterManyLaterVersionsAndAReopen() {
        CommitResult first = commit(Branch.MAIN_ID, null, null, put(LogEntry.INSERT, doc(0)));
        List<CommitResult> updates = new ArrayList<>();
        for (int n = 1; n <= 50; n++) {
            updates.add(commit(Branch.MAIN_ID, null, "u" + n, put(LogEntry.UPDATE, doc(n))));
        }
        wal.close();
        wal = Wal.open(dir);
        assertEquals(doc(0), entryAt(first.endLsn()).post());
        LogRecord mid = entryAt(updates.get(24).endLsn());
        assertEquals(doc(24), mid.pre());
        assertEquals(doc(25), mid.post());
        assertEquals("u25", mid.comment());
    }

    @Test
    void theLogHoldsNoCopyOfTheDocument() {
        // Two copies are written, both keyed by the document: its version in `versions` (the history) and the
        // branch's newest version in `latest` (what reads at a head find without the history). The log has none.
        BsonDocument big = new BsonDocument("_id", new BsonInt32(1)).append("text", new BsonString("y".repeat(10_000)));
        long before = wal.storageStats().batchBytes();
        commit(Branch.MAIN_ID, null, null, put(LogEntry.INSERT, big));
        long written = wal.storageStats().batchBytes() - before;
        int size = Bson.bytes(big).length;
        assertTrue(written >= 2L * size && written < 2L * size + 1000, "two copies of a " + size + "-byte document, not " + written + " bytes");
    }

    @Test
    void inlineImagesStayInTheLog() {
        BsonDocument post = new BsonDocument("index", new BsonString("a_1"));
        CommitResult r = commit(Branch.MAIN_ID, null, null,
                new LogEntry("db.c", LogEntry.CATALOG, new BsonString("buildIndex"), null, post, List.of(KeyWrite.put(k("i1"), new byte[0]))));
        LogRecord e = entryAt(r.endLsn());
        assertEquals(post, e.post());
        assertNull(e.pre());
        assertNull(e.imageKey());
    }

    @Test
    void aVersionedEntryCarriesNoImagesOfItsOwn() {
        assertThrows(IllegalArgumentException.class, () -> new LogEntry("db.c", LogEntry.INSERT, new BsonInt32(1), null, doc(1),
                List.of(KeyWrite.put(KEY, Bson.bytes(doc(1)))), LogEntry.Images.POST));
        assertThrows(IllegalArgumentException.class, () -> LogEntry.versioned("db.c", LogEntry.INSERT, new BsonInt32(1), false, List.of()));
        assertFalse(LogEntry.versioned("db.c", LogEntry.INSERT, new BsonInt32(1), false, List.of(KeyWrite.put(KEY, new byte[5])))
                .images() == LogEntry.Images.INLINE);
    }
}
