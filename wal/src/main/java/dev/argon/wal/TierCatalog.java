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
 * means the default folder. Immutable.
 */
record TierCatalog(long cutoffLsn, List<TierSegment> segments, String location) {
    static final byte[] KEY = "tierCatalog".getBytes(StandardCharsets.US_ASCII);
    static final TierCatalog EMPTY = new TierCatalog(0, List.of(), null);

    static TierCatalog read(WalDb db) {
        byte[] v;
        try {
            v = db.db().get(db.meta(), KEY);
        } catch (org.rocksdb.RocksDBException e) {
            throw new WalException("cannot read the tier catalog: " + e.getMessage(), -1, -1, e);
        }
        return v == null ? EMPTY : decode(v);
    }

    static TierCatalog decode(byte[] bytes) {
        BsonDocument d = Bson.document(bytes);
        List<TierSegment> segs = new ArrayList<>();
        for (BsonValue x : d.getArray("segments")) {
            BsonDocument s = x.asDocument();
            segs.add(new TierSegment(s.getString("name").getValue(), s.getInt64("size").getValue(),
                    s.getInt64("entries").getValue(), s.getInt64("minLsn").getValue(), s.getInt64("maxLsn").getValue(),
                    s.getBinary("minKey").getData(), s.getBinary("maxKey").getData()));
        }
        return new TierCatalog(d.getInt64("cutoffLsn").getValue(), List.copyOf(segs),
                d.containsKey("tier") ? d.getString("tier").getValue() : null);
    }

    byte[] encode() {
        BsonArray a = new BsonArray();
        for (TierSegment s : segments) {
            a.add(new BsonDocument("name", new BsonString(s.name())).append("size", new BsonInt64(s.size()))
                    .append("entries", new BsonInt64(s.entries())).append("minLsn", new BsonInt64(s.minLsn()))
                    .append("maxLsn", new BsonInt64(s.maxLsn())).append("minKey", new BsonBinary(s.minKey()))
                    .append("maxKey", new BsonBinary(s.maxKey())));
        }
        BsonDocument d = new BsonDocument("cutoffLsn", new BsonInt64(cutoffLsn));
        if (location != null) {
            d.append("tier", new BsonString(location));
        }
        return Bson.bytes(d.append("segments", a));
    }

    /** With one more segment, stored in the tier named {@code where} (null: keep the recorded name). */
    TierCatalog with(long cutoff, TierSegment added, String where) {
        List<TierSegment> s = new ArrayList<>(segments);
        s.add(added);
        return new TierCatalog(Math.max(cutoffLsn, cutoff), List.copyOf(s), where == null ? location : where);
    }

    long bytes() {
        long n = 0;
        for (TierSegment s : segments) {
            n += s.size();
        }
        return n;
    }
}
