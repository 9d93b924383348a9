package dev.argon.engine.command.crud;

import dev.argon.engine.ArgonException;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

/** Per-statement errors of a write command, in MongoDB's {@code writeErrors} shape. Not thread-safe. */
final class WriteErrors {
    private final BsonArray errors = new BsonArray();

    void add(int index, ArgonException e) {
        BsonDocument d = new BsonDocument("index", new BsonInt32(index))
                .append("code", new BsonInt32(e.code()))
                .append("codeName", new BsonString(e.codeName()))
                .append("errmsg", new BsonString(e.getMessage()));
        if (e.extra() != null) {
            for (Map.Entry<String, BsonValue> x : e.extra().entrySet()) {
                d.append(x.getKey(), x.getValue());
            }
        }
        errors.add(d);
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    void appendTo(BsonDocument reply) {
        if (!errors.isEmpty()) {
            reply.append("writeErrors", errors);
        }
    }
}
