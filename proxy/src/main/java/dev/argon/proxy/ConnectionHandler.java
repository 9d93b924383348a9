package dev.argon.proxy;

import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.ServerStats;
import dev.argon.engine.command.ClientContext;
import dev.argon.engine.command.CommandReply;
import dev.argon.engine.command.CommandService;
import dev.argon.engine.failpoint.FailPoints;
import dev.argon.proxy.wire.ErrorReply;
import dev.argon.proxy.wire.ReplyEncoder;
import dev.argon.proxy.wire.WireReply;
import dev.argon.proxy.wire.WireRequest;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.EncoderException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one connection's requests. Commands do blocking storage I/O and wait for group commit, so they do not run
 * on the event loop: each goes to the shared command pool through this connection's {@link SerialExecutor}, which
 * keeps them in arrival order. The exception is a command the engine calls quick (a find by {@code _id} on
 * {@code main}, a plain {@code hello}), which runs on the event loop when nothing of this connection is queued. This is the one place that wraps every command: it counts requests, turns an
 * exception that escapes the {@link CommandService} into an {@code InternalError} reply, and logs at debug level.
 *
 * <p>Backpressure: when a client has more than {@link #HIGH_WATER} requests queued (a stream of {@code moreToCome}
 * writes never waits for replies), the channel stops reading until the queue drains to {@link #LOW_WATER}.
 *
 * <p>Awaitable replies: when the engine marks a reply awaitable (an awaitable {@code hello}), it goes to an
 * {@link AwaitedReply}, which holds it back on the event loop, and streams the ones after it when the request
 * allowed exhaust; meanwhile this connection's later requests wait in the serial queue, which is suspended, so no
 * pool thread sleeps for a monitoring connection. Closing the connection cancels the wait.
 *
 * <p>One instance per channel. Netty callbacks and quick commands run on the event loop; other commands run on pool threads; the shared
 * state between them is atomic or volatile, except {@link #awaiting}, which only the event loop touches.
 */
final class ConnectionHandler extends SimpleChannelInboundHandler<WireRequest> {
    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);
    /** Enough to keep a pipelining client busy; small enough that a flood cannot pile up unbounded memory. */
    static final int HIGH_WATER = 64;
    static final int LOW_WATER = 16;

    private final CommandService service;
    private final FailPoints failPoints;
    private final ServerStats stats;
    private final Executor commandPool;
    private final SerialExecutor commands;
    private final ReplyEncoder replies;
    private final long connectionId;
    private final String advertisedHost;
    private final int port;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile ClientContext client;
    /** The reply now held back or streaming, if any; event loop only. */
    private AwaitedReply awaiting;

    ConnectionHandler(CommandService service, FailPoints failPoints, ServerStats stats, Executor commandPool,
                      ReplyEncoder replies, long connectionId, String advertisedHost, int port) {
        super(WireRequest.class);
        this.service = service;
        this.failPoints = failPoints;
        this.stats = stats;
        this.commandPool = commandPool;
        this.commands = new SerialExecutor(commandPool);
        this.replies = replies;
        this.connectionId = connectionId;
        this.advertisedHost = advertisedHost;
        this.port = port;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        stats.connectionsCurrent.incrementAndGet();
        stats.connectionsTotal.incrementAndGet();
        client = new ClientContext(connectionId, address(ctx.channel().remoteAddress()), advertisedHost, port);
        log.debug("connection {} from {}", connectionId, client.remoteAddress());
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (awaiting != null) {
            awaiting.cancel();
            awaiting = null;
        }
        stats.connectionsCurrent.decrementAndGet();
        log.debug("connection {} closed", connectionId);
        super.channelInactive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WireRequest request) {
        if (!ctx.channel().isActive()) {
            return;
        }
        stats.requests.incrementAndGet();
        if (request.rejection() == null && !request.moreToCome() && !request.exhaustAllowed() && commands.idle()
                && service.quick(request.command(), client)) {
            runHere(ctx, request);
            return;
        }
        runOnPool(ctx, request);
    }

    /** Queues a request behind this connection's earlier ones, for the command pool. */
    private void runOnPool(ChannelHandlerContext ctx, WireRequest request) {
        if (pending.incrementAndGet() > HIGH_WATER) {
            ctx.channel().config().setAutoRead(false);
            // The queue may have drained between the increment and the line above, with nobody left to resume.
            resumeIfDrained(ctx.channel());
        }
        try {
            commands.execute(() -> run(ctx, request));
        } catch (RejectedExecutionException e) {
            log.debug("connection {}: server is shutting down, closing", connectionId);
            ctx.close();
        }
    }

    private void run(ChannelHandlerContext ctx, WireRequest request) {
        try {
            // A reply that goes out can wait for its fsync without this thread: see the deferred branch below.
            boolean defer = !request.moreToCome() && !request.exhaustAllowed();
            CommandReply reply = request.rejection() != null ? CommandReply.now(request.rejection())
                    : execute(request.command(), request.commandName(), defer);
            if (failPoints.closeInsteadOfReplying(client)) {
                // A test fail point: the command ran, but its client must see a dropped connection instead.
                log.debug("connection {}: closed instead of replying to {} (fail point)", connectionId, request.commandName());
                ctx.channel().close();
                return;
            }
            if (request.moreToCome() || !ctx.channel().isActive()) {
                return;
            }
            if (reply.deferred()) {
                // A journaled write: the WAL's syncer sends the reply once its fsync is done, and this connection's
                // later requests wait for it in the suspended queue, so the pool thread is free meanwhile.
                if (reply.waitsForFsync()) {
                    stats.deferredDurableReplies.incrementAndGet();
                }
                Runnable resume = commands.suspend();
                service.whenDurable(request.command(), reply, doc -> {
                    try {
                        if (ctx.channel().isActive()) {
                            send(ctx, request, request.reply(doc));
                        }
                    } finally {
                        resume.run();
                    }
                });
                return;
            }
            boolean stream = request.exhaustAllowed() && reply.next() != null && reply.ok();
            if (reply.awaitMillis() == 0 && !stream) {
                send(ctx, request, request.reply(reply.document()));
                return;
            }
            // Held back, or streamed: as on mongod, this connection's later requests wait until the awaited reply
            // (or the stream) ends, but in the suspended queue, not on a pool thread.
            new AwaitedReply(this, ctx, request, reply, stream, commands.suspend()).start();
        } finally {
            if (pending.decrementAndGet() <= LOW_WATER) {
                resumeIfDrained(ctx.channel());
            }
        }
    }

    /**
     * Runs a command the engine called quick ({@link CommandService#quick}) on the event loop: it skips the hand-off
     * to a command thread and the wake-up of this loop to write the reply, the two largest fixed costs of a point
     * read. Only when this connection has nothing queued, running or held back, so it cannot overtake an earlier
     * request; its reply is written as a task of this loop, behind any reply a command thread handed over before.
     */
    private void runHere(ChannelHandlerContext ctx, WireRequest request) {
        CommandReply reply = executeQuick(request.command(), request.commandName());
        if (reply == null) {
            // A write whose branch a longer write holds: nothing ran; it takes the ordinary way, in order.
            stats.quickFallbacks.incrementAndGet();
            runOnPool(ctx, request);
            return;
        }
        stats.quickCommands.incrementAndGet();
        if (failPoints.closeInsteadOfReplying(client)) {
            log.debug("connection {}: closed instead of replying to {} (fail point)", connectionId, request.commandName());
            ctx.channel().close();
            return;
        }
        // A quick command is never awaitable (QuickCommands leaves out awaitable hello), so its reply goes now, or,
        // for a write, once the WAL has written its commit (and done its fsync, if journaled); this connection's
        // later requests wait in the held queue. The loop reads other connections meanwhile, so the commits of
        // all of them are written together.
        if (reply.deferred()) {
            if (reply.waitsForFsync()) {
                stats.deferredDurableReplies.incrementAndGet();
            }
            Runnable resume = commands.hold();
            service.whenDurable(request.command(), reply, doc -> sendOnLoop(ctx, request, request.reply(doc), resume));
            return;
        }
        sendOnLoop(ctx, request, request.reply(reply.document()), () -> {});
    }

    /**
     * Writes a quick command's reply as a task of the channel's loop (behind any reply a pool thread handed over
     * before), then runs {@code after}, whatever happened.
     */
    private void sendOnLoop(ChannelHandlerContext ctx, WireRequest request, WireReply wire, Runnable after) {
        ctx.executor().execute(() -> {
            try {
                if (ctx.channel().isActive()) {
                    send(ctx, request, wire);
                }
            } finally {
                after.run();
            }
        });
    }

    /** A quick command on this thread, or null when it would have had to wait (see {@link CommandService#runQuick}). */
    private CommandReply executeQuick(BsonDocument command, String name) {
        CommandReply reply;
        try {
            reply = service.runQuick(command, client);
            if (reply != null && reply.document() == null) {
                reply = CommandReply.now(ErrorReply.of(MongoErrorCode.INTERNAL_ERROR, "command " + name + " returned no reply"));
            }
        } catch (RuntimeException | StackOverflowError e) {
            log.error("connection {}: command {} threw", connectionId, name, e);
            reply = CommandReply.now(ErrorReply.of(MongoErrorCode.INTERNAL_ERROR, "command " + name + " failed: " + e));
        }
        return reply;
    }

    /** Runs one command through the service; never throws. Called on pool threads, one at a time per connection. */
    CommandReply execute(BsonDocument command, String name) {
        return execute(command, name, false);
    }

    /** As {@link #execute(BsonDocument, String)}; with {@code deferDurability}, see {@link CommandService#runDeferringDurability}. */
    private CommandReply execute(BsonDocument command, String name, boolean deferDurability) {
        long start = System.nanoTime();
        CommandReply reply;
        try {
            reply = deferDurability ? service.runDeferringDurability(command, client) : service.run(command, client);
            if (reply == null || reply.document() == null) {
                reply = CommandReply.now(ErrorReply.of(MongoErrorCode.INTERNAL_ERROR, "command " + name + " returned no reply"));
            }
        } catch (RuntimeException | StackOverflowError e) {
            // The service promises replies, not exceptions; this is a bug, but one command's bug, not the connection's.
            log.error("connection {}: command {} threw", connectionId, name, e);
            reply = CommandReply.now(ErrorReply.of(MongoErrorCode.INTERNAL_ERROR, "command " + name + " failed: " + e));
        }
        if (log.isDebugEnabled()) {
            log.debug("connection {}: {} in {} us", connectionId, name, (System.nanoTime() - start) / 1000);
        }
        return reply;
    }

    /** Writes a reply that ends its request; an encoding failure becomes an error reply. */
    void send(ChannelHandlerContext ctx, WireRequest request, WireReply reply) {
        ctx.writeAndFlush(reply).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                replyEncodingFailed(ctx, request, f.cause());
            }
        });
    }

    /** Called on the event loop when an awaited reply starts waiting, so that closing the channel can cancel it. */
    void awaiting(AwaitedReply reply) {
        awaiting = reply;
    }

    Executor commandPool() {
        return commandPool;
    }

    ReplyEncoder replies() {
        return replies;
    }

    long connectionId() {
        return connectionId;
    }

    /** A reply the encoder could not write (for example a field name with a NUL) becomes an InternalError reply. */
    private void replyEncodingFailed(ChannelHandlerContext ctx, WireRequest request, Throwable cause) {
        if (cause instanceof EncoderException && ctx.channel().isActive()) {
            log.error("connection {}: reply to {} could not be encoded", connectionId, request.commandName(), cause);
            ctx.writeAndFlush(request.reply(ErrorReply.of(MongoErrorCode.INTERNAL_ERROR,
                    "reply to " + request.commandName() + " could not be encoded: " + cause.getMessage())));
        } else {
            log.debug("connection {}: reply to {} not sent: {}", connectionId, request.commandName(), String.valueOf(cause));
        }
    }

    private void resumeIfDrained(Channel channel) {
        if (pending.get() <= LOW_WATER && !channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
    }

    /** "ip:port", the form {@code currentOp} and logs use. */
    static String address(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String ip = inet.getAddress().getHostAddress();
            return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
