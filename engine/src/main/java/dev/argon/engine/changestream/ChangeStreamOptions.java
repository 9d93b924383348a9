package dev.argon.engine.changestream;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;

/**
 * The options of a {@code $changeStream} stage, checked as mongod checks them: unknown fields answer 40415, bad
 * enumeration values 2 BadValue, more than one start point 40674. Immutable.
 *
 * @param fullDocument default, updateLookup, whenAvailable or required
 * @param fullDocumentBeforeChange off, whenAvailable or required
 * @param resumeAfter the token to resume after, or null
 * @param startAfter as resumeAfter, and allowed after an invalidate
 * @param startAtOperationTime the first cluster time to report, or null
 */
public record ChangeStreamOptions(String fullDocument, String fullDocumentBeforeChange, ResumeToken resumeAfter,
                                  ResumeToken startAfter, BsonTimestamp startAtOperationTime, boolean allChangesForCluster,
                                  boolean showExpandedEvents) {
    private static final List<String> FULL_DOCUMENT = List.of("default", "updateLookup", "whenAvailable", "required");
    private static final List<String> BEFORE_CHANGE = List.of("off", "whenAvailable", "required");
    /** Fields mongod accepts that change nothing here. */
    private static final List<String> IGNORED = List.of("allowToRunOnConfigDB", "allowToRunOnSystemNS");

    public static ChangeStreamOptions parse(BsonValue stage) {
        if (!stage.isDocument()) {
            throw new ArgonException(MongoErrorCode.FAILED_TO_PARSE, "the $changeStream stage specification must be an object");
        }
        String full = "default";
        String before = "off";
        ResumeToken resumeAfter = null;
        ResumeToken startAfter = null;
        BsonTimestamp startAt = null;
        boolean cluster = false;
        boolean expanded = false;
        for (Map.Entry<String, BsonValue> e : stage.asDocument().entrySet()) {
            BsonValue v = e.getValue();
            switch (e.getKey()) {
                case "fullDocument" -> full = choice(v, "fullDocument", FULL_DOCUMENT);
                case "fullDocumentBeforeChange" -> before = choice(v, "fullDocumentBeforeChange", BEFORE_CHANGE);
                case "resumeAfter" -> resumeAfter = ResumeToken.parse(v, "resumeAfter");
                case "startAfter" -> startAfter = ResumeToken.parse(v, "startAfter");
                case "startAtOperationTime" -> {
                    if (!v.isTimestamp()) {
                        throw ArgonException.typeMismatch("BSON field '$changeStream.startAtOperationTime' is the wrong type, expected type 'timestamp'");
                    }
                    startAt = v.asTimestamp();
                }
                case "allChangesForCluster" -> cluster = bool(v, "allChangesForCluster");
                case "showExpandedEvents" -> expanded = bool(v, "showExpandedEvents");
                default -> {
                    if (!IGNORED.contains(e.getKey())) {
                        throw new ArgonException(MongoErrorCode.LOCATION_40415, "BSON field '$changeStream." + e.getKey()
                                + "' is an unknown field.");
                    }
                }
            }
        }
        int starts = (resumeAfter != null ? 1 : 0) + (startAfter != null ? 1 : 0) + (startAt != null ? 1 : 0);
        if (starts > 1) {
            throw new ArgonException(MongoErrorCode.LOCATION_40674, "Only one type of resume option is allowed, but multiple were found.");
        }
        return new ChangeStreamOptions(full, before, resumeAfter, startAfter, startAt, cluster, expanded);
    }

    private static String choice(BsonValue v, String field, List<String> allowed) {
        if (!v.isString()) {
            throw ArgonException.typeMismatch("BSON field '$changeStream." + field + "' is the wrong type, expected type 'string'");
        }
        String s = v.asString().getValue();
        if (!allowed.contains(s)) {
            throw ArgonException.badValue("Enumeration value '" + s + "' for field '$changeStream." + field
                    + "' is not a valid value.");
        }
        return s;
    }

    private static boolean bool(BsonValue v, String field) {
        if (!v.isBoolean()) {
            throw ArgonException.typeMismatch("BSON field '$changeStream." + field + "' is the wrong type, expected type 'bool'");
        }
        return v.asBoolean().getValue();
    }
}
