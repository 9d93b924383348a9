package dev.argon.engine.changestream;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import java.util.Locale;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * A change stream's resume token, {@code {_data: "<hex>"}} as MongoDB's tokens look to drivers (which treat them
 * as opaque): a version byte, the branch id, the last LSN of the commit and the LSN of the entry the event came
 * from. Resuming after it skips every entry of that branch id with an LSN at or below {@code entryLsn}; a
 * high-water mark ({@code postBatchResumeToken} when no event is behind it) has {@code entryLsn == commitLsn}.
 * Immutable.
 */
public record ResumeToken(int branchId, long commitLsn, long entryLsn) {
    private static final String VERSION = "a1";
    private static final int LENGTH = 2 + 8 + 16 + 16;

    public BsonDocument toDocument() {
        return new BsonDocument("_data", new BsonString(VERSION + String.format(Locale.ROOT, "%08x%016x%016x",
                branchId, commitLsn, entryLsn)));
    }

    /** Reads a token given as {@code resumeAfter} or {@code startAfter}; refuses anything this server did not write. */
    public static ResumeToken parse(BsonValue v, String field) {
        if (v == null || !v.isDocument()) {
            throw ArgonException.typeMismatch("BSON field '$changeStream." + field + "' is the wrong type '"
                    + (v == null ? "missing" : v.getBsonType().name().toLowerCase(Locale.ROOT)) + "', expected type 'object'");
        }
        BsonValue data = v.asDocument().get("_data");
        if (data == null || !data.isString() || data.asString().getValue().length() != LENGTH
                || !data.asString().getValue().startsWith(VERSION)) {
            throw invalid("the resume token " + v.asDocument().toJson() + " was not written by this server's change streams");
        }
        String s = data.asString().getValue();
        try {
            return new ResumeToken(Integer.parseUnsignedInt(s.substring(2, 10), 16), Long.parseUnsignedLong(s.substring(10, 26), 16),
                    Long.parseUnsignedLong(s.substring(26), 16));
        } catch (NumberFormatException e) {
            throw invalid("the resume token " + v.asDocument().toJson() + " is malformed");
        }
    }

    static ArgonException invalid(String message) {
        return new ArgonException(MongoErrorCode.INVALID_RESUME_TOKEN, message);
    }
}
