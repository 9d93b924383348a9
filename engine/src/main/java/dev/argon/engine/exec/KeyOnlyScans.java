package dev.argon.engine.exec;

import dev.argon.engine.bson.BsonOrder;
import dev.argon.engine.bson.KeyEncoder;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.DataView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Answers read only from index keys, as mongod's COUNT_SCAN and DISTINCT_SCAN: a count whose filter the bounds
 * answer exactly counts keys without fetching a document, and a distinct on an index's first field reads one
 * key per distinct value, seeking past the rest of each value's keys. Only over a non-multikey index, where each
 * document has exactly one key. Stateless.
 */
final class KeyOnlyScans {
    private KeyOnlyScans() {}

    /**
     * Whether every document in the plan's bounds matches the filter, so no re-check is needed: a non-multikey
     * index, and a filter that is only equalities or {@code $in} on the point fields and plain comparisons on the
     * range field, each field once, over values whose type bracket the bounds cover exactly (numbers without NaN
     * and with a lower end, since NaN sorts below every number; strings; ObjectIds; booleans; dates).
     */
    static boolean exact(Plan.IxScan ix, BsonDocument filter) {
        IndexBounds b = ix.bounds();
        if (ix.multikey() || ix.withMarkers() || filter == null || filter.isEmpty() || b.index.sparse()) {
            return false;
        }
        List<BsonDocument> clauses = new ArrayList<>();
        if (!flatten(filter, clauses)) {
            return false;
        }
        Set<String> seen = new HashSet<>();
        int bound = b.pointFields + (b.range ? 1 : 0);
        for (BsonDocument clause : clauses) {
            for (Map.Entry<String, BsonValue> e : clause.entrySet()) {
                int at = b.fields.indexOf(e.getKey());
                if (at < 0 || at >= bound || !seen.add(e.getKey())) {
                    return false;
                }
                if (!(at < b.pointFields ? exactPoints(e.getValue()) : exactRange(e.getValue()))) {
                    return false;
                }
            }
        }
        return seen.size() == bound;
    }

    /** The filter's clauses, top level and inside {@code $and}; false when another operator appears. */
    private static boolean flatten(BsonDocument filter, List<BsonDocument> out) {
        for (Map.Entry<String, BsonValue> e : filter.entrySet()) {
            if (e.getKey().equals("$and") && e.getValue().isArray()) {
                for (BsonValue v : e.getValue().asArray()) {
                    if (!v.isDocument() || !flatten(v.asDocument(), out)) {
                        return false;
                    }
                }
            } else if (e.getKey().startsWith("$")) {
                return false;
            } else {
                out.add(new BsonDocument(e.getKey(), e.getValue()));
            }
        }
        return true;
    }

    private static boolean exactPoints(BsonValue v) {
        if (!v.isDocument()) {
            return plainScalar(v);
        }
        BsonDocument ops = v.asDocument();
        if (ops.size() != 1) {
            return false;
        }
        if (ops.containsKey("$eq")) {
            return plainScalar(ops.get("$eq"));
        }
        if (ops.isArray("$in") && !ops.getArray("$in").isEmpty()) {
            return ops.getArray("$in").stream().allMatch(KeyOnlyScans::plainScalar);
        }
        return false;
    }

    private static boolean exactRange(BsonValue v) {
        if (!v.isDocument() || v.asDocument().isEmpty()) {
            return false;
        }
        BsonValue lower = null;
        BsonValue upper = null;
        for (Map.Entry<String, BsonValue> e : v.asDocument().entrySet()) {
            if (!plainScalar(e.getValue())) {
                return false;
            }
            switch (e.getKey()) {
                case "$gt", "$gte" -> {
                    if (lower != null) {
                        return false;
                    }
                    lower = e.getValue();
                }
                case "$lt", "$lte" -> {
                    if (upper != null) {
                        return false;
                    }
                    upper = e.getValue();
                }
                default -> {
                    return false;
                }
            }
        }
        if (lower != null && upper != null && BsonOrder.typeRank(lower) != BsonOrder.typeRank(upper)) {
            return false;
        }
        return lower != null || !BsonOrder.isNumber(upper);
    }

