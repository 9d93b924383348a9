package dev.argon.engine.update;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.aggregate.BsonText;
import dev.argon.engine.query.MatchDetails;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonValue;

/**
 * The document being updated by one {@link UpdateSpec#apply} call. Copy-on-write: only the documents and
 * arrays on modified paths are copied, so the input document is never changed and unmodified subtrees are
 * shared with it. Enforces _id immutability and detects runtime path conflicts of positional updates.
 * Not thread-safe; one per application.
 */
final class WorkingDoc {
    /** MongoDB refuses to pad an array with more nulls than this. */
    static final int MAX_PADDING = 1_500_000;

    final BsonDocument root;
    final boolean insert;
    final long nowMillis;
    private final Set<BsonValue> owned = Collections.newSetFromMap(new IdentityHashMap<>());
    private final MatchDetails details;
    private final ArrayFilters filters;
    private final BsonValue originalId;
    private final Set<String> touched;
    private final Set<String> touchedPrefixes;

    WorkingDoc(BsonDocument original, MatchDetails details, boolean insert, ArrayFilters filters, boolean trackPaths) {
        this.root = copy(original);
        this.details = details;
        this.insert = insert;
        this.filters = filters;
        this.originalId = original.get("_id");
        this.nowMillis = System.currentTimeMillis();
        this.touched = trackPaths ? new HashSet<>() : null;
        this.touchedPrefixes = trackPaths ? new HashSet<>() : null;
    }

    ArrayFilters filters() {
        return filters;
    }

    /** The array position matched by the query, for the positional $ operator. */
    int positionalIndex() {
        Integer i = details == null ? null : details.arrayIndex();
        if (i == null) {
            throw ArgonException.badValue("The positional operator did not find the match needed from the query.");
        }
        return i;
    }

    /** "_id: 1" as MongoDB prints the document's id in error messages, or "no id". */
    String idText() {
        BsonValue id = root.get("_id");
        return id == null ? "no id" : BsonText.element("_id", id);
    }

    /** Read-only traversal of the first count components; null if missing or not traversable. */
    BsonValue read(String[] parts, int count) {
        BsonValue cur = root;
        for (int i = 0; i < count; i++) {
            cur = child(cur, parts[i]);
            if (cur == null) {
                return null;
            }
        }
        return cur;
    }

    private static BsonValue child(BsonValue container, String key) {
        if (container instanceof BsonDocument) {
            return ((BsonDocument) container).get(key);
        }
        if (container instanceof BsonArray) {
            int idx = arrayIndex(key);
            BsonArray arr = (BsonArray) container;
            return idx >= 0 && idx < arr.size() ? arr.get(idx) : null;
        }
        return null;
    }

