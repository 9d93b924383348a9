package dev.argon.proxy;

import dev.argon.engine.ServerStats;
import dev.argon.engine.command.CommandService;
import dev.argon.engine.failpoint.FailPoints;
import dev.argon.proxy.wire.FrameDecoder;
import dev.argon.proxy.wire.MessageDecoder;
import dev.argon.proxy.wire.ReplyEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MongoDB wire protocol server: accepts connections, decodes requests, runs them through a
 * {@link CommandService} and writes the replies. Pipeline per connection: {@link FrameDecoder} &rarr;
 * {@link MessageDecoder} &rarr; ({@link ReplyEncoder} outbound) &rarr; {@link ConnectionHandler} &rarr;
 * {@link ExceptionHandler}.
 *
 * <p>Threads: one accept thread and the default number of I/O threads (non-daemon, so a started server keeps the
 * JVM alive until {@link #close()}), plus a cached pool of daemon {@code argon-cmd-N} threads for commands.
 *
 * <p>Lifecycle: construct, {@link #start()} once, {@link #close()} once (further calls do nothing). Thread-safe.
 */
public final class WireServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WireServer.class);
    /** How long close() lets in-flight commands finish, and event loops wind down, before cutting them off. */
    private static final long SHUTDOWN_SECONDS = 3;

    private final String bindHost;
    private final int requestedPort;
    private final String advertisedHost;
    private final CommandService service;
    private final FailPoints failPoints;
    private final ServerStats stats;
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicInteger requestIds = new AtomicInteger();

    private EventLoopGroup acceptGroup;
    private EventLoopGroup ioGroup;
    private ExecutorService commandPool;
    private ChannelGroup channels;
    private Channel serverChannel;
    private volatile int port = -1;
    private boolean started;
    private boolean closed;

    /**
     * @param bindHost       the address to listen on ({@code 0.0.0.0} for all interfaces)
     * @param port           the port, or 0 for an ephemeral one (see {@link #port()})
     * @param advertisedHost the host {@code hello} names to clients (behind NAT, the public name); null means
     *                       {@code bindHost}, or {@code localhost} when {@code bindHost} is a wildcard address
     */
    public WireServer(String bindHost, int port, String advertisedHost, CommandService service, ServerStats stats) {
        this(bindHost, port, advertisedHost, service, new FailPoints(), stats);
    }

    /** @param failPoints asked after every command whether to close the connection instead of replying */
    public WireServer(String bindHost, int port, String advertisedHost, CommandService service, FailPoints failPoints,
                      ServerStats stats) {
        this.bindHost = Objects.requireNonNull(bindHost, "bindHost");
        this.requestedPort = port;
        this.advertisedHost = advertisedHost != null ? advertisedHost : isWildcard(bindHost) ? "localhost" : bindHost;
        this.service = Objects.requireNonNull(service, "service");
        this.failPoints = Objects.requireNonNull(failPoints, "failPoints");
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    /**
     * Binds and returns once the server is listening.
     *
     * @throws UncheckedIOException if the address cannot be bound (port in use, unknown host)
     */
    public synchronized void start() {
        if (started || closed) {
            throw new IllegalStateException(closed ? "closed" : "already started");
        }
        started = true;
        AtomicInteger commandThreads = new AtomicInteger();
        commandPool = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "argon-cmd-" + commandThreads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        acceptGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("argon-accept"), NioIoHandler.newFactory());
        ioGroup = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("argon-io"), NioIoHandler.newFactory());
        channels = new DefaultChannelGroup("argon-connections", GlobalEventExecutor.INSTANCE);
        MessageDecoder messageDecoder = new MessageDecoder();
        ReplyEncoder replyEncoder = new ReplyEncoder(requestIds, stats);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptGroup, ioGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        ch.pipeline()
                                .addLast("frames", new FrameDecoder(stats))
                                .addLast("messages", messageDecoder)
                                .addLast("replies", replyEncoder)
                                .addLast("commands", new ConnectionHandler(service, failPoints, stats, commandPool, replyEncoder,
                                        connectionIds.incrementAndGet(), advertisedHost,
                                        ((InetSocketAddress) ch.localAddress()).getPort()))
                                .addLast("errors", ExceptionHandler.INSTANCE);
                    }
                });
        try {
            serverChannel = bootstrap.bind(bindHost, requestedPort).syncUninterruptibly().channel();
        } catch (Exception e) {
            closed = true;
            shutdown();
            String where = bindHost + ":" + requestedPort;
            throw new UncheckedIOException(e instanceof IOException io ? new IOException("cannot listen on " + where + ": "
                    + io.getMessage(), io) : new IOException("cannot listen on " + where, e));
        }
        port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        log.info("listening on {}:{} (advertised as {}:{})", bindHost, port, advertisedHost, port);
    }

    /** The port actually listened on (resolves an ephemeral 0), or -1 before {@link #start()}. */
    public int port() {
        return port;
    }

    /** The host name given to clients together with {@link #port()}. */
    public String advertisedHost() {
        return advertisedHost;
    }

    /**
     * Stops accepting new connections; open ones keep being served (a stopping engine answers their commands with
     * ShutdownInProgress until {@link #close()}).
     */
    public synchronized void stopAccepting() {
        if (serverChannel != null && serverChannel.isOpen()) {
            serverChannel.close().awaitUninterruptibly(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        }
    }

    /**
     * Stops accepting, lets in-flight commands finish for a few seconds, closes every connection and stops all
     * threads. Safe to call more than once, and before or after a failed {@link #start()}.
     */
    @Override
    public synchronized void close() {
        if (closed || !started) {
            closed = true;
            return;
        }
        closed = true;
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        }
        shutdown();
        log.info("stopped listening on {}:{}", bindHost, port);
    }

    private void shutdown() {
        // Commands first, so that queued replies can still be written; new requests are refused from here on.
        commandPool.shutdown();
        try {
            if (!commandPool.awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS)) {
                log.warn("commands still running after {} s; interrupting them", SHUTDOWN_SECONDS);
                commandPool.shutdownNow();
            }
        } catch (InterruptedException e) {
            commandPool.shutdownNow();
            Thread.currentThread().interrupt();
        }
        channels.close().awaitUninterruptibly(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        Future<?> accept = acceptGroup.shutdownGracefully(0, SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        Future<?> io = ioGroup.shutdownGracefully(0, SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        accept.awaitUninterruptibly(SHUTDOWN_SECONDS + 1, TimeUnit.SECONDS);
        io.awaitUninterruptibly(SHUTDOWN_SECONDS + 1, TimeUnit.SECONDS);
    }

    private static boolean isWildcard(String host) {
        return switch (host) {
            case "0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0", "*", "" -> true;
            default -> false;
        };
    }
}
