package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.LongConsumer;
import org.bson.BsonInt32;
import org.junit.jupiter.api.Test;

/**
 * Dropped collections: their keys stay while a view can still read the collection (time travel to before the drop,
 * a branch forked before it), and go once no kept catalog version names it.
 */
class ReclaimerOwnersTest extends WalFixture {
    /** Catalog keys "C..." carry their collection id as text; document keys "D<id>:..." belong to it. */
    private static final KeyOwners OWNERS = new KeyOwners() {
        @Override
        public byte[] catalogPrefix() {
            return new byte[] {'C'};
        }

        @Override
        public void owners(byte[] payload, LongConsumer sink) {
            sink.accept(Long.parseLong(new String(payload, StandardCharsets.UTF_8)));
        }

        @Override
        public long owner(byte[] userKey) {
            String s = new String(userKey, StandardCharsets.UTF_8);
            return s.startsWith("D") ? Long.parseLong(s.substring(1, s.indexOf(':'))) : -1;
        }
    };

    private long commit(int branch, String key, String value) {
        KeyWrite w = value == null ? KeyWrite.tombstone(k(key)) : KeyWrite.put(k(key), v(value));
        return wal.commit(new CommitRequest(branch, null, null, false,
                List.of(new LogEntry("db.c", LogEntry.CATALOG, new BsonInt32(0), null, null, List.of(w))))).endLsn();
    }

    private GcReport gc(long retentionMillis, long now) {
        return wal.gc(new GcRequest(now, retentionMillis, GcRequest.DEFAULT_REFLOG_WINDOW_MILLIS, false, 1000, OWNERS, null));
    }

    @Test
    void aDroppedCollectionGoesOnceNoViewNamesIt() throws Exception {
        commit(Branch.MAIN_ID, "Cdb.c", "7");
        commit(Branch.MAIN_ID, "D7:a", "1");
        long beforeDrop = commit(Branch.MAIN_ID, "D7:b", "2");
        Branch child = wal.createBranch("child", Branch.MAIN_ID, beforeDrop, "t");
        commit(Branch.MAIN_ID, "Cdb.c", null);
        Thread.sleep(5);
        long after = commit(Branch.MAIN_ID, "Cdb.d", "8");
        long now = System.currentTimeMillis();

        assertEquals(0, gc(-1, now).versions(), "all history is kept: main@" + beforeDrop + " reads the collection");
        GcReport r = gc(0, now);
        assertEquals(after, r.horizon());
        assertEquals(0, r.versions(), "the child forked before the drop still reads the collection");
        assertEquals("1", new String(wal.get(wal.headView(child.id()), k("D7:a")), StandardCharsets.UTF_8));

        wal.dropBranch(child.id());
        r = gc(0, now);
        // The two documents, the collection's entry and its tombstone: nothing on main hides anything any more.
        assertEquals(4, r.versions(), r.toString());
        assertNull(wal.get(wal.headView(Branch.MAIN_ID), k("D7:a")));
        assertEquals("8", new String(wal.get(wal.headView(Branch.MAIN_ID), k("Cdb.d")), StandardCharsets.UTF_8));
        BranchException e = assertThrows(BranchException.class, () -> wal.viewAt(Branch.MAIN_ID, beforeDrop));
        assertEquals(BranchException.Kind.HISTORY_GONE, e.kind());
    }
}