    /** Non-negative index for an all-digit component, Integer.MAX_VALUE if too large, else -1. */
    static int arrayIndex(String key) {
        if (key.isEmpty()) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = Math.min(v * 10 + (c - '0'), Integer.MAX_VALUE);
        }
        return (int) v;
    }

    /**
     * The slot for a concrete path, copying containers on the way. With create, missing intermediate
     * fields become documents (array indexes are padded with nulls) and a non-container in the way throws
     * PathNotViable; without create, null is returned when the parent does not exist.
     */
    Slot resolve(String[] parts, boolean create) {
        BsonValue cur = root;
        String curName = null;
        for (int i = 0; i < parts.length - 1; i++) {
            String p = parts[i];
            if (cur instanceof BsonArray && arrayIndex(p) < 0) {
                if (!create) {
                    return null;
                }
                throw notViable(p, curName, cur);
            }
            BsonValue next = child(cur, p);
            if (next == null) {
                if (!create) {
                    return null;
                }
                BsonDocument fresh = new BsonDocument();
                owned.add(fresh);
                new Slot(this, cur, p, join(parts, i + 1)).put(fresh);
                next = fresh;
            } else if (next instanceof BsonDocument || next instanceof BsonArray) {
                if (!owned.contains(next)) {
                    next = copy(next);
                    new Slot(this, cur, p, join(parts, i + 1)).put(next);
                }
            } else {
                if (!create) {
                    return null;
                }
                throw notViable(parts[i + 1], p, next);
            }
            cur = next;
            curName = p;
        }
        String last = parts[parts.length - 1];
        if (cur instanceof BsonArray && arrayIndex(last) < 0) {
            if (!create) {
                return null;
            }
            throw notViable(last, curName, cur);
        }
        return new Slot(this, cur, last, join(parts, parts.length));
    }

    private static ArgonException notViable(String field, String containerName, BsonValue container) {
        return new ArgonException(MongoErrorCode.PATH_NOT_VIABLE, "Cannot create field '" + field + "' in element {"
                + BsonText.element(containerName == null ? "" : containerName, container) + "}");
    }

    /** A private copy of a container value that later writes may modify. */
    BsonValue own(BsonValue v) {
        if ((v instanceof BsonDocument || v instanceof BsonArray) && !owned.contains(v)) {
            return copy(v);
        }
        return v;
    }

    private BsonValue copy(BsonValue v) {
        BsonValue c;
        if (v instanceof BsonDocument) {
            BsonDocument d = new BsonDocument();
            for (Map.Entry<String, BsonValue> e : ((BsonDocument) v).entrySet()) {
                d.put(e.getKey(), e.getValue());
            }
            c = d;
        } else {
            BsonArray in = (BsonArray) v;
            BsonArray a = new BsonArray(in.size());
            a.addAll(in);
            c = a;
        }
        owned.add(c);
        return c;
    }

    private BsonDocument copy(BsonDocument d) {
        return (BsonDocument) copy((BsonValue) d);
    }

    /** Records that the update changes a value, enforcing the immutability of an existing _id. */
    void checkImmutable(String path, BsonValue before, BsonValue after) {
        if (originalId == null || !(path.equals("_id") || path.startsWith("_id."))) {
            return;
        }
        if (!Identical.same(before, after)) {
            throw new ArgonException(MongoErrorCode.IMMUTABLE_FIELD, "Performing an update on the path '" + path
                    + "' would modify the immutable field '_id'");
        }
    }

    /** Runtime conflict detection for positional updates that resolve to overlapping paths. */
    void touch(String[] concrete) {
        if (touched == null) {
            return;
        }
        String path = join(concrete, concrete.length);
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < concrete.length - 1; i++) {
            if (i > 0) {
                prefix.append('.');
            }
            prefix.append(concrete[i]);
            if (touched.contains(prefix.toString())) {
                throw conflict(prefix.toString());
            }
        }
        if (touched.contains(path) || touchedPrefixes.contains(path)) {
            throw conflict(path);
        }
        touched.add(path);
        prefix.setLength(0);
        for (int i = 0; i < concrete.length - 1; i++) {
            if (i > 0) {
                prefix.append('.');
            }
            prefix.append(concrete[i]);
            touchedPrefixes.add(prefix.toString());
        }
    }

    private static ArgonException conflict(String at) {
        return new ArgonException(MongoErrorCode.CONFLICTING_UPDATE_OPERATORS, "Update created a conflict at '" + at + "'");
    }

    private static String join(String[] parts, int count) {
        return UpdatePath.join(parts, count);
    }

    /** One field of a document or one position of an array, possibly not present yet. */
    static final class Slot {
        private final WorkingDoc doc;
        final BsonValue container;
        final String key;
        final String path;

        Slot(WorkingDoc doc, BsonValue container, String key, String path) {
            this.doc = doc;
            this.container = container;
            this.key = key;
            this.path = path;
        }

        /** The current value, or null if missing. */
        BsonValue get() {
            return child(container, key);
        }

        boolean inArray() {
            return container instanceof BsonArray;
        }

        /** Sets the value (padding arrays with nulls), after the _id immutability check. */
        void set(BsonValue value) {
            doc.checkImmutable(path, get(), value);
            put(value);
        }

        private void put(BsonValue value) {
            if (container instanceof BsonDocument) {
                ((BsonDocument) container).put(key, value);
                return;
            }
            BsonArray arr = (BsonArray) container;
            int idx = arrayIndex(key);
            if (idx < arr.size()) {
                arr.set(idx, value);
                return;
            }
            if ((long) idx - arr.size() > MAX_PADDING) {
                throw new ArgonException(MongoErrorCode.CANNOT_BACKFILL_ARRAY,
                        "can't backfill more than " + MAX_PADDING + " elements");
            }
            while (arr.size() < idx) {
                arr.add(BsonNull.VALUE);
            }
            arr.add(value);
        }

        /** Removes a document field; an array element becomes null, as $unset does. */
        void remove() {
            BsonValue before = get();
            if (before == null) {
                return;
            }
            doc.checkImmutable(path, before, null);
            if (container instanceof BsonDocument) {
                ((BsonDocument) container).remove(key);
            } else {
                ((BsonArray) container).set(arrayIndex(key), BsonNull.VALUE);
            }
        }
    }
}
