package dev.argon.engine.session;

import java.util.Map;
import java.util.TreeMap;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonValue;

/**
 * What a session's newest retryable write did: its {@code txnNumber}, when the session last wrote, and the
 * statements already applied with what each answered. Statements whose answer is implied (an inserted document
 * counts one) are kept as ranges of statement ids, so a 100,000-document insert records two numbers; the others
 * (update, delete, findAndModify) keep their result document. Immutable: a command builds the next record with
 * {@link #with} and installs it once its commit has been written. A committed multi-document transaction leaves
 * a record with no statements and {@code state: "committed"}, so that a retried {@code commitTransaction}
 * answers from it, across restarts too. Thread-safe.
 */
public final class TxnRecord {
    /** The answer of a statement whose result is implied (an insert). */
    static final BsonDocument IMPLIED = new BsonDocument();

    private final long txnNumber;
    private final long lastUseMillis;
    /** Ranges of statement ids with an implied result: start &rarr; end, inclusive, disjoint and not adjacent. */
    private final TreeMap<Integer, Integer> implied;
    private final Map<Integer, BsonDocument> results;
    /** True when {@code txnNumber} is a multi-document transaction that committed (a retried commit answers ok). */
    private final boolean committedTransaction;

    private TxnRecord(long txnNumber, long lastUseMillis, TreeMap<Integer, Integer> implied, Map<Integer, BsonDocument> results) {
        this(txnNumber, lastUseMillis, implied, results, false);
    }

    private TxnRecord(long txnNumber, long lastUseMillis, TreeMap<Integer, Integer> implied, Map<Integer, BsonDocument> results,
                      boolean committedTransaction) {
        this.txnNumber = txnNumber;
        this.lastUseMillis = lastUseMillis;
        this.implied = implied;
        this.results = results;
        this.committedTransaction = committedTransaction;
    }

    static TxnRecord empty(long txnNumber, long nowMillis) {
        return new TxnRecord(txnNumber, nowMillis, new TreeMap<>(), Map.of());
    }

    /** The record of a committed transaction: written in the transaction's own commit. */
    static TxnRecord committedTransaction(long txnNumber, long nowMillis) {
        return new TxnRecord(txnNumber, nowMillis, new TreeMap<>(), Map.of(), true);
    }

    /** True when this record's {@code txnNumber} is a transaction that committed. */
    public boolean isCommittedTransaction() {
        return committedTransaction;
    }

    public long txnNumber() {
        return txnNumber;
    }

    public long lastUseMillis() {
        return lastUseMillis;
    }

    /** The answer a statement gave when it was applied (empty for an insert), or null if it was not applied. */
    public BsonDocument result(int stmtId) {
        BsonDocument r = results.get(stmtId);
        if (r != null) {
            return r;
        }
        Map.Entry<Integer, Integer> range = implied.floorEntry(stmtId);
        return range != null && range.getValue() >= stmtId ? IMPLIED : null;
    }

    /** This record plus newly applied statements (empty result documents are implied ones). */
    TxnRecord with(Map<Integer, BsonDocument> applied, long nowMillis) {
        // A record never changes once built, so the side that gains nothing (the ranges of an update, the results
        // of an insert) is shared with this one instead of copied.
        TreeMap<Integer, Integer> ranges = implied;
        Map<Integer, BsonDocument> all = results;
        for (Map.Entry<Integer, BsonDocument> e : applied.entrySet()) {
            if (e.getValue().isEmpty()) {
                if (ranges == implied) {
                    ranges = new TreeMap<>(implied);
                }
                addToRanges(ranges, e.getKey());
            } else {
                if (all == results) {
                    all = new TreeMap<>(results);
                }
                all.put(e.getKey(), e.getValue());
            }
        }
        return new TxnRecord(txnNumber, nowMillis, ranges, all);
    }

    private static void addToRanges(TreeMap<Integer, Integer> ranges, int id) {
        Map.Entry<Integer, Integer> below = ranges.floorEntry(id);
        if (below != null && below.getValue() >= id) {
            return;
        }
        int start = id;
        int end = id;
        if (below != null && below.getValue() == id - 1) {
            start = below.getKey();
        }
        Integer next = id == Integer.MAX_VALUE ? null : ranges.get(id + 1);
        if (next != null) {
            end = next;
            ranges.remove(id + 1);
        }
        ranges.put(start, end);
    }

