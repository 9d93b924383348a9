package dev.argon.proxy.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import io.netty.buffer.Unpooled;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Tag;

/**
 * Fuzzes {@link BsonParser}, the one BSON decoder for everything a client sends: any bytes either parse into a
 * document or are refused with an {@link ArgonException} carrying InvalidBSON (22) or BSONObjectTooLarge (10334),
 * never another exception or a {@link StackOverflowError}; and a parsed document re-encodes to BSON that parses to
 * the same document. Seeds and crash inputs are in {@code BsonParserFuzzTestInputs}; see docs/FUZZING.md.
 */
@Tag("fuzz")
class BsonParserFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void anyBytesParseOrAreInvalidBson(byte[] input) {
        BsonDocument doc;
        try {
            doc = BsonParser.parse(Unpooled.wrappedBuffer(input), 0, input.length);
        } catch (ArgonException e) {
            if (e.error() != MongoErrorCode.INVALID_BSON && e.error() != MongoErrorCode.BSON_OBJECT_TOO_LARGE) {
                throw new AssertionError("unexpected error code " + e.codeName() + ": " + e.getMessage());
            }
            return;
        }
        byte[] again = Frames.bson(doc);
        BsonDocument reparsed = BsonParser.parse(Unpooled.wrappedBuffer(again), 0, again.length);
        if (!reparsed.equals(doc)) {
            throw new AssertionError("re-encoding changed " + doc.toJson() + " into " + reparsed.toJson());
        }
    }
}
