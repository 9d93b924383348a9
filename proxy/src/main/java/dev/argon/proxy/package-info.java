/**
 * The network face of Argon: {@link dev.argon.proxy.ArgonServer} (engine plus wire server) and the Netty
 * server that speaks MongoDB's wire protocol. Nothing here evaluates a query; commands go to the engine's
 * {@link dev.argon.engine.command.CommandService}.
 *
 * <p>{@link dev.argon.proxy.WireServer} runs one pipeline per connection (frame decoder, message decoder, reply
 * encoder, {@code ConnectionHandler}, {@code ExceptionHandler}); the protocol itself lives in
 * {@link dev.argon.proxy.wire}. Netty stays inside this module: the engine sees BSON documents and a
 * {@link dev.argon.engine.command.ClientContext}.
 *
 * <p>Threading: Netty's event loops decode and encode; commands run on a shared cached pool of daemon
 * {@code argon-cmd-N} threads, because they block on storage and group commit. A connection's commands run one
 * at a time in arrival order (a per-connection serial queue), different connections in parallel. A command the
 * engine calls quick ({@link dev.argon.engine.command.CommandService#quick}: a point read by {@code _id} on
 * {@code main}, a plain {@code hello}, a small write by {@code _id} or a small insert) runs on the event loop
 * instead, when its connection's queue is idle; a quick write whose branch is held by a longer write comes back
 * unrun ({@link dev.argon.engine.command.CommandService#runQuick} returns null) and takes the pool.
 *
 * <p>Journaled replies: a write with {@code j: true} returns before its fsync with
 * {@link dev.argon.engine.command.CommandReply#durableLsn()} set; the connection's queue is suspended (or held,
 * for a quick write) and the WAL syncer's callback ({@link dev.argon.engine.command.CommandService#whenDurable})
 * sends the reply, so no thread sleeps through an fsync. A journaled quick write's reply also waits for its commit,
 * which the WAL's writer thread writes ({@link dev.argon.engine.command.CommandReply#deferred()}): the event loop
 * reads other connections meanwhile.
 *
 * <p>Awaitable replies: a reply the engine marks awaitable (an awaitable {@code hello}, see
 * {@link dev.argon.engine.command.CommandReply}) is held back by a timer on the channel's event loop
 * ({@code AwaitedReply}), never by a sleeping pool thread, while the connection's serial queue is suspended; with
 * the OP_MSG {@code exhaustAllowed} bit the replies are streamed with {@code moreToCome}, each naming the previous
 * one in {@code responseTo}. Closing the connection cancels the timer and resumes the queue; shutdown does not
 * wait for awaiting replies.
 *
 * <p>Failure handling: a failed command is an error reply and the connection stays open; even an exception that
 * escapes the service becomes an {@code InternalError} reply. Only a broken frame or a socket error closes a
 * connection, and never affects other connections. The one deliberate exception is a test fail point: after each
 * command the connection asks the engine's {@link dev.argon.engine.failpoint.FailPoints} whether to close instead
 * of replying (only ever true with test commands enabled).
 *
 * <p>Stopping: {@link dev.argon.proxy.ArgonServer#close()} stops accepting, lets the engine refuse new commands
 * (91 ShutdownInProgress) while running ones finish and reply, then closes connections and the data directory;
 * {@link dev.argon.proxy.ArgonServer#closeOnShutdown()} makes SIGTERM do that.
 *
 * <p>Read-only nodes: {@link dev.argon.proxy.ReadOnlyNode} restores an archive's newest backup into a cache
 * directory and serves it through {@link dev.argon.proxy.ArgonServer#startReadOnly} (writes refused by the engine's
 * {@link dev.argon.engine.command.ReadOnlyGate}), swapping to a new server on the same port when a newer backup
 * appears.
 *
 * <p>Statistics: the wire server maintains {@code connectionsCurrent/Total}, {@code bytesIn/Out} and
 * {@code requests} of {@link dev.argon.engine.ServerStats}; the engine counts operations.
 */
package dev.argon.proxy;
