package dev.argon.proxy.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.argon.engine.ServerStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * Fuzzes the inbound pipeline, {@link FrameDecoder} then {@link MessageDecoder} (OP_MSG with its sections and
 * checksum, OP_QUERY, OP_COMPRESSED with noop, zlib and zstd, and the BSON inside), on an embedded channel: any
 * byte stream yields requests (commands or rejections carrying an error reply) or a {@link WireProtocolException},
 * which closes only that connection; never another exception, a {@link StackOverflowError} or a hang. Each input
 * is also decoded with its messageLength set to its size, so that mutations get past framing. Seeds (valid
 * messages of each kind) and crash inputs are in {@code WireFuzzTestInputs}; see docs/FUZZING.md.
 */
@Tag("fuzz")
class WireFuzzTest {
    @BeforeAll
    static void quiet() {
        TestLogging.quiet();
    }

    @FuzzTest(maxDuration = "10s")
    void anyBytesDecodeToRequestsOrAProtocolError(byte[] input) {
        decode(input);
        if (input.length >= MsgHeader.LENGTH) {
            byte[] framed = input.clone();
            ByteBuffer.wrap(framed).order(ByteOrder.LITTLE_ENDIAN).putInt(0, framed.length);
            decode(framed);
        }
    }

    private static void decode(byte[] bytes) {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(new ServerStats()), new MessageDecoder());
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        } catch (DecoderException e) {
            if (!(e.getCause() instanceof WireProtocolException)) {
                throw e;
            }
        } finally {
            Object out;
            while ((out = channel.readInbound()) != null) {
                if (out instanceof ByteBuf buf) {
                    buf.release();
                    throw new AssertionError("a raw frame left the message decoder");
                }
                if (!(out instanceof WireRequest request) || (request.command() == null) == (request.rejection() == null)) {
                    throw new AssertionError("not a well-formed WireRequest: " + out);
                }
            }
            channel.finishAndReleaseAll();
        }
    }
}
