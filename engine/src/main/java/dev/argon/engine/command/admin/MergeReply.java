package dev.argon.engine.command.admin;

import dev.argon.wal.MergeReport;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt64;

/**
 * The {@code merge} sub-document of the {@code compactHistory} and {@code gc} replies: what a segment rewrite pass did
 * (docs/COMMANDS.md). Stateless.
 */
final class MergeReply {
    private MergeReply() {}

    static BsonDocument of(MergeReport m) {
        return new BsonDocument("segmentsMerged", new BsonInt64(m.segmentsMerged()))
                .append("segmentsWritten", new BsonInt64(m.segmentsWritten()))
                .append("entriesKept", new BsonInt64(m.entriesKept()))
                .append("entriesDropped", new BsonInt64(m.entriesDropped()))
                .append("bytesBefore", new BsonInt64(m.bytesBefore()))
                .append("bytesAfter", new BsonInt64(m.bytesAfter()))
                .append("totalSegments", new BsonInt64(m.totalSegments()))
                .append("logSegmentsMerged", new BsonInt64(m.logSegmentsMerged()))
                .append("retired", BsonBoolean.valueOf(m.retired()))
                .append("millis", new BsonInt64(m.millis()));
    }

    /** The optional boolean option {@code name} of a command, or {@code absent} when not given. */
    static boolean flag(BsonDocument command, String name, boolean absent) {
        var v = command.get(name);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (v.isBoolean()) {
            return v.asBoolean().getValue();
        }
        if (v.isNumber()) {
            return v.asNumber().intValue() != 0;
        }
        throw dev.argon.engine.ArgonException.typeMismatch("'" + name + "' must be a boolean");
    }
}
