package dev.argon.proxy.wire;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

/** Formats errors as MongoDB's reply shape {@code {ok: 0, errmsg, code, codeName}}, which drivers act on. */
public final class ErrorReply {
    private ErrorReply() {
    }

    public static BsonDocument of(MongoErrorCode code, String message) {
        return new BsonDocument("ok", new BsonDouble(0))
                .append("errmsg", new BsonString(message == null ? code.codeName() : message))
                .append("code", new BsonInt32(code.code()))
                .append("codeName", new BsonString(code.codeName()));
    }

    public static BsonDocument of(ArgonException e) {
        BsonDocument reply = of(e.error(), e.getMessage());
        if (e.extra() != null) {
            for (Map.Entry<String, BsonValue> field : e.extra().entrySet()) {
                reply.putIfAbsent(field.getKey(), field.getValue());
            }
        }
        return reply;
    }
}
