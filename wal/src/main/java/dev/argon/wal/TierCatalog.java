package dev.argon.wal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * The tier catalog, metadata key {@code tierCatalog}: the segments holding this directory's compacted history
 * and the last pass's cutoff. Written in the same RocksDB batch as the stubs that point into the segments it
 * adds, so a stub never names history the catalog does not list (docs/FORMATS.md, "Tier catalog"). {@code location}
 * names the tier's store ({@link TierConfig#location()}); null in catalogs written before it was recorded, which
 * means the default folder. The log's segments are listed apart ({@code logSegments}, contiguous LSN ranges in
 * order): every log entry with LSN at or below {@code logCutoff} lives only in them, each above it only in
 * RocksDB. {@code manifestSeq} is the tier manifest this catalog matches ({@code tier/manifests/<seq>}, 0: none
 * published yet) and {@code directoryId} the directory's identity that its manifests carry (null until the first
 * change through {@link TierPublisher}, which is the only writer of this key). Immutable.
 */
record TierCatalog(long cutoffLsn, List<TierSegment> segments, String location, long logCutoff,
                   List<TierSegment> logSegments, long manifestSeq, String directoryId) {
    static final byte[] KEY = "tierCatalog".getBytes(StandardCharsets.US_ASCII);
    static final TierCatalog EMPTY = new TierCatalog(0, List.of(), null, 0, List.of(), 0, null);

    static TierCatalog read(WalDb db) {
        return read(db, null);
    }

    /** The catalog as of {@code snapshot}'s read options (null: now). */
    static TierCatalog read(WalDb db, org.rocksdb.ReadOptions snapshot) {
        byte[] v;
        try {
            v = snapshot == null ? db.db().get(db.meta(), KEY) : db.db().get(db.meta(), snapshot, KEY);
        } catch (org.rocksdb.RocksDBException e) {
            throw new WalException("cannot read the tier catalog: " + e.getMessage(), -1, -1, e);
        }
        return v == null ? EMPTY : decode(v);
    }

    static TierCatalog decode(byte[] bytes) {
        BsonDocument d = Bson.document(bytes);
        // Catalogs written before the log was tiered have no log fields: nothing of the log is cold.
        long logCutoff = d.containsKey("logCutoff") ? d.getInt64("logCutoff").getValue() : 0;
        List<TierSegment> logSegs = d.containsKey("logSegments") ? segments(d.getArray("logSegments")) : List.of();
        return new TierCatalog(d.getInt64("cutoffLsn").getValue(), segments(d.getArray("segments")),
                d.containsKey("tier") ? d.getString("tier").getValue() : null, logCutoff, logSegs,
                // Catalogs written before the tier had manifests have neither field.
                d.containsKey("manifest") ? d.getInt64("manifest").getValue() : 0,
                d.containsKey("directory") ? d.getString("directory").getValue() : null);
    }

    private static List<TierSegment> segments(BsonArray array) {
        List<TierSegment> segs = new ArrayList<>();
        for (BsonValue x : array) {
            BsonDocument s = x.asDocument();
            segs.add(new TierSegment(s.getString("name").getValue(), s.getInt64("size").getValue(),
                    s.getInt64("entries").getValue(), s.getInt64("minLsn").getValue(), s.getInt64("maxLsn").getValue(),
                    s.getBinary("minKey").getData(), s.getBinary("maxKey").getData()));
        }
        return List.copyOf(segs);
    }

    private static BsonArray array(List<TierSegment> segs) {
        BsonArray a = new BsonArray();
        for (TierSegment s : segs) {
            a.add(new BsonDocument("name", new BsonString(s.name())).append("size", new BsonInt64(s.size()))
                    .append("entries", new BsonInt64(s.entries())).append("minLsn", new BsonInt64(s.minLsn()))
                    .append("maxLsn", new BsonInt64(s.maxLsn())).append("minKey", new BsonBinary(s.minKey()))
                    .append("maxKey", new BsonBinary(s.maxKey())));
        }
        return a;
    }

    byte[] encode() {
        BsonDocument d = new BsonDocument("cutoffLsn", new BsonInt64(cutoffLsn));
        if (location != null) {
            d.append("tier", new BsonString(location));
        }
        d.append("segments", array(segments)).append("logCutoff", new BsonInt64(logCutoff))
                .append("logSegments", array(logSegments)).append("manifest", new BsonInt64(manifestSeq));
        if (directoryId != null) {
            d.append("directory", new BsonString(directoryId));
        }
        return Bson.bytes(d);
    }

    /** With one more segment, stored in the tier named {@code where} (null: keep the recorded name). */
    TierCatalog with(long cutoff, TierSegment added, String where) {
        List<TierSegment> s = new ArrayList<>(segments);
        s.add(added);
        return new TierCatalog(Math.max(cutoffLsn, cutoff), List.copyOf(s), where == null ? location : where, logCutoff,
                logSegments, manifestSeq, directoryId);
    }

    /**
     * With a log segment added whose entries are all those with LSN in (logCutoff, newLogCutoff], stored in the
     * tier named {@code where} (null: keep the recorded name).
     */
    TierCatalog withLog(long newLogCutoff, TierSegment added, String where) {
        List<TierSegment> s = new ArrayList<>(logSegments);
        s.add(added);
        return new TierCatalog(cutoffLsn, segments, where == null ? location : where, Math.max(logCutoff, newLogCutoff),
                List.copyOf(s), manifestSeq, directoryId);
    }

    /** The same catalog as matching manifest {@code seq}. */
    TierCatalog withManifest(long seq) {
        return new TierCatalog(cutoffLsn, segments, location, logCutoff, logSegments, seq, directoryId);
    }

    /** The same catalog with this identity. */
    TierCatalog withDirectory(String id) {
        return new TierCatalog(cutoffLsn, segments, location, logCutoff, logSegments, manifestSeq, id);
    }

    /** The object keys of every segment it names, both kinds. */
    java.util.Set<String> objectKeys() {
        java.util.Set<String> out = new java.util.HashSet<>();
        segments.forEach(x -> out.add(x.objectKey()));
        logSegments.forEach(x -> out.add(x.objectKey()));
        return out;
    }

    /**
     * With segments replaced by a segment rewrite pass ({@link TierMerger}): the gone ones (by name) out, the new ones
     * in, each name once; the log's kept in LSN order. The cutoffs stay: the rewrite moves nothing in or out of the tier.
     */
    TierCatalog replacing(List<TierSegment> goneVersions, List<TierSegment> newVersions, List<TierSegment> goneLog,
                          List<TierSegment> newLog) {
        List<TierSegment> log = replaced(logSegments, goneLog, newLog);
        log.sort((a, b) -> Long.compare(a.minLsn(), b.minLsn()));
        return new TierCatalog(cutoffLsn, List.copyOf(replaced(segments, goneVersions, newVersions)), location, logCutoff,
                List.copyOf(log), manifestSeq, directoryId);
    }

    private static List<TierSegment> replaced(List<TierSegment> now, List<TierSegment> gone, List<TierSegment> added) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (TierSegment s : gone) {
            out.add(s.name());
        }
        java.util.Map<String, TierSegment> byName = new java.util.LinkedHashMap<>();
        for (TierSegment s : now) {
            if (!out.contains(s.name())) {
                byName.putIfAbsent(s.name(), s);
            }
        }
        for (TierSegment s : added) {
            byName.putIfAbsent(s.name(), s);
        }
        return new ArrayList<>(byName.values());
    }

    /** Whether any history lives in the tier (then opening the directory needs its store). */
    boolean tiered() {
        return !segments.isEmpty() || !logSegments.isEmpty();
    }

    /** Bytes of all its segments, the log's included. */
    long bytes() {
        long n = 0;
        for (TierSegment s : segments) {
            n += s.size();
        }
        for (TierSegment s : logSegments) {
            n += s.size();
        }
        return n;
    }
}
