package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * What one commit's batch puts on disk: the commit record, branch record and log entries written field by field
 * are byte for byte the documents docs/FORMATS.md describes, versions and {@code latest} entries written through
 * the direct buffers are the layouts of {@link VersionKeys} and {@link LatestKeys} (for payloads too large for the
 * buffers as well), and the list of keys a small commit writes is the documented one.
 */
class CommitBatchTest extends WalFixture {

    @Test
    void recordsAreTheDocumentsTheFormatDescribes() throws Exception {
        Branch exp = wal.createBranch("exp", Branch.MAIN_ID, wal.lastLsn(), "creator");
        BsonDocument origin = new BsonDocument("lsid", new BsonDocument("id", new BsonBinary(new byte[16])))
                .append("txnNumber", new BsonInt64(7));
        List<CommitRequest> requests = List.of(
                new CommitRequest(Branch.MAIN_ID, null, null, false, List.of(insert("a", v("1")))),
                new CommitRequest(Branch.MAIN_ID, "alice", "a comment é", false, List.of(
                        insert("b", v("2")),
                        LogEntry.versioned("db.c", LogEntry.UPDATE, new BsonString("x"), true, List.of(KeyWrite.put(k("b"), v("3")))),
                        LogEntry.versioned("db.d", LogEntry.DELETE, new BsonInt32(9), true, List.of(KeyWrite.tombstone(k("d")), KeyWrite.tombstone(k("i1")))),
                        LogEntry.versioned("db.c", LogEntry.UPDATE, new BsonInt32(2), false, List.of(KeyWrite.put(k("c"), v("4")))).asReplacement(),
                        new LogEntry("db.d", LogEntry.CATALOG, new BsonString("buildIndex"), null,
                                new BsonDocument("index", new BsonString("a_1")), List.of(KeyWrite.put(k("i2"), new byte[0]))),
                        LogEntry.versioned("db.c", LogEntry.INSERT, null, false, List.of(KeyWrite.put(k("n"), v("5"))))),
                        List.of(KeyWrite.put(k("meta1"), v("m"))), origin),
                new CommitRequest(exp.id(), "bob", null, false, List.of(insert("a", v("6"))), List.of(), origin),
                // An origin field named as one of the record's own: appended, it replaces the record's in place.
                new CommitRequest(exp.id(), null, null, false, List.of(insert("e", v("7"))), List.of(),
                        new BsonDocument("lsid", new BsonInt32(1)).append("time", new BsonString("theirs"))),
                new CommitRequest(exp.id(), null, null, false, List.of(insert("raw", v("8"))), List.of(),
                        RawBsonDocument.parse("{\"lsid\": {\"id\": 1}, \"txnNumber\": {\"$numberLong\": \"3\"}}")));
        for (CommitRequest r : requests) {
            CommitResult result = wal.commit(r);
            WalDb db = wal.db();
            byte[] commitKey = new byte[12];
            Bytes.putInt(commitKey, 0, r.branchId());
            Bytes.putLong(commitKey, 4, result.endLsn());
            assertArrayEquals(Bson.bytes(GroupBatch.commitRecordDocument(result.startLsn(), result.endLsn(), result.timeMillis(), r, counts(r))),
                    db.db().get(db.commits(), commitKey), "commit record of " + r);
            Branch head = wal.branch(r.branchId());
            assertEquals(result.endLsn(), head.headLsn());
            assertArrayEquals(Bson.bytes(BranchRegistry.document(head)), db.db().get(db.meta(), BranchRegistry.key(r.branchId())));
            long lsn = result.startLsn();
            Map<String, byte[]> latest = new LinkedHashMap<>();
            for (LogEntry e : r.entries()) {
                assertArrayEquals(Bson.bytes(LogCodec.encode(e, r.branchId())), db.db().get(db.log(), Bytes.longKey(lsn)), "log entry at " + lsn);
                for (KeyWrite w : e.writes()) {
                    assertArrayEquals(VersionKeys.value(w.payload()), db.db().get(db.versions(), VersionKeys.key(w.userKey(), r.branchId(), lsn)));
                    // The branch's newest version of the key: the last write of it in the commit.
                    latest.put(HexFormat.of().formatHex(LatestKeys.key(w.userKey(), r.branchId())), LatestKeys.value(lsn, w.payload()));
                }
                lsn++;
            }
            for (Map.Entry<String, byte[]> l : latest.entrySet()) {
                assertArrayEquals(l.getValue(), db.db().get(db.latest(), HexFormat.of().parseHex(l.getKey())));
            }
            for (KeyWrite w : r.metaWrites()) {
                assertArrayEquals(w.payload(), db.db().get(db.meta(), w.userKey()));
            }
        }
        // The same records again after a restart, read back through the registry.
        wal.close();
        wal = Wal.open(dir);
        assertEquals(wal.lastLsn(), wal.branch(exp.id()).headLsn());
    }

