package dev.argon.proxy.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.engine.ServerStats;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.stream.IntStream;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

/** The inbound half of the pipeline on an embedded channel: framing, OP_MSG, OP_QUERY, OP_COMPRESSED, BSON checks. */
class MessageDecoderTest {
    private final ServerStats stats = new ServerStats();
    private final EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(stats), new MessageDecoder());

    private WireRequest decode(byte[] message) {
        channel.writeInbound(Unpooled.wrappedBuffer(message));
        WireRequest request = channel.readInbound();
        assertNullNext();
        return request;
    }

    private void assertNullNext() {
        assertNull(channel.readInbound());
    }

    private static BsonDocument insert() {
        return new BsonDocument("insert", new BsonString("items")).append("$db", new BsonString("shop"));
    }

    private static BsonDocument doc(int i) {
        return new BsonDocument("_id", new BsonInt32(i));
    }

    private static void assertRejected(WireRequest request, int code) {
        assertNull(request.command());
        assertEquals(code, request.rejection().getInt32("code").getValue(), request.rejection().toJson());
    }

    @Test
    void kindOneSequencesAreMergedAsArrays() {
        List<BsonDocument> docs = IntStream.range(0, 3).mapToObj(MessageDecoderTest::doc).toList();
        WireRequest request = decode(Frames.opMsg(5, 0, insert(), Frames.sequence("documents", docs),
                Frames.sequence("other", List.of(doc(9)))));
        assertEquals(5, request.requestId());
        assertFalse(request.moreToCome());
        assertNull(request.compressor());
        assertEquals(3, request.command().getArray("documents").size());
        assertEquals(doc(2), request.command().getArray("documents").get(2));
        assertEquals(doc(9), request.command().getArray("other").get(0));
        assertEquals(List.of("insert", "$db", "documents", "other"), List.copyOf(request.command().keySet()));
    }

    @Test
    void emptySequenceIsAnEmptyArray() {
        assertTrue(decode(Frames.opMsg(1, 0, insert(), Frames.sequence("documents", List.of())))
                .command().getArray("documents").isEmpty());
    }

    @Test
    void sequenceNamingABodyFieldIsRejected() {
        BsonDocument body = insert().append("documents", new BsonInt32(1));
        assertRejected(decode(Frames.opMsg(1, 0, body, Frames.sequence("documents", List.of(doc(1))))), 17);
    }

    @Test
    void duplicateSequenceIsRejected() {
        byte[] seq = Frames.sequence("documents", List.of(doc(1)));
        assertRejected(decode(Frames.opMsg(1, 0, insert(), seq, seq)), 17);
    }

    @Test
    void sequenceWithBrokenDocumentIsInvalidBson() {
        byte[] seq = Frames.sequence("documents", List.of(doc(1), doc(2)));
        seq[seq.length - 1] = 7; // second document loses its terminator
        assertRejected(decode(Frames.opMsg(1, 0, insert(), seq)), 22);
    }

    @Test
    void sequenceSizeBeyondMessageIsInvalidBson() {
        byte[] seq = Frames.sequence("documents", List.of(doc(1)));
        ByteBuffer.wrap(seq).order(ByteOrder.LITTLE_ENDIAN).putInt(1, 10_000);
        assertRejected(decode(Frames.opMsg(1, 0, insert(), seq)), 22);
    }

    @Test
    void moreToComeAndExhaustFlags() {
        WireRequest request = decode(Frames.opMsg(1, OpMsg.MORE_TO_COME | OpMsg.EXHAUST_ALLOWED, insert()));
        assertTrue(request.moreToCome());
        assertTrue(request.exhaustAllowed());
        assertEquals(insert(), request.command());
        WireRequest plain = decode(Frames.opMsg(2, OpMsg.MORE_TO_COME, insert()));
        assertFalse(plain.exhaustAllowed());
        assertTrue(decode(Frames.opMsg(3, OpMsg.EXHAUST_ALLOWED, insert())).exhaustAllowed());
    }

    @Test
    void unknownRequiredFlagIsRejected() {
        assertRejected(decode(Frames.opMsg(1, 1 << 5, insert())), 17);
    }

    @Test
    void unknownOptionalFlagIsIgnored() {
        assertEquals(insert(), decode(Frames.opMsg(1, 1 << 20, insert())).command());
    }

    @Test
    void checksumIsVerified() {
        assertEquals(insert(), decode(Frames.withChecksum(Frames.opMsg(1, 0, insert()))).command());
        byte[] bad = Frames.withChecksum(Frames.opMsg(1, 0, insert()));
        bad[22] ^= 1;
        DecoderException e = assertThrows(DecoderException.class, () -> channel.writeInbound(Unpooled.wrappedBuffer(bad)));
        assertInstanceOf(WireProtocolException.class, e.getCause());
    }

    @Test
    void missingBodyIsRejected() {
        assertRejected(decode(Frames.opMsgRaw(1, 0, Frames.sequence("documents", List.of(doc(1))))), 17);
        assertRejected(decode(Frames.opMsgRaw(1, 0, new byte[0])), 17);
    }

    @Test
    void twoBodiesAreRejected() {
        byte[] body = Frames.bson(insert());
        byte[] second = new byte[1 + body.length];
        System.arraycopy(body, 0, second, 1, body.length);
        assertRejected(decode(Frames.opMsg(1, 0, insert(), second)), 17);
    }

    @Test
    void missingDbIsRejected() {
        assertRejected(decode(Frames.opMsg(1, 0, new BsonDocument("ping", new BsonInt32(1)))), 2);
    }

    @Test
    void deepNestingIsInvalidBson() {
        BsonDocument deep = new BsonDocument();
        for (int i = 0; i < 300; i++) {
            deep = new BsonDocument("a", deep);
        }
        assertRejected(decode(Frames.opMsg(1, 0, insert().append("deep", deep))), 22);
        BsonDocument ok = new BsonDocument();
        for (int i = 0; i < 150; i++) {
            ok = new BsonDocument("a", ok);
        }
        assertEquals(ok, decode(Frames.opMsg(1, 0, insert().append("deep", ok))).command().getDocument("deep"));
    }

    @Test
    void hugeStringLengthIsInvalidBsonNotOutOfMemory() {
        byte[] doc = Frames.bson(insert());
        // insert's value: type 0x02, "insert\0", then int32 length at offset 4 + 1 + 7
        ByteBuffer.wrap(doc).order(ByteOrder.LITTLE_ENDIAN).putInt(12, Integer.MAX_VALUE);
        byte[] sections = new byte[1 + doc.length];
        System.arraycopy(doc, 0, sections, 1, doc.length);
        assertRejected(decode(Frames.opMsgRaw(1, 0, sections)), 22);
    }

    @Test
    void unknownBsonTypeIsInvalidBson() {
        byte[] doc = Frames.bson(insert());
        doc[4] = 0x42;
        byte[] sections = new byte[1 + doc.length];
        System.arraycopy(doc, 0, sections, 1, doc.length);
        assertRejected(decode(Frames.opMsgRaw(1, 0, sections)), 22);
    }

    @Test
    void nestedLengthMismatchIsInvalidBson() {
        byte[] doc = Frames.bson(insert().append("sub", doc(1)));
        int sub = doc.length - 1 - 14; // {_id: int32} is 14 bytes, before the outer terminator
        doc[sub] += 1;
        byte[] sections = new byte[1 + doc.length];
        System.arraycopy(doc, 0, sections, 1, doc.length);
        assertRejected(decode(Frames.opMsgRaw(1, 0, sections)), 22);
    }

    @Test
    void framesArriveInPiecesAndBackToBack() {
        byte[] one = Frames.opMsg(1, 0, insert());
        byte[] two = Frames.opMsg(2, 0, insert());
        for (byte b : one) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertEquals(1, ((WireRequest) channel.readInbound()).requestId());
        byte[] both = new byte[one.length + two.length];
        System.arraycopy(one, 0, both, 0, one.length);
        System.arraycopy(two, 0, both, one.length, two.length);
        channel.writeInbound(Unpooled.wrappedBuffer(both));
        assertEquals(1, ((WireRequest) channel.readInbound()).requestId());
        assertEquals(2, ((WireRequest) channel.readInbound()).requestId());
        assertEquals(3L * one.length, stats.bytesIn.get());
    }

    @Test
    void badLengthClosesAndSwallowsTheRest() {
        DecoderException e = assertThrows(DecoderException.class,
                () -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {10, 0, 0, 0, 1, 2, 3, 4})));
        assertInstanceOf(WireProtocolException.class, e.getCause());
        channel.writeInbound(Unpooled.wrappedBuffer(Frames.opMsg(1, 0, insert())));
        assertNullNext();
    }

    @Test
    void opQueryIsUnwrappedAndGetsDb() {
        BsonDocument count = new BsonDocument("count", new BsonString("c"))
                .append("query", new BsonDocument("a", new BsonInt32(1)));
        WireRequest request = decode(Frames.opQuery(3, "shop.$cmd", count));
        assertEquals(OpCode.OP_QUERY, request.opCode());
        assertEquals(count.clone().append("$db", new BsonString("shop")), request.command(),
                "a query field that is not first is the command's own");
        WireRequest wrapped = decode(Frames.opQuery(4, "admin.$cmd",
                new BsonDocument("query", new BsonDocument("isMaster", new BsonInt32(1)))));
        assertEquals(new BsonDocument("isMaster", new BsonInt32(1)).append("$db", new BsonString("admin")), wrapped.command());
        assertEquals(OpCode.OP_REPLY, wrapped.reply(new BsonDocument()).opCode());
    }

    @Test
    void compressedMessagesAreUnwrapped() {
        byte[] plain = Frames.opMsg(8, 0, insert(), Frames.sequence("documents", List.of(doc(1), doc(2))));
        for (int id : new int[] {0, 2, 3}) {
            WireRequest request = decode(Frames.compress(plain, id));
            assertEquals(8, request.requestId());
            assertEquals(Compressor.byId(id), request.compressor());
            assertEquals(Compressor.byId(id), request.reply(new BsonDocument()).compressor());
            assertEquals(2, request.command().getArray("documents").size());
        }
        WireRequest checked = decode(Frames.compress(Frames.withChecksum(Frames.opMsg(9, 0, insert())), 3));
        assertEquals(insert(), checked.command(), "the checksum covers the rebuilt original header");
    }

    @Test
    void compressedDefectsClose() {
        byte[] plain = Frames.opMsg(8, 0, insert());
        byte[] nested = Frames.compress(Frames.compress(plain, 0), 0);
        byte[] snappy = Frames.compress(plain, 0);
        snappy[24] = 1;
        byte[] unknown = Frames.compress(plain, 0);
        unknown[24] = 9;
        byte[] tooBig = Frames.compress(plain, 3);
        ByteBuffer.wrap(tooBig).order(ByteOrder.LITTLE_ENDIAN).putInt(20, 60_000_000);
        byte[] tooSmall = Frames.compress(plain, 2);
        ByteBuffer.wrap(tooSmall).order(ByteOrder.LITTLE_ENDIAN).putInt(20, 10);
        byte[] zstdShort = Frames.compress(plain, 3);
        ByteBuffer.wrap(zstdShort).order(ByteOrder.LITTLE_ENDIAN).putInt(20, plain.length - 16 + 5);
        for (byte[] bad : List.of(nested, snappy, unknown, tooBig, tooSmall, zstdShort)) {
            EmbeddedChannel fresh = new EmbeddedChannel(new FrameDecoder(stats), new MessageDecoder());
            DecoderException e = assertThrows(DecoderException.class, () -> fresh.writeInbound(Unpooled.wrappedBuffer(bad)));
            assertInstanceOf(WireProtocolException.class, e.getCause());
            fresh.finishAndReleaseAll();
        }
    }

    @Test
    void unknownOpCodeCloses() {
        DecoderException e = assertThrows(DecoderException.class,
                () -> channel.writeInbound(Unpooled.wrappedBuffer(Frames.message(1, 2005, new byte[8]))));
        assertTrue(e.getCause().getMessage().contains("2005"));
    }

    @Test
    void invalidUtf8InAStringOrANameIsRejectedNotReplaced() {
        for (String bad : new String[] {"s", "\u00e9"}) {
            // {<name>: "<value>", $db: "test"} where either the value or the name holds the lone byte 0xE9.
            boolean inName = bad.equals("s");
            byte[] name = inName ? new byte[] {(byte) 0xE9} : new byte[] {'s'};
            byte[] value = inName ? new byte[] {'v'} : new byte[] {(byte) 0xE9};
            ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(0).put((byte) 2).put(name).put((byte) 0).putInt(value.length + 1).put(value).put((byte) 0);
            b.put((byte) 2).put("$db".getBytes()).put((byte) 0).putInt(5).put("test".getBytes()).put((byte) 0).put((byte) 0);
            byte[] doc = java.util.Arrays.copyOf(b.array(), b.position());
            ByteBuffer.wrap(doc).order(ByteOrder.LITTLE_ENDIAN).putInt(0, doc.length);
            byte[] sections = new byte[doc.length + 1];
            System.arraycopy(doc, 0, sections, 1, doc.length);
            assertRejected(decode(Frames.opMsgRaw(9, 0, sections)), 22);
        }
    }
}
