package dev.argon.proxy.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.argon.engine.ServerStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonObjectId;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/** Replies written by {@link ReplyEncoder}, read back by the independent parser in {@link Frames}. */
class ReplyEncoderTest {
    private final ServerStats stats = new ServerStats();
    private final EmbeddedChannel channel = new EmbeddedChannel(new ReplyEncoder(new AtomicInteger(100), stats));

    private static BsonDocument reply() {
        BsonArray values = new BsonArray();
        for (int i = 0; i < 500; i++) {
            values.add(new BsonString("value ü " + i % 10));
        }
        return new BsonDocument("ok", new BsonDouble(1)).append("values", values)
                .append("id", new BsonObjectId(new ObjectId("5f1d7a2e9d3b2c0001a1b2c3"))).append("bin", new BsonBinary(new byte[] {1, 2, 3}))
                .append("re", new BsonRegularExpression("^a", "i"))
                .append("nested", new BsonDocument("x", new BsonInt32(-5)));
    }

    private Frames.Reply roundTrip(WireReply reply) {
        channel.writeOutbound(reply);
        ByteBuf out = channel.readOutbound();
        try {
            return Frames.parse(ByteBufUtil.getBytes(out));
        } finally {
            out.release();
        }
    }

    @Test
    void opMsgReply() {
        Frames.Reply parsed = roundTrip(new WireReply(42, OpCode.OP_MSG, null, reply()));
        assertEquals(101, parsed.requestId());
        assertEquals(42, parsed.responseTo());
        assertEquals(OpCode.OP_MSG, parsed.opCode());
        assertEquals(0, parsed.flags());
        assertEquals(-1, parsed.compressorId());
        assertEquals(reply(), parsed.document());
        assertEquals(102, roundTrip(new WireReply(43, OpCode.OP_MSG, null, reply())).requestId());
    }

    @Test
    void streamedReplyCarriesItsIdAndMoreToCome() {
        Frames.Reply parsed = roundTrip(new WireReply(555, 554, OpCode.OP_MSG, true, null, reply()));
        assertEquals(555, parsed.requestId(), "a streamed reply keeps the id chosen for it");
        assertEquals(554, parsed.responseTo());
        assertEquals(OpMsg.MORE_TO_COME, parsed.flags());
        for (Compressor c : new Compressor[] {Compressor.NOOP, Compressor.ZLIB, Compressor.ZSTD}) {
            assertEquals(OpMsg.MORE_TO_COME, roundTrip(new WireReply(556, 555, OpCode.OP_MSG, true, c, reply())).flags());
        }
    }

    @Test
    void opReplyReply() {
        Frames.Reply parsed = roundTrip(new WireReply(7, OpCode.OP_REPLY, null, reply()));
        assertEquals(OpCode.OP_REPLY, parsed.opCode());
        assertEquals(8, parsed.flags());
        assertEquals(0, parsed.cursorId());
        assertEquals(1, parsed.numberReturned());
        assertEquals(reply(), parsed.document());
    }

    @Test
    void compressedReplies() {
        for (Compressor c : new Compressor[] {Compressor.NOOP, Compressor.ZLIB, Compressor.ZSTD}) {
            for (int opCode : new int[] {OpCode.OP_MSG, OpCode.OP_REPLY}) {
                Frames.Reply parsed = roundTrip(new WireReply(9, opCode, c, reply()));
                assertEquals(c.id(), parsed.compressorId());
                assertEquals(opCode, parsed.opCode());
                assertEquals(reply(), parsed.document());
            }
        }
    }

    @Test
    void rawDocumentsAreCopiedAsIs() {
        RawBsonDocument raw = new RawBsonDocument(reply(), new BsonDocumentCodec());
        assertEquals(raw, roundTrip(new WireReply(1, OpCode.OP_MSG, null, raw)).document());
    }

    @Test
    void bytesOutAreCounted() {
        channel.writeOutbound(new WireReply(1, OpCode.OP_MSG, null, reply()));
        ByteBuf out = channel.readOutbound();
        assertEquals(out.readableBytes(), stats.bytesOut.get());
        out.release();
    }

    @Test
    void compressorsRoundTripOnHeapAndDirectBuffers() {
        byte[] data = new byte[100_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 37);
        }
        for (Compressor c : new Compressor[] {Compressor.NOOP, Compressor.ZLIB, Compressor.ZSTD}) {
            for (boolean direct : new boolean[] {true, false}) {
                ByteBuf src = direct ? PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(data) : Unpooled.wrappedBuffer(data);
                ByteBuf packed = direct ? PooledByteBufAllocator.DEFAULT.directBuffer() : Unpooled.buffer();
                ByteBuf unpacked = direct ? PooledByteBufAllocator.DEFAULT.directBuffer(data.length) : Unpooled.buffer(data.length);
                try {
                    c.compress(src, packed);
                    c.decompress(packed, unpacked, data.length);
                    assertEquals(Unpooled.wrappedBuffer(data), unpacked, c + " direct=" + direct);
                    ByteBuf tooSmall = Unpooled.buffer(data.length);
                    assertThrows(WireProtocolException.class, () -> c.decompress(packed, tooSmall.clear(), data.length - 1));
                } finally {
                    src.release();
                    packed.release();
                    unpacked.release();
                }
            }
        }
    }

    @Test
    void repliesAreTheDriversBytesAndRefuseWhatTheDriverRefuses() {
        BsonDocument batch = new BsonDocument("cursor", new BsonDocument("firstBatch", new BsonArray(java.util.List.of(
                reply(), new RawBsonDocument(reply(), new BsonDocumentCodec()),
                new BsonDocument("s", new BsonString("\uD800 lone surrogate, \u20AC, \uD83D\uDE00"))
                        .append("l", new org.bson.BsonInt64(Long.MIN_VALUE)).append("t", new org.bson.BsonTimestamp(7, 9))
                        .append("d", new org.bson.BsonDecimal128(org.bson.types.Decimal128.parse("1.5")))
                        .append("n", new org.bson.BsonNull()).append("b", org.bson.BsonBoolean.TRUE)))))
                .append("id", new org.bson.BsonInt64(0)).append("ok", new BsonDouble(1));
        org.bson.io.BasicOutputBuffer drivers = new org.bson.io.BasicOutputBuffer();
        new BsonDocumentCodec().encode(new org.bson.BsonBinaryWriter(drivers), batch, org.bson.codecs.EncoderContext.builder().build());
        ByteBuf ours = Unpooled.buffer();
        try {
            ByteBufBsonOutput.writeDocument(ours, batch);
            org.junit.jupiter.api.Assertions.assertArrayEquals(drivers.toByteArray(), ByteBufUtil.getBytes(ours));
        } finally {
            ours.release();
        }
        ByteBuf out = Unpooled.buffer();
        try {
            assertThrows(org.bson.BsonSerializationException.class,
                    () -> ByteBufBsonOutput.writeDocument(out, new BsonDocument("a\u0000b", new BsonInt32(1))));
        } finally {
            out.release();
        }
    }
}
