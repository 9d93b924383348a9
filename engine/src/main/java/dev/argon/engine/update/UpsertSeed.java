package dev.argon.engine.update;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.aggregate.Values;
import java.util.Map;
import java.util.TreeMap;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Extracts the equality conditions of a query filter into the document an upsert starts from, as
 * MongoDB does: plain values and $eq (a one-element $in counts as $eq, as after MongoDB's query
 * canonicalisation), through $and and single-clause $or; dotted paths become nested documents, added in
 * path order. Ranges, multi-value $in, regexes and other operators contribute nothing. Stateless.
 */
final class UpsertSeed {
    private UpsertSeed() {}

    static BsonDocument fromFilter(BsonDocument filter) {
        Map<String, BsonValue> equalities = new TreeMap<>();
        extract(filter, equalities);
        BsonDocument seed = new BsonDocument();
        for (Map.Entry<String, BsonValue> e : equalities.entrySet()) {
            // -1 keeps empty components: {"a.": 1} seeds {a: {"": 1}}, and "." is two empty names, not none.
            setPath(seed, e.getKey().split("\\.", -1), Values.copy(e.getValue()));
        }
        return seed;
    }

    /** The filter's equality on _id itself, or null. */
    static BsonValue idEquality(BsonDocument filter) {
        Map<String, BsonValue> equalities = new TreeMap<>();
        extract(filter, equalities);
        return equalities.get("_id");
    }

    private static void extract(BsonDocument filter, Map<String, BsonValue> out) {
        for (Map.Entry<String, BsonValue> e : filter.entrySet()) {
            String key = e.getKey();
            BsonValue v = e.getValue();
            if (key.equals("$and") && v.isArray()) {
                for (BsonValue sub : v.asArray()) {
                    if (sub.isDocument()) {
                        extract(sub.asDocument(), out);
                    }
                }
            } else if (key.equals("$or") && v.isArray() && v.asArray().size() == 1 && v.asArray().get(0).isDocument()) {
                extract(v.asArray().get(0).asDocument(), out);
            } else if (key.startsWith("$")) {
                continue;
            } else if (v.isDocument() && !v.asDocument().isEmpty() && v.asDocument().getFirstKey().startsWith("$")) {
                for (Map.Entry<String, BsonValue> op : v.asDocument().entrySet()) {
                    if (op.getKey().equals("$eq")) {
                        add(out, key, op.getValue());
                    } else if (op.getKey().equals("$in") && op.getValue().isArray()) {
                        BsonArray in = op.getValue().asArray();
                        if (in.size() == 1 && !in.get(0).isRegularExpression()) {
                            add(out, key, in.get(0));
                        }
                    }
                }
            } else if (!v.isRegularExpression()) {
                add(out, key, v);
            }
        }
    }

    private static void add(Map<String, BsonValue> out, String path, BsonValue value) {
        for (String existing : out.keySet()) {
            if (existing.equals(path)) {
                throw new ArgonException(MongoErrorCode.NOT_SINGLE_VALUE_FIELD,
                        "cannot infer query fields to set, path '" + path + "' is matched twice");
            }
            if (path.startsWith(existing + ".")) {
                throw new ArgonException(MongoErrorCode.NOT_SINGLE_VALUE_FIELD, "cannot infer query fields to set, both paths '"
                        + path + "' and '" + existing + "' are matched");
            }
            if (existing.startsWith(path + ".")) {
                throw new ArgonException(MongoErrorCode.NOT_SINGLE_VALUE_FIELD, "cannot infer query fields to set, both paths '"
                        + existing + "' and '" + path + "' are matched");
            }
        }
        out.put(path, value);
    }

    private static void setPath(BsonDocument doc, String[] parts, BsonValue value) {
        BsonDocument cur = doc;
        for (int i = 0; i < parts.length - 1; i++) {
            BsonValue next = cur.get(parts[i]);
            if (!(next instanceof BsonDocument)) {
                next = new BsonDocument();
                cur.put(parts[i], next);
            }
            cur = (BsonDocument) next;
        }
        cur.put(parts[parts.length - 1], value);
    }
}
