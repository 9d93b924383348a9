package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDbPointer;
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
import org.bson.BsonRegularExpression;
import org.bson.BsonSerializationException;
import org.bson.BsonString;
import org.bson.BsonSymbol;
import org.bson.BsonTimestamp;
import org.bson.BsonUndefined;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/** {@link Bson#bytes} writes exactly what the driver's encoder writes, for every BSON type and odd strings. */
class BsonEncoderTest {
    private final Random random = new Random(20261201);

    @Test
    void randomDocumentsEncodeAsTheDriverEncodesThem() {
        for (int i = 0; i < 3_000; i++) {
            BsonDocument d = document(0);
            byte[] ours = Bson.bytes(d);
            assertArrayEquals(Bson.driverBytes(d), ours, () -> "document " + d.toJson());
        }
    }

    @Test
    void stringsWithSurrogatesNulAndWideCharactersMatch() {
        String[] odd = {"", "\u0000", "a\u0000b", "\u00e9t\u00e9", "\u20ac", "\ud83d\ude00", "\ud800", "x\udc00y",
            "\udbff\udfff", "\u07ff\u0800\uffff", "\u0080"};
        for (String s : odd) {
            BsonDocument d = new BsonDocument("s", new BsonString(s)).append("sym", new BsonSymbol(s)).append("js", new BsonJavaScript(s));
            assertArrayEquals(Bson.driverBytes(d), Bson.bytes(d), () -> "string " + s.codePoints().boxed().toList());
            if (s.indexOf('\u0000') < 0) {
                BsonDocument named = new BsonDocument(s, new BsonInt32(1));
                assertArrayEquals(Bson.driverBytes(named), Bson.bytes(named), () -> "name " + s.codePoints().boxed().toList());
            }
        }
    }

    @Test
    void aNameWithNulIsRefusedAsTheDriverRefusesIt() {
        BsonDocument d = new BsonDocument("a\u0000b", new BsonInt32(1));
        BsonSerializationException driver = assertThrows(BsonSerializationException.class, () -> Bson.driverBytes(d));
        BsonSerializationException ours = assertThrows(BsonSerializationException.class, () -> Bson.bytes(d));
        assertEquals(driver.getMessage(), ours.getMessage());
        // The thread's buffer is still usable after a refusal.
        BsonDocument ok = new BsonDocument("a", new BsonString("b"));
        assertArrayEquals(Bson.driverBytes(ok), Bson.bytes(ok));
    }

    @Test
    void nestingPastTheDriversDepthLimitIsRefusedToo() {
        BsonDocument d = new BsonDocument();
        BsonDocument inner = d;
        for (int i = 0; i < 1_100; i++) {
            BsonDocument next = new BsonDocument();
            inner.put("a", next);
            inner = next;
        }
        assertThrows(BsonSerializationException.class, () -> Bson.driverBytes(d));
        assertThrows(BsonSerializationException.class, () -> Bson.bytes(d));
    }

    @Test
    void aLargeDocumentGrowsTheBufferAndTheNextSmallOneIsExact() {
        BsonDocument big = new BsonDocument("s", new BsonString("\u00e9".repeat(1 << 20)));
        assertArrayEquals(Bson.driverBytes(big), Bson.bytes(big));
        BsonDocument small = new BsonDocument("n", new BsonInt32(7));
        assertArrayEquals(Bson.driverBytes(small), Bson.bytes(small));
    }

    @Test
    void logEntriesWrittenFieldByFieldMatchTheEncodingOfTheirDocuments() {
        for (int i = 0; i < 3000; i++) {
            byte[] key = bytes();
            BsonValue id = i % 5 == 0 ? null : value(0);
            LogEntry e = LogEntry.versioned(text(), i % 2 == 0 ? LogEntry.INSERT : LogEntry.UPDATE, id, i % 3 == 0,
                    List.of(KeyWrite.put(key, new byte[] {5, 0, 0, 0, 0})));
            if (i % 4 == 0) {
                e = e.asReplacement();
            }
            int branch = random.nextInt();
            assertArrayEquals(Bson.driverBytes(LogCodec.encode(e, branch)), LogCodec.bytes(e, branch));
        }
        LogEntry inline = new LogEntry("db.c", LogEntry.CATALOG, null, null, new BsonDocument("x", new BsonInt32(1)), List.of());
        assertArrayEquals(Bson.driverBytes(LogCodec.encode(inline, 3)), LogCodec.bytes(inline, 3));
    }

    private BsonDocument document(int depth) {
        BsonDocument d = new BsonDocument();
        int n = random.nextInt(depth == 0 ? 12 : 5);
        for (int i = 0; i < n; i++) {
            d.put(name(), value(depth));
        }
        return d;
    }

    private String name() {
        return random.nextInt(4) == 0 ? text().replace("\u0000", "") : "f" + random.nextInt(100);
    }

    private String text() {
        StringBuilder b = new StringBuilder();
        int n = random.nextInt(20);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(6)) {
                case 0 -> b.append((char) random.nextInt(0x80));
                case 1 -> b.append((char) (0x80 + random.nextInt(0x780)));
                case 2 -> b.append((char) (0x800 + random.nextInt(0xF000)));
                case 3 -> b.appendCodePoint(0x10000 + random.nextInt(0x100000));
                default -> b.append((char) ('a' + random.nextInt(26)));
            }
        }
        return b.toString();
    }

    private BsonValue value(int depth) {
        int kinds = depth < 4 ? 22 : 20;
        return switch (random.nextInt(kinds)) {
            case 0 -> new BsonDouble(random.nextDouble() * 1e6 - 5e5);
            case 1 -> new BsonString(text());
            case 2 -> new BsonBinary((byte) random.nextInt(9), bytes());
            case 3 -> new BsonBinary(BsonBinarySubType.OLD_BINARY, bytes());
            case 4 -> new BsonUndefined();
            case 5 -> new BsonObjectId(new ObjectId());
            case 6 -> BsonBoolean.valueOf(random.nextBoolean());
            case 7 -> new BsonDateTime(random.nextLong());
            case 8 -> BsonNull.VALUE;
            case 9 -> new BsonRegularExpression(text().replace("\u0000", ""), "imx");
            case 10 -> new BsonDbPointer(text(), new ObjectId());
            case 11 -> new BsonJavaScript(text());
            case 12 -> new BsonSymbol(text());
            case 13 -> new BsonJavaScriptWithScope(text(), new BsonDocument("x", new BsonInt32(random.nextInt())));
            case 14 -> new BsonInt32(random.nextInt());
            case 15 -> new BsonTimestamp(random.nextLong());
            case 16 -> new BsonInt64(random.nextLong());
            case 17 -> new BsonDecimal128(Decimal128.parse(random.nextInt() + "." + random.nextInt(1000)));
            case 18 -> random.nextBoolean() ? new BsonMinKey() : new BsonMaxKey();
            case 19 -> new RawBsonDocument(Bson.driverBytes(new BsonDocument("raw", new BsonString(text()))));
            case 20 -> document(depth + 1);
            default -> {
                List<BsonValue> values = new ArrayList<>();
                int n = random.nextInt(6);
                for (int i = 0; i < n; i++) {
                    values.add(value(depth + 1));
                }
                yield new BsonArray(values);
            }
        };
    }

    private byte[] bytes() {
        byte[] b = new byte[random.nextInt(40)];
        random.nextBytes(b);
        return b;
    }
}
