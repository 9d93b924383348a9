package dev.argon.proxy;

import dev.argon.proxy.wire.WireProtocolException;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last in the pipeline: whatever exception reaches it means the connection cannot go on (a broken frame, or a
 * socket error), so it logs and closes. Command failures never get here; they are replies. Stateless and sharable.
 */
@ChannelHandler.Sharable
final class ExceptionHandler extends ChannelInboundHandlerAdapter {
    static final ExceptionHandler INSTANCE = new ExceptionHandler();
    private static final Logger log = LoggerFactory.getLogger(ExceptionHandler.class);

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof WireProtocolException) {
            log.warn("closing connection from {}: {}", ConnectionHandler.address(ctx.channel().remoteAddress()), root.getMessage());
        } else if (root instanceof IOException) {
            // Clients that vanish mid-conversation (reset, broken pipe) are routine.
            log.debug("closing connection from {}: {}", ConnectionHandler.address(ctx.channel().remoteAddress()), root.toString());
        } else {
            log.warn("closing connection from {} after an unexpected error", ConnectionHandler.address(ctx.channel().remoteAddress()), root);
        }
        ctx.close();
    }
}