    @Test
    void aPayloadLargerThanTheBuffersIsWrittenWhole() throws Exception {
        byte[] big = new byte[DirectPuts.VALUE_BYTES + 17];
        new Random(3).nextBytes(big);
        byte[] longKey = new byte[DirectPuts.KEY_BYTES + 1];
        Arrays.fill(longKey, (byte) 'k');
        longKey[longKey.length - 1] = 0;
        CommitResult r = wal.commit(new CommitRequest(Branch.MAIN_ID, null, null, false, List.of(
                new LogEntry("db.c", LogEntry.INSERT, new BsonInt32(1), null, null, List.of(KeyWrite.put(k("big"), big))),
                new LogEntry("db.c", LogEntry.INSERT, new BsonInt32(2), null, null, List.of(KeyWrite.put(longKey, v("small")))),
                new LogEntry("db.c", LogEntry.INSERT, new BsonInt32(3), null, null,
                        List.of(KeyWrite.put(k("fits"), Arrays.copyOf(big, DirectPuts.VALUE_BYTES - 9)))))));
        ReadView head = wal.viewAt(Branch.MAIN_ID, r.endLsn());
        assertArrayEquals(big, wal.get(head, k("big")));
        assertArrayEquals(v("small"), wal.get(head, longKey));
        assertArrayEquals(Arrays.copyOf(big, DirectPuts.VALUE_BYTES - 9), wal.get(head, k("fits")));
        WalDb db = wal.db();
        assertArrayEquals(LatestKeys.value(r.startLsn(), big), db.db().get(db.latest(), LatestKeys.key(k("big"), Branch.MAIN_ID)));
        assertArrayEquals(VersionKeys.value(big), db.db().get(db.versions(), VersionKeys.key(k("big"), Branch.MAIN_ID, r.startLsn())));
    }

    /**
     * The keys one small commit writes, each named: docs/FORMATS.md ("Keys of one commit") lists the same. One
     * insert of one document with no secondary index writes nine with a retryable-write record, eight without, two of them once per group (lastLsn, lastTime).
     */
    @Test
    void aSmallCommitWritesTheDocumentedKeys() throws Exception {
        wal.commit(new CommitRequest(Branch.MAIN_ID, null, null, false, List.of(insert("a", v("1")))));
        List<String> before = ArchiveRoundTripTest.dump(wal.db());
        // A later millisecond, so that lastTime changes too.
        Thread.sleep(3);
        CommitResult r = wal.commit(new CommitRequest(Branch.MAIN_ID, null, null, false,
                List.of(insert("b", v("2"))), List.of(KeyWrite.put(k("txn/session"), v("record")))));
        List<String> after = ArchiveRoundTripTest.dump(wal.db());
        List<String> changed = new ArrayList<>(after);
        changed.removeAll(before);
        List<String> kinds = new ArrayList<>();
        for (String line : changed) {
            kinds.add(kind(line));
        }
        kinds.sort(null);
        assertEquals(List.of("commits", "default branch/", "default lastLsn", "default lastTime",
                "default txn/", "latest", "log", "times", "versions"), kinds, String.join("\n", changed));
        assertNotNull(r);
    }

    private static String kind(String dumpLine) {
        String[] p = dumpLine.split(" ");
        if (!p[0].equals("default")) {
            return p[0];
        }
        String key = new String(HexFormat.of().parseHex(p[1]), java.nio.charset.StandardCharsets.ISO_8859_1);
        int slash = key.indexOf('/');
        return "default " + (slash >= 0 ? key.substring(0, slash + 1) : key);
    }

    private static Map<String, int[]> counts(CommitRequest r) {
        Map<String, int[]> out = new LinkedHashMap<>();
        for (LogEntry e : r.entries()) {
            out.computeIfAbsent(e.ns(), k -> new int[4])["iudc".indexOf(e.op())]++;
        }
        return out;
    }
}
