package dev.argon.engine.command.crud;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.cursor.DocSize;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonObjectId;
import org.bson.BsonValue;

/** Checks a document must pass before it is stored, and {@code _id} generation. Stateless. */
final class Documents {
    static final int MAX_SIZE = 16 * 1024 * 1024;

    private Documents() {}

    /** The document with an {@code _id} first (generated when missing), validated. */
    static BsonDocument prepareForInsert(BsonDocument doc) {
        BsonDocument out = doc;
        BsonValue id = doc.get("_id");
        if (id == null) {
            out = new BsonDocument("_id", new BsonObjectId());
            for (Map.Entry<String, BsonValue> e : doc.entrySet()) {
                out.append(e.getKey(), e.getValue());
            }
        } else if (!doc.getFirstKey().equals("_id")) {
            out = new BsonDocument("_id", id);
            for (Map.Entry<String, BsonValue> e : doc.entrySet()) {
                if (!e.getKey().equals("_id")) {
                    out.append(e.getKey(), e.getValue());
                }
            }
        }
        validate(out);
        return out;
    }

    static void validate(BsonDocument doc) {
        BsonValue id = doc.get("_id");
        if (id != null) {
            if (id.isArray()) {
                throw new ArgonException(MongoErrorCode.BAD_VALUE, "The '_id' value cannot be of type array");
            }
            if (id.isRegularExpression()) {
                throw new ArgonException(MongoErrorCode.BAD_VALUE, "can't use a regex for _id");
            }
            if (id.isDocument()) {
                for (String k : id.asDocument().keySet()) {
                    if (k.startsWith("$")) {
                        throw new ArgonException(MongoErrorCode.DOLLAR_PREFIXED_FIELD_NAME,
                                "_id fields may not contain '$'-prefixed fields: " + k + " is not valid for storage.");
                    }
                }
            }
        }
        if (DocSize.estimate(doc) > MAX_SIZE) {
            throw new ArgonException(MongoErrorCode.BSON_OBJECT_TOO_LARGE, "object to insert too large. size in bytes: "
                    + DocSize.estimate(doc) + ", max size: " + MAX_SIZE);
        }
    }
}
