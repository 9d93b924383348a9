package dev.argon.engine.store;

import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/** Small document helpers for messages and key values. Stateless. */
public final class DocFields {
    private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    private DocFields() {}

    /** The value at a dotted path through embedded documents only (no array traversal), or null. */
    public static BsonValue get(BsonDocument doc, String path) {
        BsonValue cur = doc;
        for (String part : path.split("\\.")) {
            if (cur == null || !cur.isDocument()) {
                return null;
            }
            cur = cur.asDocument().get(part);
        }
        return cur;
    }

    /** A value as the shell prints it in error messages: {@code 1}, {@code "a"}, {@code ObjectId('...')}. */
    public static String shellForm(BsonValue v) {
        switch (v.getBsonType()) {
            case STRING:
                return "\"" + v.asString().getValue() + "\"";
            case INT32:
                return Integer.toString(v.asInt32().getValue());
            case INT64:
                return Long.toString(v.asInt64().getValue());
            case DOUBLE:
                return Double.toString(v.asDouble().getValue());
            case OBJECT_ID:
                return "ObjectId('" + v.asObjectId().getValue().toHexString() + "')";
            case NULL:
                return "null";
            case BOOLEAN:
                return Boolean.toString(v.asBoolean().getValue());
            default:
                String json = new BsonDocument("v", v).toJson(RELAXED);
                return json.substring(json.indexOf(':') + 1, json.length() - 1).trim();
        }
    }
}
