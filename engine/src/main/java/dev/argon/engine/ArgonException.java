package dev.argon.engine;

import org.bson.BsonDocument;

/**
 * The one exception type for errors a client should see: it carries a {@link MongoErrorCode} and becomes
 * {@code {ok: 0, errmsg, code, codeName}} on the wire. Optional extra fields (for example {@code keyPattern}
 * and {@code keyValue} of a duplicate key) are copied into the reply.
 */
public class ArgonException extends RuntimeException {
    private final MongoErrorCode error;
    private final BsonDocument extra;

    public ArgonException(MongoErrorCode error, String message) {
        this(error, message, null);
    }

    public ArgonException(MongoErrorCode error, String message, BsonDocument extra) {
        super(message, null, false, false);
        this.error = error;
        this.extra = extra;
    }

    public MongoErrorCode error() {
        return error;
    }

    public int code() {
        return error.code();
    }

    public String codeName() {
        return error.codeName();
    }

    /** Extra reply fields, or null. */
    public BsonDocument extra() {
        return extra;
    }

    public static ArgonException badValue(String message) {
        return new ArgonException(MongoErrorCode.BAD_VALUE, message);
    }

    public static ArgonException failedToParse(String message) {
        return new ArgonException(MongoErrorCode.FAILED_TO_PARSE, message);
    }

    public static ArgonException typeMismatch(String message) {
        return new ArgonException(MongoErrorCode.TYPE_MISMATCH, message);
    }
}
