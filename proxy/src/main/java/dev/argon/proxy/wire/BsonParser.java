package dev.argon.proxy.wire;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonBinaryReader;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonJavaScript;
import org.bson.BsonJavaScriptWithScope;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonReader;
import org.bson.BsonString;
import org.bson.BsonSymbol;
import org.bson.BsonType;
import org.bson.BsonUndefined;
import org.bson.BsonValue;
import org.bson.ByteBufNIO;
import org.bson.io.ByteBufferBsonInput;

/**
 * Decodes one BSON document straight from a frame's bytes, validating all of it: the length prefix against the
 * bytes the enclosing section has left, every nested length, every type byte, the terminators, that strings and
 * names are UTF-8, and a nesting limit
 * (so a hostile frame of nested empty documents cannot overflow the event loop's stack). The result is a fully
 * materialised {@link BsonDocument}; nothing is left lazy to fail later inside a command.
 *
 * <p>Any defect is an {@link ArgonException} with {@link MongoErrorCode#INVALID_BSON}: the enclosing message is
 * still intact, so the client gets an error reply rather than a dropped connection. Stateless and thread-safe.
 */
public final class BsonParser {
    /** Same as mongod's limit for BSON arriving from the network; user documents are limited to 100 levels. */
    static final int MAX_DEPTH = 200;
    /** mongod's BSONObjMaxInternalSize: 16 MiB for user data plus room for the command around it. */
    static final int MAX_DOCUMENT_SIZE = 16 * 1024 * 1024 + 16 * 1024;
    private static final int MIN_DOCUMENT_SIZE = 5;

    private BsonParser() {
    }

    /**
     * Parses the document starting at {@code index}, which may use at most {@code available} bytes. The caller
     * learns its length from the int32 at {@code index}, which this method has checked.
     */
    public static BsonDocument parse(ByteBuf buf, int index, int available) {
        if (available < MIN_DOCUMENT_SIZE) {
            throw invalid("a document needs at least 5 bytes, only " + available + " remain");
        }
        int length = buf.getIntLE(index);
        if (length < MIN_DOCUMENT_SIZE || length > available) {
            throw invalid("document length " + length + " does not fit the " + available + " bytes that remain");
        }
        if (length > MAX_DOCUMENT_SIZE) {
            throw new ArgonException(MongoErrorCode.BSON_OBJECT_TOO_LARGE,
                    "document of " + length + " bytes exceeds the limit of " + MAX_DOCUMENT_SIZE);
        }
        if (buf.getByte(index + length - 1) != 0) {
            throw invalid("document does not end with a zero byte");
        }
        // A view of the frame's memory, not a copy; the values are copied once, into the BsonDocument.
        ByteBuffer view = buf.nioBuffer(index, length).order(ByteOrder.LITTLE_ENDIAN);
        ByteBufferBsonInput input = new StrictUtf8Input(view);
        try (BsonBinaryReader reader = new BsonBinaryReader(input)) {
            BsonDocument document = readDocument(reader, 1);
            if (input.getPosition() != length) {
                throw invalid("document length " + length + " but its content ends at " + input.getPosition());
            }
            return document;
        } catch (ArgonException e) {
            throw e;
        } catch (RuntimeException e) {
            // BsonSerializationException, BsonInvalidOperationException and friends: all mean malformed bytes.
            throw invalid(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private static BsonDocument readDocument(BsonReader reader, int depth) {
        if (depth > MAX_DEPTH) {
            throw invalid("documents are nested deeper than " + MAX_DEPTH + " levels");
        }
        BsonDocument document = new BsonDocument();
        reader.readStartDocument();
        while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
            String name = reader.readName();
            document.put(name, readValue(reader, depth));
        }
        reader.readEndDocument();
        return document;
    }

    private static BsonArray readArray(BsonReader reader, int depth) {
        if (depth > MAX_DEPTH) {
            throw invalid("documents are nested deeper than " + MAX_DEPTH + " levels");
        }
        List<BsonValue> values = new ArrayList<>();
        reader.readStartArray();
        while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
            values.add(readValue(reader, depth));
        }
        reader.readEndArray();
        return new BsonArray(values);
    }

    private static BsonValue readValue(BsonReader reader, int depth) {
        BsonType type = reader.getCurrentBsonType();
        if (type == null) {
            throw invalid("unknown BSON type");
        }
        return switch (type) {
            case DOCUMENT -> readDocument(reader, depth + 1);
            case ARRAY -> readArray(reader, depth + 1);
            case DOUBLE -> new BsonDouble(reader.readDouble());
            case STRING -> new BsonString(reader.readString());
            case BINARY -> reader.readBinaryData();
            case UNDEFINED -> {
                reader.readUndefined();
                yield new BsonUndefined();
            }
            case OBJECT_ID -> new BsonObjectId(reader.readObjectId());
            case BOOLEAN -> BsonBoolean.valueOf(reader.readBoolean());
            case DATE_TIME -> new BsonDateTime(reader.readDateTime());
            case NULL -> {
                reader.readNull();
                yield BsonNull.VALUE;
            }
            case REGULAR_EXPRESSION -> reader.readRegularExpression();
            case DB_POINTER -> reader.readDBPointer();
            case JAVASCRIPT -> new BsonJavaScript(reader.readJavaScript());
            case SYMBOL -> new BsonSymbol(reader.readSymbol());
            case JAVASCRIPT_WITH_SCOPE -> {
                String code = reader.readJavaScriptWithScope();
                yield new BsonJavaScriptWithScope(code, readDocument(reader, depth + 1));
            }
            case INT32 -> new BsonInt32(reader.readInt32());
            case TIMESTAMP -> reader.readTimestamp();
            case INT64 -> new BsonInt64(reader.readInt64());
            case DECIMAL128 -> new BsonDecimal128(reader.readDecimal128());
            case MIN_KEY -> {
                reader.readMinKey();
                yield new BsonMinKey();
            }
            case MAX_KEY -> {
                reader.readMaxKey();
                yield new BsonMaxKey();
            }
            case END_OF_DOCUMENT -> throw invalid("unexpected end of document");
        };
    }

    /**
     * The driver's input, except that a string or name that is not valid UTF-8 is an error rather than replacement
     * characters: a document must be stored as the client sent it or refused, never silently altered. Checks the raw
     * bytes only when the decoded text has a U+FFFD, so valid input pays a scan of its strings and nothing more.
     */
    private static final class StrictUtf8Input extends ByteBufferBsonInput {
        private final ByteBuffer view;

        StrictUtf8Input(ByteBuffer view) {
            super(new ByteBufNIO(view));
            this.view = view;
        }

        @Override
        public String readString() {
            int start = getPosition();
            String s = super.readString();
            return checked(s, start + 4, getPosition() - 1);
        }

        @Override
        public String readCString() {
            int start = getPosition();
            String s = super.readCString();
            return checked(s, start, getPosition() - 1);
        }

        private String checked(String s, int from, int to) {
            if (s.indexOf('\uFFFD') < 0) {
                return s;
            }
            ByteBuffer bytes = view.duplicate();
            bytes.limit(to).position(from);
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            } catch (CharacterCodingException e) {
                throw invalid("string at offset " + from + " is not valid UTF-8");
            }
            return s;
        }
    }

    static ArgonException invalid(String message) {
        return new ArgonException(MongoErrorCode.INVALID_BSON, "invalid BSON: " + message);
    }
}
