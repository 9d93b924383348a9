package dev.argon.engine.command;

import dev.argon.engine.ArgonException;
import dev.argon.engine.Engine;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.changestream.ChangeStreamErrors;
import dev.argon.engine.command.txn.TransactionErrors;
import dev.argon.engine.failpoint.FiredCommand;
import dev.argon.engine.command.txn.TransactionStatement;
import dev.argon.engine.session.RetryableErrors;
import dev.argon.engine.session.RetryableWrite;
import dev.argon.engine.session.TxnId;
import dev.argon.wal.BranchException;
import dev.argon.wal.WalException;
import java.util.Map;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps every command once: the shutdown gate (91 ShutdownInProgress once the server is stopping), table lookup,
 * the read-only gate of a node serving an archive ({@link ReadOnlyGate}: writes answer 10107 NotWritablePrimary),
 * the session check-out of retryable writes, transaction statements ({@code autocommit: false}, run by
 * {@link TransactionStatement}), {@code readConcern.afterClusterTime}, snapshot reads outside transactions (the LSN
 * fixed before the handler runs and {@code atClusterTime} added to its reply, {@code session.SnapshotRead}), the
 * test fail points {@code failCommand} and {@code failGetMoreAfterCursorCheckout}, error formatting and labels, the
 * cluster
 * time in every reply, counters and debug logging, so
 * handlers stay free of all of that. A handler that marks its reply awaitable ({@link CommandContext#awaitable})
 * has it returned as such by {@link #run}; {@link #execute} returns every reply at once. Thread-safe.
 */
public final class Dispatcher implements CommandService {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final Engine engine;
    private final CommandTable table;

    public Dispatcher(Engine engine, CommandTable table) {
        this.engine = engine;
        this.table = table;
    }

    @Override
    public BsonDocument execute(BsonDocument command, ClientContext client) {
        return run(command, client).document();
    }

    @Override
    public CommandReply run(BsonDocument command, ClientContext client) {
        return run(command, client, false, false);
    }

    @Override
    public CommandReply runDeferringDurability(BsonDocument command, ClientContext client) {
        return run(command, client, true, false);
    }

    /**
     * A {@link #quick} command on the caller's thread. A write there must not wait for its branch's lock: when a
     * longer write holds it, nothing is written, the command is not counted, and this returns null so that the
     * caller runs it the ordinary way.
     */
    @Override
    public CommandReply runQuick(BsonDocument command, ClientContext client) {
        try {
            return run(command, client, true, true);
        } catch (dev.argon.engine.store.WouldBlock e) {
            return null;
        }
    }

    /**
     * Sends a deferred reply once its LSN is durable. A failed fsync makes it the storage error a blocking wait
     * would have answered, labelled and stamped as every reply is; the commit itself stays in the log (it may
     * survive a crash, as any write whose acknowledgement was lost).
     */
    @Override
    public void whenDurable(BsonDocument command, CommandReply reply, java.util.function.Consumer<BsonDocument> sendOuter) {
        if (reply.afterCommit() != null) {
            // A detached commit: the reply goes out once the WAL has written it, and its fsync is done if journaled.
            AfterCommit after = reply.afterCommit();
            java.util.function.Consumer<BsonDocument> send = doc -> {
                try {
                    sendOuter.accept(doc);
                } finally {
                    after.sent();
                }
            };
            after.then((r, failure) -> {
                try {
                    if (failure != null) {
                        send.accept(failedReply(command, failure));
                    } else if (r != null && after.journaled()) {
                        whenDurable(command, r.endLsn(), restamped(reply.document()), send);
                    } else {
                        send.accept(restamped(reply.document()));
                    }
                } catch (RuntimeException e) {
                    // Nothing could be sent (the store is closing under it): shutdown must not wait for this reply.
                    after.sent();
                    throw e;
                }
            });
            return;
        }
        whenDurable(command, reply.durableLsn(), reply.document(), sendOuter);
    }

    private void whenDurable(BsonDocument command, long lsn, BsonDocument doc, java.util.function.Consumer<BsonDocument> send) {
        if (lsn <= 0) {
            send.accept(doc);
            return;
        }
        engine.store().whenDurable(lsn, failure -> send.accept(failure == null ? doc : failedReply(command, failure)));
    }

    /** The error a branch refusal answers (see the cases). */
    private static ArgonException branchError(BranchException e) {
        return new ArgonException(switch (e.kind()) {
            case INVALID_NAME -> MongoErrorCode.BAD_VALUE;
            case EXISTS -> MongoErrorCode.NAMESPACE_EXISTS;
            case NOT_FOUND -> MongoErrorCode.BRANCH_NOT_FOUND;
            case PROTECTED, HAS_CHILDREN -> MongoErrorCode.ILLEGAL_OPERATION;
            // As for a write that waited on a branch that was reset or deleted (Store.beginWrite): nothing
            // was written. 112 is not a retryable-writes code and gets no RetryableWriteError label, so
            // drivers do not retry it; the application sees it and decides whether to run the write again.
            case RETIRED -> MongoErrorCode.WRITE_CONFLICT;
            // History GC gave up (below the horizon, or a reclaimed range): the message names which.
            case HISTORY_GONE -> MongoErrorCode.SNAPSHOT_TOO_OLD;
        }, e.getMessage());
    }

    /**
     * A reply stamped before its detached commit was written: stamped again, so that its {@code operationTime}
     * covers the commit (a causally consistent session reads after it).
     */
    private BsonDocument restamped(BsonDocument doc) {
        doc.remove("$clusterTime");
        doc.remove("operationTime");
        return engine.clusterTime().stamp(doc);
    }

    /**
     * The error a command answers when the write behind its reply failed after the command ran: its fsync, or its
     * detached commit. Labelled and stamped as every reply is; nothing of a failed commit was written.
     */
    private BsonDocument failedReply(BsonDocument command, RuntimeException failure) {
        String name = command.isEmpty() ? "?" : command.getFirstKey();
        ArgonException e = failure instanceof WalException w ? storageError(name, w)
                : failure instanceof BranchException b ? branchError(b)
                : failure instanceof ArgonException a ? a
                : new ArgonException(MongoErrorCode.INTERNAL_ERROR, name + " failed: " + failure);
        BsonDocument doc = RetryableErrors.label(command, error(e));
        TransactionErrors.label(command, doc);
        return engine.clusterTime().stamp(doc);
    }

    private CommandReply run(BsonDocument command, ClientContext client, boolean deferDurability, boolean inline) {
        if (!engine.gate().enter()) {
            // Refused before anything ran, so a driver may retry it (against this server once it is back).
            return CommandReply.now(engine.clusterTime().stamp(RetryableErrors.label(command, error(new ArgonException(
                    MongoErrorCode.SHUTDOWN_IN_PROGRESS, "The server is in quiesce mode and will shut down")))));
        }
        // The read gate: GC waits for commands (and the cursors they leave open) that began before its marks.
        try (dev.argon.wal.ReadGate.Ticket ticket = engine.store().versions().readGate().enter()) {
            engine.localSessions().touchCommand(command);
            FiredCommand fired = failCommand(command, client);
            boolean changeStream = ChangeStreamErrors.concerns(command, engine.cursors());
            CommandReply reply = dispatch(command, client, fired, deferDurability, inline);
            if (changeStream && (fired == null || fired.error() == null)) {
                ChangeStreamErrors.label(reply.document(),
                        dev.argon.engine.command.admin.HelloHandler.topologyVersion(engine.processId()));
            }
            RetryableErrors.label(command, reply.document());
            TransactionErrors.label(command, reply.document());
            if (fired != null) {
                fired.finish(reply.document(), dev.argon.engine.command.admin.HelloHandler.topologyVersion(engine.processId()));
            }
            // Every reply, errors included, as a replica-set member answers: drivers gossip $clusterTime back and
            // causally consistent sessions send operationTime as their next read's afterClusterTime.
            engine.clusterTime().stamp(reply.document());
            return reply;
        } finally {
            engine.gate().exit();
        }
    }

    /** See {@link QuickCommands}; nothing qualifies while a {@code failCommand} fail point (which may block) is armed. */
    @Override
    public boolean quick(BsonDocument command, ClientContext client) {
        if (command.isEmpty() || engine.failPoints().failCommandArmed()) {
            return false;
        }
        CommandTable.Entry entry = table.lookup(command.getFirstKey());
        return entry != null && QuickCommands.qualifies(entry.name(), command, client);
    }

    /** The test fail point {@code failCommand}, evaluated under the name sent and the command's own name. */
    private FiredCommand failCommand(BsonDocument command, ClientContext client) {
        if (command.isEmpty() || !engine.failPoints().failCommandArmed()) {
            return null;
        }
        String name = command.getFirstKey();
        CommandTable.Entry entry = table.lookup(name);
        return engine.failPoints().failCommand(entry == null || entry.name().equals(name) ? Set.of(name)
                : Set.of(name, entry.name()), client);
    }

    private CommandReply dispatch(BsonDocument command, ClientContext client, FiredCommand fired, boolean deferDurability,
                                  boolean inline) {
        CommandContext[] made = new CommandContext[1];
        CommandReply reply;
        try {
            reply = dispatch(command, client, fired, deferDurability, inline, made);
        } catch (dev.argon.engine.store.WouldBlock e) {
            // Runs again the ordinary way, and is counted then.
            uncount(table.lookup(command.getFirstKey()).name());
            throw e;
        }
        // Errors too: a command that failed after a journaled commit answers only once that commit is durable.
        long lsn = made[0] == null ? -1 : made[0].durableLsn();
        reply = lsn > 0 ? reply.durableAt(lsn) : reply;
        AfterCommit after = made[0] == null ? null : made[0].afterCommit();
        return after != null ? reply.after(after) : reply;
    }

    private CommandReply dispatch(BsonDocument command, ClientContext client, FiredCommand fired, boolean deferDurability,
                                  boolean inline, CommandContext[] made) {
        if (command.isEmpty()) {
            return CommandReply.now(error(new ArgonException(MongoErrorCode.FAILED_TO_PARSE, "Empty command")));
        }
        String name = command.getFirstKey();
        CommandTable.Entry entry = table.lookup(name);
        if (entry == null) {
            engine.stats().opCommand.incrementAndGet();
            return CommandReply.now(error(new ArgonException(MongoErrorCode.COMMAND_NOT_FOUND, "no such command: '" + name + "'")));
        }
        count(entry.name());
        ReadOnlyGate readOnly = engine.readOnly();
        if (readOnly != null && readOnly.refuses(entry, command)) {
            return CommandReply.now(error(readOnly.refusal(entry.name(),
                    dev.argon.engine.command.admin.HelloHandler.topologyVersion(engine.processId()))));
        }
        try {
            CommandContext ctx = new CommandContext(engine, client, command, name);
            made[0] = ctx;
            if (deferDurability) {
                ctx.deferDurability();
            }
            if (inline) {
                ctx.inline();
            }
            if (fired != null && fired.error() != null) {
                // As on mongod, before the session is checked out: a transaction stays as it was (not aborted, not
                // started), a retryable write records nothing.
                throw fired.error();
            }
            dev.argon.engine.session.ReadConcern rc = dev.argon.engine.session.ReadConcern.of(command);
            rc.await(engine.clusterTime());
            if (!command.containsKey("autocommit")) {
                // Inside a transaction the transaction's snapshot rules apply (TransactionStatement).
                ctx.snapshot(dev.argon.engine.session.SnapshotRead.of(rc, entry.name(), engine.clusterTime()));
            }
            BsonDocument reply;
            CommandHandler handler = failing(entry, client);
            TxnId txn = command.containsKey("autocommit") ? null : TxnId.of(command, entry.name());
            if (command.containsKey("autocommit")) {
                reply = TransactionStatement.run(ctx, handler, entry.name());
            } else if (txn == null) {
                reply = handler.handle(ctx);
            } else {
                try (RetryableWrite rw = engine.sessions().checkOut(txn, command, client, engine.failPoints(), !inline)) {
                    ctx.retryableWrite(rw);
                    reply = handler.handle(ctx);
                }
            }
            if (!reply.containsKey("ok")) {
                reply.append("ok", new BsonDouble(1));
            }
            if (ctx.snapshot() != null) {
                ctx.snapshot().stamp(reply);
            }
            return new CommandReply(reply, ctx.awaitMillis(), ctx.next());
        } catch (ArgonException e) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} failed: {} ({})", name, e.getMessage(), e.codeName());
            }
            return CommandReply.now(error(e));
        } catch (BranchException e) {
            return CommandReply.now(error(branchError(e)));
        } catch (WalException e) {
            return CommandReply.now(error(storageError(name, e)));
        } catch (dev.argon.engine.store.WouldBlock e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            LOG.error("unexpected failure in {}", name, e);
            return CommandReply.now(error(new ArgonException(MongoErrorCode.INTERNAL_ERROR, name + " failed: " + e)));
        }
    }

    /**
     * The handler to run: the command's own, or for getMore one that first evaluates
     * {@code failGetMoreAfterCursorCheckout} where the cursor is used (inside a transaction, its error is the
     * statement's and aborts the transaction, as on mongod).
     */
    private CommandHandler failing(CommandTable.Entry entry, ClientContext client) {
        CommandHandler handler = entry.handler();
        if (entry.name().equals("getMore")) {
            return ctx -> {
                engine.failPoints().onGetMore(client);
                return handler.handle(ctx);
            };
        }
        return handler;
    }

    /**
     * A storage failure as the client sees it. A full disk is MongoDB's own 14031 OutOfDiskSpace. A store that
     * refuses writes until restart answers 1 InternalError: neither code is in any driver's retryable list nor
     * carries a RetryableWriteError label, so the application sees the failure at once instead of a driver
     * retrying against a store that will refuse every write.
     */
    private static ArgonException storageError(String name, WalException e) {
        switch (e.kind()) {
            case DISK_FULL -> {
                // WalHealth logs the transition once; one line per refused write would flood the log.
                LOG.debug("{} refused: {}", name, e.getMessage());
                return new ArgonException(MongoErrorCode.OUT_OF_DISK_SPACE, e.getMessage());
            }
            case UNHEALTHY -> {
                LOG.debug("{} refused: {}", name, e.getMessage());
                return new ArgonException(MongoErrorCode.INTERNAL_ERROR, e.getMessage());
            }
            default -> {
                LOG.error("storage failure in {}", name, e);
                return new ArgonException(MongoErrorCode.INTERNAL_ERROR, "storage failure: " + e.getMessage());
            }
        }
    }

    private void uncount(String name) {
        switch (name) {
            case "insert" -> engine.stats().opInsert.decrementAndGet();
            case "update" -> engine.stats().opUpdate.decrementAndGet();
            case "delete" -> engine.stats().opDelete.decrementAndGet();
            default -> engine.stats().opCommand.decrementAndGet();
        }
    }

    private void count(String name) {
        switch (name) {
            case "insert" -> engine.stats().opInsert.incrementAndGet();
            case "find" -> engine.stats().opQuery.incrementAndGet();
            case "update" -> engine.stats().opUpdate.incrementAndGet();
            case "delete" -> engine.stats().opDelete.incrementAndGet();
            case "getMore" -> engine.stats().opGetMore.incrementAndGet();
            default -> engine.stats().opCommand.incrementAndGet();
        }
    }

    public static BsonDocument error(ArgonException e) {
        BsonDocument d = new BsonDocument("ok", new BsonDouble(0))
                .append("errmsg", new BsonString(e.getMessage() == null ? e.codeName() : e.getMessage()))
                .append("code", new BsonInt32(e.code()))
                .append("codeName", new BsonString(e.codeName()));
        if (e.extra() != null) {
            for (Map.Entry<String, BsonValue> x : e.extra().entrySet()) {
                d.append(x.getKey(), x.getValue());
            }
        }
        return d;
    }
}
