package dev.argon.engine.aggregate;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/** Parsing and traversal of aggregation field paths ("a.b.c", without the leading '$'). Stateless. */
final class FieldPaths {
    private FieldPaths() {}

    static String[] parse(String path) {
        if (path.isEmpty()) {
            throw new ArgonException(MongoErrorCode.LOCATION_40352, "FieldPath cannot be constructed with empty string");
        }
        String[] parts = path.split("\\.", -1);
        for (String p : parts) {
            validateComponent(p);
        }
        return parts;
    }

    static void validateComponent(String p) {
        if (p.isEmpty()) {
            throw new ArgonException(MongoErrorCode.LOCATION_15998, "FieldPath field names may not be empty strings.");
        }
        if (p.charAt(0) == '$') {
            throw new ArgonException(MongoErrorCode.LOCATION_16410,
                    "FieldPath field names may not start with '$'. Consider using $getField or $setField.");
        }
        if (p.indexOf('\0') >= 0) {
            throw new ArgonException(MongoErrorCode.LOCATION_16411, "FieldPath field names may not contain '\\0'.");
        }
    }

    /**
     * Expression semantics: arrays along the path are traversed and produce arrays of the values found
     * (non-document elements are skipped, nested arrays stay nested). Returns null for missing.
     */
    static BsonValue get(BsonValue v, String[] parts, int from) {
        if (from == parts.length) {
            return v;
        }
        if (v instanceof BsonDocument) {
            return getInDocument((BsonDocument) v, parts, from);
        }
        if (v instanceof BsonArray) {
            return getInArray((BsonArray) v, parts, from);
        }
        return null;
    }

    private static BsonValue getInDocument(BsonDocument doc, String[] parts, int i) {
        BsonValue f = doc.get(parts[i]);
        if (f == null || i == parts.length - 1) {
            return f;
        }
        if (f.isDocument()) {
            return getInDocument(f.asDocument(), parts, i + 1);
        }
        if (f.isArray()) {
            return getInArray(f.asArray(), parts, i + 1);
        }
        return null;
    }

    private static BsonArray getInArray(BsonArray arr, String[] parts, int i) {
        BsonArray out = new BsonArray();
        for (BsonValue e : arr) {
            if (e.isDocument()) {
                BsonValue r = getInDocument(e.asDocument(), parts, i);
                if (r != null) {
                    out.add(r);
                }
            } else if (e.isArray()) {
                out.add(getInArray(e.asArray(), parts, i));
            }
        }
        return out;
    }

    /** Follows documents only (as $unwind does): an array or scalar along the way gives missing. */
    static BsonValue getNested(BsonDocument doc, String[] parts) {
        BsonValue v = doc;
        for (String p : parts) {
            if (!(v instanceof BsonDocument)) {
                return null;
            }
            v = ((BsonDocument) v).get(p);
            if (v == null) {
                return null;
            }
        }
        return v;
    }

    /**
     * A copy of doc with the nested field set (null value removes it). Only the documents along the path are
     * copied; non-document values along the path are replaced by new documents.
     */
    static BsonDocument setNested(BsonDocument doc, String[] parts, int i, BsonValue value) {
        BsonDocument out = shallowCopy(doc);
        String key = parts[i];
        if (i == parts.length - 1) {
            if (value == null) {
                out.remove(key);
            } else {
                out.put(key, value);
            }
            return out;
        }
        BsonValue child = out.get(key);
        BsonDocument sub = child instanceof BsonDocument ? (BsonDocument) child : new BsonDocument();
        out.put(key, setNested(sub, parts, i + 1, value));
        return out;
    }

    static BsonDocument shallowCopy(BsonDocument doc) {
        BsonDocument out = new BsonDocument();
        for (Map.Entry<String, BsonValue> e : doc.entrySet()) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }
}