    private static boolean plainScalar(BsonValue v) {
        if (BsonOrder.isNumber(v)) {
            return !(v.isDouble() && Double.isNaN(v.asDouble().getValue())) && !(v.isDecimal128() && v.asDecimal128().getValue().isNaN());
        }
        return v.isString() || v.isObjectId() || v.isBoolean() || v.isDateTime();
    }

    /** The keys in the plan's bounds, counted without fetching (the caller checked {@link #exact}). */
    static long count(DataView view, CollectionInfo c, Plan.IxScan ix, ExecStats stats) {
        long n = 0;
        for (IndexBounds.Interval iv : ix.bounds().intervals) {
            try (DataView.IndexEntryScan s = view.indexScan(c, ix.bounds().index, iv.start().length == 0 ? null : iv.start())) {
                while (s.hasNext() && Arrays.compareUnsigned(s.next(), iv.end()) < 0) {
                    n++;
                }
            }
        }
        stats.keysExamined += n;
        return n;
    }

    /**
     * The documents that carry each distinct value of the index's first field within the bounds: one per value,
     * found by seeking past that value's keys, except under the null key, which missing fields share with
     * explicit nulls (every document there is fetched so that only real values count).
     */
    static List<BsonDocument> distinct(DataView view, CollectionInfo c, Plan.IxScan ix, ExecStats stats) {
        return distinct(view, c, ix, stats, false);
    }

    /**
     * As {@link #distinct(DataView, CollectionInfo, Plan.IxScan, ExecStats)}; with {@code last}, each value's last
     * key in the bounds (one backward seek) adds its document after the first one's when it is another key: the
     * first and the last document of each value in index order.
     */
    static List<BsonDocument> distinct(DataView view, CollectionInfo c, Plan.IxScan ix, ExecStats stats, boolean last) {
        IndexBounds b = ix.bounds();
        byte[] nullKey = KeyEncoder.encode(org.bson.BsonNull.VALUE, b.descending[0]);
        List<BsonDocument> out = new ArrayList<>();
        for (IndexBounds.Interval iv : b.intervals) {
            byte[] from = iv.start();
            while (true) {
                byte[] key;
                try (DataView.IndexEntryScan s = view.indexScan(c, b.index, from.length == 0 ? null : from)) {
                    key = s.hasNext() ? s.next() : null;
                    stats.keysExamined += key == null ? 0 : 1;
                    if (key == null || Arrays.compareUnsigned(key, iv.end()) >= 0) {
                        break;
                    }
                    byte[] value = Arrays.copyOf(key, KeyEncoder.skip(key, 0, b.descending[0]));
                    out.add(fetch(view, c, b, key, stats));
                    if (last && !Arrays.equals(value, nullKey)) {
                        byte[] past = IndexBounds.prefixEnd(value);
                        byte[] upTo = Arrays.compareUnsigned(past, iv.end()) < 0 ? past : iv.end();
                        try (DataView.IndexEntryScan back = view.indexScanBackward(c, b.index, upTo)) {
                            byte[] lastKey = back.hasNext() ? back.next() : null;
                            stats.keysExamined += lastKey == null ? 0 : 1;
                            if (lastKey != null && !Arrays.equals(lastKey, key)) {
                                out.add(fetch(view, c, b, lastKey, stats));
                            }
                        }
                    }
                    if (Arrays.equals(value, nullKey)) {
                        while (s.hasNext()) {
                            byte[] k = s.next();
                            stats.keysExamined++;
                            if (Arrays.compareUnsigned(k, iv.end()) >= 0 || !Arrays.equals(k, 0, value.length, value, 0, value.length)) {
                                break;
                            }
                            out.add(fetch(view, c, b, k, stats));
                        }
                    }
                    from = IndexBounds.prefixEnd(value);
                }
            }
        }
        return out;
    }

    private static BsonDocument fetch(DataView view, CollectionInfo c, IndexBounds b, byte[] key, ExecStats stats) {
        int at = 0;
        for (boolean d : b.descending) {
            at = KeyEncoder.skip(key, at, d);
        }
        stats.docsExamined++;
        stats.keysAdvanced++;
        BsonDocument d = view.documentByEncodedId(c, Arrays.copyOfRange(key, at, key.length));
        return d == null ? new BsonDocument() : d;
    }
}