    /**
     * The stored form as a document: {@code {lsid, txnNumber, lastUse, implied: [[first, last], ...], results:
     * {"<stmtId>": doc}}}; commits store {@link #toBytes}, which must equal its encoding.
     */
    BsonDocument toBson(BsonDocument lsid) {
        BsonArray r = new BsonArray();
        for (Map.Entry<Integer, Integer> e : implied.entrySet()) {
            r.add(new BsonArray(java.util.List.of(new BsonInt32(e.getKey()), new BsonInt32(e.getValue()))));
        }
        BsonDocument res = new BsonDocument();
        for (Map.Entry<Integer, BsonDocument> e : results.entrySet()) {
            res.append(Integer.toString(e.getKey()), e.getValue());
        }
        BsonDocument d = new BsonDocument("lsid", lsid).append("txnNumber", new BsonInt64(txnNumber))
                .append("lastUse", new BsonInt64(lastUseMillis)).append("implied", r).append("results", res);
        if (committedTransaction) {
            d.append("state", new org.bson.BsonString("committed"));
        }
        return d;
    }

    /**
     * The stored form's bytes, exactly {@code Bson.bytes(toBson(lsid))}, written directly: the session key already
     * holds the lsid's BSON ({@code key[lsidOffset..]}), so a retryable write's commit neither builds the record as
     * a document nor encodes the lsid again. {@code TxnRecordTest} compares both.
     */
    byte[] toBytes(byte[] key, int lsidOffset) {
        RecordWriter w = new RecordWriter(64 + key.length - lsidOffset);
        int start = w.begin();
        w.name((byte) 0x03, "lsid");
        w.bytes(key, lsidOffset, key.length - lsidOffset);
        w.name((byte) 0x12, "txnNumber");
        w.int64(txnNumber);
        w.name((byte) 0x12, "lastUse");
        w.int64(lastUseMillis);
        w.name((byte) 0x04, "implied");
        int ranges = w.begin();
        int i = 0;
        for (Map.Entry<Integer, Integer> e : implied.entrySet()) {
            w.name((byte) 0x04, Integer.toString(i++));
            int pair = w.begin();
            w.name((byte) 0x10, "0");
            w.int32(e.getKey());
            w.name((byte) 0x10, "1");
            w.int32(e.getValue());
            w.end(pair);
        }
        w.end(ranges);
        w.name((byte) 0x03, "results");
        int res = w.begin();
        for (Map.Entry<Integer, BsonDocument> e : results.entrySet()) {
            w.name((byte) 0x03, Integer.toString(e.getKey()));
            byte[] doc = dev.argon.wal.Bson.bytes(e.getValue());
            w.bytes(doc, 0, doc.length);
        }
        w.end(res);
        if (committedTransaction) {
            w.name((byte) 0x02, "state");
            w.int32(10);
            w.ascii("committed");
        }
        w.end(start);
        return w.toArray();
    }

    /** Little-endian BSON pieces into one growing array; names and strings here are ASCII. Not thread-safe. */
    private static final class RecordWriter {
        private byte[] buf;
        private int pos;

        RecordWriter(int size) {
            buf = new byte[size];
        }

        /** Opens a document or array: its length is patched by {@link #end}. */
        int begin() {
            int at = pos;
            int32(0);
            return at;
        }

        void end(int start) {
            ensure(1);
            buf[pos++] = 0;
            int n = pos - start;
            buf[start] = (byte) n;
            buf[start + 1] = (byte) (n >>> 8);
            buf[start + 2] = (byte) (n >>> 16);
            buf[start + 3] = (byte) (n >>> 24);
        }

        void name(byte type, String name) {
            ensure(1);
            buf[pos++] = type;
            ascii(name);
        }

        /** An ASCII string and its terminating NUL. */
        void ascii(String s) {
            ensure(s.length() + 1);
            for (int i = 0; i < s.length(); i++) {
                buf[pos++] = (byte) s.charAt(i);
            }
            buf[pos++] = 0;
        }

        void int32(int v) {
            ensure(4);
            for (int i = 0; i < 4; i++) {
                buf[pos++] = (byte) (v >>> (8 * i));
            }
        }

        void int64(long v) {
            ensure(8);
            for (int i = 0; i < 8; i++) {
                buf[pos++] = (byte) (v >>> (8 * i));
            }
        }

        void bytes(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, pos, len);
            pos += len;
        }

        byte[] toArray() {
            return pos == buf.length ? buf : java.util.Arrays.copyOf(buf, pos);
        }

        private void ensure(int n) {
            if (pos + n > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            }
        }
    }

    static TxnRecord fromBson(BsonDocument d) {
        TreeMap<Integer, Integer> ranges = new TreeMap<>();
        for (BsonValue v : d.getArray("implied")) {
            BsonArray pair = v.asArray();
            ranges.put(pair.get(0).asInt32().getValue(), pair.get(1).asInt32().getValue());
        }
        Map<Integer, BsonDocument> results = new TreeMap<>();
        for (Map.Entry<String, BsonValue> e : d.getDocument("results").entrySet()) {
            results.put(Integer.parseInt(e.getKey()), e.getValue().asDocument());
        }
        boolean committed = d.isString("state") && d.getString("state").getValue().equals("committed");
        return new TxnRecord(d.getInt64("txnNumber").getValue(), d.getInt64("lastUse").getValue(), ranges, results, committed);
    }
}
