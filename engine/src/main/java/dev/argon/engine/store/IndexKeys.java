package dev.argon.engine.store;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.bson.KeyEncoder;
import dev.argon.engine.query.Matcher;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonValue;

/**
 * The index keys a document produces for one index, MongoDB-style: a missing field indexes as null, an array
 * indexes each of its elements (a multikey index), at most one field of a compound key may be an array
 * ("cannot index parallel arrays"), a sparse index skips documents that have none of its fields and a partial
 * index skips documents its filter does not match.
 *
 * <p>With {@link IndexInfo#nullKeys()} (every index built since the flag exists) the keys follow the query
 * language's view of a missing value ({@code DocPath}): an array element that is a document without the rest of
 * the path, or a scalar met before the path's end, adds the null key ({@code {a: [{b: 1}, {c: 2}]}} gives 1 and
 * null for {@code a.b}), so every document {@code {"a.b": null}} matches has a null key; an empty array at the
 * path's end is the key {@code []}, apart from null ({@code {a: []}} does not match {@code {a: null}}). Without
 * the flag, the old keys: no key for an element that lacks the path, and an empty array as null. Stateless.
 */
public final class IndexKeys {
    /**
     * The key of a multikey marker: an index with {@link IndexInfo#markers()} has the entry {@code MARKER | enc(_id)}
     * for each document that produced an array key. No encoded key starts with 0xFF (type bytes and their
     * complements stay within 0x05..0xFA), so markers sort after every real key. They tell the planner, through
     * the same versioned reads as everything else, whether the index is multikey on this branch at this point,
     * and which documents a tight range could miss.
     */
    public static final byte[] MARKER = {(byte) 0xFF};

    private IndexKeys() {}

    public static boolean isMarker(ByteBuffer key) {
        return key.remaining() == 1 && key.get(key.position()) == MARKER[0];
    }

    /** Encoded keys, deduplicated (a document is indexed once per distinct key). */
    public static Set<ByteBuffer> of(IndexInfo index, Matcher partial, BsonDocument doc) {
        Set<ByteBuffer> out = new LinkedHashSet<>();
        if (doc == null || (partial != null && !partial.matches(doc))) {
            return out;
        }
        List<String> fields = new ArrayList<>(index.key().keySet());
        boolean[] desc = new boolean[fields.size()];
        List<List<BsonValue>> perField = new ArrayList<>();
        int arrayField = -1;
        boolean anyPresent = false;
        for (int i = 0; i < fields.size(); i++) {
            BsonValue dir = index.key().get(fields.get(i));
            desc[i] = dir.isNumber() && dir.asNumber().doubleValue() < 0;
            List<BsonValue> values = new ArrayList<>();
            // multi[0]: an array was met; multi[1]: a real value (not a missing one) was reached.
            boolean[] multi = new boolean[2];
            collect(doc, fields.get(i).split("\\."), 0, values, multi, index.nullKeys());
            anyPresent |= multi[1];
            if (values.isEmpty()) {
                values.add(BsonNull.VALUE);
            }
            if (multi[0] || values.size() > 1) {
                if (arrayField >= 0) {
                    throw new ArgonException(MongoErrorCode.CANNOT_INDEX_PARALLEL_ARRAYS,
                            "cannot index parallel arrays [" + fields.get(i) + "] [" + fields.get(arrayField) + "]");
                }
                arrayField = i;
            }
            perField.add(values);
        }
        if (index.sparse() && !anyPresent) {
            return out;
        }
        List<BsonValue> combo = new ArrayList<>();
        for (List<BsonValue> v : perField) {
            combo.add(v.get(0));
        }
        if (arrayField < 0) {
            out.add(ByteBuffer.wrap(KeyEncoder.encodeCompound(combo, desc)));
        } else {
            for (BsonValue v : perField.get(arrayField)) {
                combo.set(arrayField, v);
                out.add(ByteBuffer.wrap(KeyEncoder.encodeCompound(combo, desc)));
            }
            if (index.markers()) {
                out.add(ByteBuffer.wrap(MARKER.clone()));
            }
        }
        return out;
    }

    private static void collect(BsonValue cur, String[] path, int i, List<BsonValue> out, boolean[] multi, boolean nullKeys) {
        if (i == path.length) {
            multi[1] = true;
            if (cur.isArray()) {
                multi[0] = true;
                BsonArray a = cur.asArray();
                if (a.isEmpty()) {
                    out.add(nullKeys ? new BsonArray() : new org.bson.BsonUndefined());
                }
                for (BsonValue e : a) {
                    out.add(e);
                }
            } else {
                out.add(cur);
            }
            return;
        }
        if (cur.isDocument()) {
            BsonValue next = cur.asDocument().get(path[i]);
            if (next != null) {
                collect(next, path, i + 1, out, multi, nullKeys);
            } else if (nullKeys) {
                out.add(BsonNull.VALUE);
            }
        } else if (!cur.isArray()) {
            if (nullKeys) {
                out.add(BsonNull.VALUE); // a scalar before the path's end: the path is missing here
            }
        } else {
            multi[0] = true;
            BsonArray a = cur.asArray();
            if (isIndex(path[i])) {
                int idx = Integer.parseInt(path[i]);
                if (idx < a.size()) {
                    collect(a.get(idx), path, i + 1, out, multi, nullKeys);
                }
            }
            for (BsonValue e : a) {
                if (e.isDocument()) {
                    collect(e, path, i, out, multi, nullKeys);
                }
            }
        }
    }

    private static boolean isIndex(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

}
