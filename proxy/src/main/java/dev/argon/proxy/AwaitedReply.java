package dev.argon.proxy;

import dev.argon.engine.command.CommandReply;
import dev.argon.proxy.wire.WireRequest;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reply the engine marked awaitable (an awaitable {@code hello}), held back by a timer on the channel's event
 * loop instead of a sleeping thread. Without exhaust it is sent once its wait is over. With exhaust (the
 * server-monitoring streaming protocol) it is sent flagged {@code moreToCome}, then the engine runs the reply's
 * {@code next} command on the command pool, that reply waits in turn, and so on: one reply per
 * {@code maxAwaitTimeMS}, each naming the previous one in {@code responseTo}, until the connection closes or a reply
 * is an error (sent without {@code moreToCome}, which ends the stream).
 *
 * <p>The next reply is prepared only once the previous one is written to the socket, so a client that stops reading
 * stops the stream instead of filling the server's memory. While this lasts the connection's command queue is
 * suspended; {@link #finish()} resumes it, exactly once: after the last reply, on {@link #cancel()} (the channel
 * closed), or when the server shuts down.
 *
 * <p>Not thread-safe by itself: after {@link #start()}, everything but the engine call runs on the channel's event
 * loop, and the engine call hands its reply back to that loop. {@link #finish()} may run anywhere.
 */
final class AwaitedReply {
    private static final Logger log = LoggerFactory.getLogger(AwaitedReply.class);
    /**
     * The shortest gap between two streamed replies. Drivers ask for maxAwaitTimeMS = heartbeatFrequencyMS, which
     * is at least 500 ms; the floor keeps a stream asked to wait 0 ms from becoming a busy loop that holds a core.
     */
    static final long MIN_STREAM_INTERVAL_MS = 50;
    /** {@link #responseTo} before the first reply (reply ids are never 0). */
    private static final int NONE_SENT = 0;

    private final ConnectionHandler handler;
    private final ChannelHandlerContext ctx;
    private final WireRequest request;
    private final Runnable resume;
    private final AtomicBoolean finished = new AtomicBoolean();
    private CommandReply reply;
    private boolean stream;
    /** The id of the last reply sent, which the next one names; {@link #NONE_SENT} before the first. */
    private int responseTo;
    private ScheduledFuture<?> timer;
    /** The engine is running the next command: the queue stays suspended until it is back. */
    private boolean running;
    private boolean cancelled;

    AwaitedReply(ConnectionHandler handler, ChannelHandlerContext ctx, WireRequest request, CommandReply reply,
                 boolean stream, Runnable resume) {
        this.handler = handler;
        this.ctx = ctx;
        this.request = request;
        this.reply = reply;
        this.stream = stream;
        this.resume = resume;
        this.responseTo = NONE_SENT;
    }

    /** Hands the wait to the event loop; callable from any thread. */
    void start() {
        try {
            ctx.executor().execute(this::begin);
        } catch (RejectedExecutionException e) {
            finish(); // the event loop is gone with the server
        }
    }

    /** Stops waiting and streaming because the channel closed. Event loop only. */
    void cancel() {
        cancelled = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (!running) {
            finish();
        }
    }

    private void begin() {
        if (!ctx.channel().isActive()) {
            finish();
            return;
        }
        handler.awaiting(this);
        waitThenSend(reply.awaitMillis());
    }

    private void waitThenSend(long millis) {
        timer = ctx.executor().schedule(this::send, millis, TimeUnit.MILLISECONDS);
    }

    private void send() {
        timer = null;
        if (cancelled) {
            return;
        }
        if (!stream) {
            // The last reply of a stream names the one before it; a lone reply (OP_MSG or OP_REPLY) the request.
            handler.send(ctx, request, responseTo == NONE_SENT ? request.reply(reply.document())
                    : request.streamed(0, responseTo, false, reply.document()));
            finish();
            return;
        }
        int id = handler.replies().nextRequestId();
        int to = responseTo == NONE_SENT ? request.requestId() : responseTo;
        ctx.writeAndFlush(request.streamed(id, to, true, reply.document())).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                runNext();
            } else {
                log.debug("connection {}: streamed {} reply not sent, closing: {}", handler.connectionId(),
                        request.commandName(), String.valueOf(f.cause()));
                ctx.close();
            }
        });
        responseTo = id;
    }

    private void runNext() {
        if (cancelled) {
            return;
        }
        running = true;
        BsonDocument command = reply.next();
        try {
            handler.commandPool().execute(() -> {
                CommandReply next = handler.execute(command, request.commandName());
                try {
                    ctx.executor().execute(() -> nextReady(next));
                } catch (RejectedExecutionException e) {
                    finish(); // the event loop is gone with the server
                }
            });
        } catch (RejectedExecutionException e) {
            running = false;
            ctx.close(); // the server is shutting down; cancel() follows when the channel is inactive
        }
    }

    private void nextReady(CommandReply next) {
        running = false;
        if (cancelled) {
            finish();
            return;
        }
        reply = next;
        stream = next.next() != null && next.ok();
        // An error ends the stream at once, as the spec wants; a successful reply waits as the engine said.
        long millis = next.ok() ? next.awaitMillis() : 0;
        waitThenSend(stream ? Math.max(millis, MIN_STREAM_INTERVAL_MS) : millis);
    }

    /** Resumes the connection's command queue; only the first call does anything. */
    private void finish() {
        if (finished.compareAndSet(false, true)) {
            resume.run();
        }
    }
}
