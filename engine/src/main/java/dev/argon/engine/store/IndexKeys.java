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
        int arrayFields = 0;
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
                if (arrayField >= 0 && !plain(fields.get(i), fields.get(arrayField))) {
                    throw parallel(fields.get(i), fields.get(arrayField));
                }
                arrayField = i;
                arrayFields++;
            }
            perField.add(values);
        }
        if (index.sparse() && !anyPresent) {
            return out;
        }
        if (arrayFields > 1) {
            // Several fields meet arrays: allowed only where they meet the same array (a shared path prefix), whose
            // elements then give one key each, as mongod's key generator does (not a cross product).
            String[][] paths = new String[fields.size()][];
            BsonValue[] cur = new BsonValue[fields.size()];
            int[] pos = new int[fields.size()];
            for (int i = 0; i < fields.size(); i++) {
                paths[i] = fields.get(i).split("\\.");
                cur[i] = doc;
            }
            joint(paths, cur, pos, new boolean[fields.size()], desc, index.nullKeys(), out);
            if (index.markers()) {
                out.add(ByteBuffer.wrap(MARKER.clone()));
            }
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

    private static ArgonException parallel(String a, String b) {
        return new ArgonException(MongoErrorCode.CANNOT_INDEX_PARALLEL_ARRAYS, "cannot index parallel arrays [" + a + "] [" + b + "]");
    }

    /** Both paths without numeric components (which the joint generation does not address); else the old refusal. */
    private static boolean plain(String a, String b) {
        for (String path : List.of(a, b)) {
            for (String part : path.split("\\.")) {
                if (isIndex(part)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The keys of a compound index whose fields meet arrays, one field cursor per index field: {@code cur[i]} is
     * where field i's path stands after {@code pos[i]} of its parts, {@code done[i]} once {@code cur[i]} is its
     * value. Each cursor descends through documents; a missing part, or a scalar before the path's end, makes
     * the value null. When no cursor stands on an array, one key. Otherwise every cursor that stands on one must
     * stand on the same array (the same path prefix; else 171 "cannot index parallel arrays"), and each element
     * of it continues them together: a cursor whose path ends there takes the element itself, one whose path goes
     * on descends into the element (a non-document element has nothing there: null, or no key from that element
     * when no cursor ends at the array). An empty array: {@code []} (or undefined, on an index without
     * {@link IndexInfo#nullKeys()}) for a path that ends at it, null for one that goes on. An array that yields
     * no key that way gives one with those fields null.
     */
    private static void joint(String[][] paths, BsonValue[] cur, int[] pos, boolean[] done, boolean[] desc, boolean nullKeys,
                              Set<ByteBuffer> out) {
        int n = paths.length;
        int onArray = -1;
        for (int i = 0; i < n; i++) {
            if (done[i]) {
                continue;
            }
            while (pos[i] < paths[i].length && cur[i] != null && cur[i].isDocument()) {
                cur[i] = cur[i].asDocument().get(paths[i][pos[i]]);
                pos[i]++;
            }
            if (cur[i] == null || (!cur[i].isArray() && pos[i] < paths[i].length)) {
                cur[i] = BsonNull.VALUE;
                done[i] = true;
            } else if (!cur[i].isArray()) {
                done[i] = true;
            } else if (onArray < 0) {
                onArray = i;
            } else if (!samePrefix(paths[i], pos[i], paths[onArray], pos[onArray])) {
                throw parallel(String.join(".", paths[i]), String.join(".", paths[onArray]));
            }
        }
        if (onArray < 0) {
            out.add(ByteBuffer.wrap(KeyEncoder.encodeCompound(java.util.Arrays.asList(cur), desc)));
            return;
        }
        BsonArray array = cur[onArray].asArray();
        boolean anyLeaf = false;
        for (int i = 0; i < n; i++) {
            anyLeaf |= !done[i] && pos[i] == paths[i].length;
        }
        boolean any = false;
        for (BsonValue e : array) {
            if (!anyLeaf && !e.isDocument()) {
                continue;
            }
            any = true;
            BsonValue[] c2 = cur.clone();
            int[] p2 = pos.clone();
            boolean[] d2 = done.clone();
            for (int i = 0; i < n; i++) {
                if (done[i]) {
                    continue;
                }
                if (pos[i] == paths[i].length) {
                    c2[i] = e;
                    d2[i] = true;
                } else if (e.isDocument()) {
                    c2[i] = e;
                } else {
                    c2[i] = BsonNull.VALUE;
                    d2[i] = true;
                }
            }
            joint(paths, c2, p2, d2, desc, nullKeys, out);
        }
        if (!any) {
            BsonValue[] c2 = cur.clone();
            for (int i = 0; i < n; i++) {
                if (!done[i]) {
                    c2[i] = pos[i] == paths[i].length && array.isEmpty()
                            ? (nullKeys ? new BsonArray() : new org.bson.BsonUndefined()) : BsonNull.VALUE;
                }
            }
            out.add(ByteBuffer.wrap(KeyEncoder.encodeCompound(java.util.Arrays.asList(c2), desc)));
        }
    }

    private static boolean samePrefix(String[] a, int na, String[] b, int nb) {
        return na == nb && java.util.Arrays.equals(a, 0, na, b, 0, nb);
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
