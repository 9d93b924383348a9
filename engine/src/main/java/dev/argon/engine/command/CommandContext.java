package dev.argon.engine.command;

import dev.argon.engine.ArgonException;
import dev.argon.engine.Engine;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.cursor.CursorManager;
import dev.argon.engine.session.RetryableWrite;
import dev.argon.engine.store.DataView;
import dev.argon.engine.store.Store;
import dev.argon.engine.store.WriteSession;
import dev.argon.wal.CommitResult;
import dev.argon.wal.KeyWrite;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Everything one command invocation needs: the engine, the client, the command document and what its
 * {@code $db} selects. Typed accessors turn missing or mistyped fields into MongoDB's errors. Not
 * thread-safe; one per invocation.
 */
public final class CommandContext {
    private final Engine engine;
    private final ClientContext client;
    private final BsonDocument command;
    private final String name;
    private Target target;
    private long awaitMillis;
    private BsonDocument next;
    private RetryableWrite retryableWrite = RetryableWrite.none();
    private dev.argon.engine.session.Transaction transaction;
    private dev.argon.engine.session.TxnSession txnSession;
    private dev.argon.engine.session.SnapshotRead snapshot;
    /** Whether this command's journaled writes hand their fsync wait to the reply (see {@link #deferDurability}). */
    private boolean deferDurability;
    /** Whether this command runs on a thread that must not wait (see {@link #inline()}). */
    private boolean inline;
    /** The LSN this command's reply must wait for, once deferred; -1 for none. */
    private long durableLsn = -1;
    /** The command's commit still being written by the WAL (see {@link #commitDetached}), or null. */
    private AfterCommit afterCommit;

    public CommandContext(Engine engine, ClientContext client, BsonDocument command, String name) {
        this.engine = engine;
        this.client = client;
        this.command = command;
        this.name = name;
    }

    public Engine engine() {
        return engine;
    }

    public ClientContext client() {
        return client;
    }

    public BsonDocument command() {
        return command;
    }

    /** The id of the command's logical session ({@code lsid.id}), or null outside a session; cursors belong to it. */
    public BsonValue sessionId() {
        return CursorManager.sessionId(command);
    }

    /** The command name as the client spelled it. */
    public String name() {
        return name;
    }

    /**
     * Marks the reply as awaitable: the wire layer may hold it back for up to {@code millis} and, when the client
     * allows exhaust, stream the reply to {@code next} after it (see {@link CommandReply}).
     */
    public void awaitable(long millis, BsonDocument next) {
        this.awaitMillis = millis;
        this.next = next;
    }

    /** How long the reply may be held back (0: send at once); see {@link #awaitable}. */
    public long awaitMillis() {
        return awaitMillis;
    }

    /** The command whose reply may follow this one in an exhaust stream, or null. */
    public BsonDocument next() {
        return next;
    }

    /**
     * The command's retryable-write state: which statements an earlier attempt already applied. A no-op
     * instance for commands without {@code txnNumber}.
     */
    public RetryableWrite retryableWrite() {
        return retryableWrite;
    }

    void retryableWrite(RetryableWrite rw) {
        this.retryableWrite = rw;
    }

    /** Runs this command as a statement of a transaction: reads and writes go to the transaction's session. */
    public void inTransaction(dev.argon.engine.session.Transaction t, dev.argon.engine.session.TxnSession session) {
        this.transaction = t;
        this.txnSession = session;
    }

    /** The transaction this command runs in, or null. */
    public dev.argon.engine.session.Transaction transaction() {
        return transaction;
    }

    /** The checked-out session of the transaction this command runs in, or null. */
    public dev.argon.engine.session.TxnSession txnSession() {
        return txnSession;
    }

    /**
     * Commits a write command's session, carrying its retryable-write record in the same commit (or, when the
     * command changed no data, writing the record alone); returns null when nothing changed.
     */
    public CommitResult commit(WriteSession s) {
        List<KeyWrite> meta = retryableWrite.metaWrites();
        boolean journaled = journaled();
        // Only a journaled write detaches: its reply waits for the fsync thread anyway. An unjournaled one on the
        // event loop leads its own group: handing it to the writer thread and its reply back cost an event loop
        // more in wake-ups (two context switches per update in workload A) than the shared RocksDB write saved.
        if (inline && deferDurability && journaled && transaction == null && afterCommit == null
                && commitDetached(s, meta, journaled)) {
            // The reply waits for the commit (afterCommit); the handler's reply does not depend on its LSN.
            return null;
        }
        // The branch lock is released once the commit is queued: the next writer evaluates while it is written.
        CommitResult r = s.commitReleasing(actor(), comment(), journaled, meta);
        retryableWrite.committed(r != null, journaled);
        return r;
    }

    /**
     * On the event loop: queues the commit and returns without waiting for it (see
     * {@link WriteSession#commitDetached}); the WAL's writer thread writes it with the others queued meanwhile. The
     * retryable-write session stays checked out until then, so no retry of this command can run, or answer from
     * the record, before the commit is written. Change-stream watchers are woken once it is. False when the commit
     * cannot be detached (nothing written then).
     */
    private boolean commitDetached(WriteSession s, List<KeyWrite> meta, boolean journaled) {
        RetryableWrite rw = retryableWrite;
        CommandGate gate = engine.gate();
        // Shutdown waits for this reply as for a command still running (released by AfterCommit.sent).
        if (!gate.enter()) {
            return false;
        }
        AfterCommit after = new AfterCommit(journaled, gate::exit);
        dev.argon.engine.store.CommitSignal signal = engine.store().commitSignal();
        // Before the commit is queued: its callback may run on the writer thread before commitDetached returns.
        rw.handOver();
        boolean queued = false;
        try {
            queued = s.commitDetached(actor(), comment(), meta, (r, failure) -> {
                try {
                    rw.finishHandOver(failure == null && r != null, journaled);
                } finally {
                    if (failure == null) {
                        signal.fire();
                    }
                    after.finished(r, failure);
                }
            });
        } finally {
            if (!queued) {
                rw.cancelHandOver();
                gate.exit();
            }
        }
        if (queued) {
            afterCommit = after;
        }
        return queued;
    }

    /** The command's detached commit, or null (see {@link #commitDetached}). */
    AfterCommit afterCommit() {
        return afterCommit;
    }

    /** The raw {@code $db} field. */
    public String dbField() {
        BsonValue db = command.get("$db");
        if (db == null || !db.isString()) {
            throw new ArgonException(MongoErrorCode.BAD_VALUE, "the command is missing its $db field");
        }
        return db.asString().getValue();
    }

    public Target target() {
        if (target == null) {
            target = TargetResolver.resolve(engine.store().versions(), dbField(), client);
        }
        return target;
    }

    /** The database name without branch decoration. */
    public String db() {
        return target().db();
    }

    /** Reads this command at a snapshot ({@code readConcern: {level: "snapshot"}} outside a transaction). */
    void snapshot(dev.argon.engine.session.SnapshotRead s) {
        this.snapshot = s;
    }

    /** The snapshot this command reads at, or null. */
    public dev.argon.engine.session.SnapshotRead snapshot() {
        return snapshot;
    }

    /** What reads of this command see: the branch head, the time-travel point, or the snapshot's LSN. */
    public DataView readView() {
        if (transaction != null) {
            return transaction.readView();
        }
        Target t = target();
        Store store = engine.store();
        if (snapshot != null) {
            if (t.readOnly()) {
                // A time-travel view already names its point; a second one would leave it unclear which is read.
                throw new ArgonException(MongoErrorCode.INVALID_OPTIONS, "readConcern level 'snapshot' cannot read the "
                        + "time-travel view '" + dbField() + "': it is already a fixed point of branch '" + t.branchName()
                        + "'; read it without a read concern, or read the branch with readConcern atClusterTime");
            }
            return store.at(t.branchId(), snapshot.lsn());
        }
        return t.readOnly() ? store.at(t.branchId(), t.atLsn()) : store.head(t.branchId());
    }

    /**
     * Lets this command's journaled writes return before their fsync: instead of blocking, the write records the
     * LSN its reply must wait for ({@link #durableLsn()}), and the caller holds the reply until then
     * ({@link dev.argon.engine.store.Store#whenDurable}). Only for a caller that delivers replies that way.
     */
    void deferDurability() {
        this.deferDurability = true;
    }

    /**
     * Runs this command on a thread that must not wait (the wire layer's event loop): its write gives up with
     * {@link dev.argon.engine.store.WouldBlock} instead of waiting for a branch lock held by a longer write.
     */
    void inline() {
        this.inline = true;
    }

    /** The LSN this command's reply must wait for before it goes out, or -1 (see {@link #deferDurability()}). */
    long durableLsn() {
        return durableLsn;
    }

    /** Starts a write on the target branch; refuses time-travel views. */
    public Store.Write beginWrite() {
        Target t = target();
        if (t.readOnly()) {
            // 166 as for a write to a view: a time-travel read is a view of history. (Code 20 would make the
            // Node.js driver report "this deployment does not support retryable writes" instead.)
            throw new ArgonException(MongoErrorCode.COMMAND_NOT_SUPPORTED_ON_VIEW, "cannot write to '" + dbField()
                    + "': it is a read-only view of branch '" + t.branchName() + "' at lsn " + t.atLsn()
                    + "; write to the branch head instead");
        }
        if (transaction != null) {
            // The transaction's own session, over its snapshot; closing it releases nothing.
            checkProtection(t);
            return transaction.work();
        }
        // Over the branch's queued commits: these commands read and write only through their session.
        Store.Write w = engine.store().beginWrite(t.branchId(), true, inline);
        if (deferDurability) {
            w = w.deferringDurability(lsn -> durableLsn = Math.max(durableLsn, lsn));
        }
        w.session().attribute(actor(), comment());
        w.session().origin(origin(command));
        // Checked under the branch's write lock, which protectBranch also takes: a write that began before
        // the branch was protected has committed by the time protectBranch returns, and any later one is refused.
        try {
            checkProtection(t);
        } catch (ArgonException e) {
            w.close();
            throw e;
        }
        return w;
    }

    /**
     * {@code {lsid, txnNumber}} of a retryable write or a transaction's statement, for its commit record (change
     * streams report them, as mongod's do from its oplog entries); null for a command outside either.
     */
    public static BsonDocument origin(BsonDocument command) {
        BsonValue lsid = command.get("lsid");
        BsonValue txn = command.get("txnNumber");
        if (lsid == null || !lsid.isDocument() || txn == null || !txn.isNumber()) {
            return null;
        }
        return new BsonDocument("lsid", lsid.asDocument().clone()).append("txnNumber", new org.bson.BsonInt64(txn.asNumber().longValue()));
    }

    private void checkProtection(Target t) {
        dev.argon.wal.Branch b = engine.store().versions().branch(t.branchId());
        if (b != null && b.protectedBranch()) {
            throw new ArgonException(MongoErrorCode.UNAUTHORIZED, "branch '" + t.branchName()
                    + "' is protected: it changes only through mergeBranch, resetBranch and revert"
                    + " (unprotect it with {protectBranch: \"" + t.branchName() + "\", protect: false})");
        }
    }

    /** The actor recorded with commits: the authenticated user, else the client's appName. */
    public String actor() {
        return client == null ? null : client.appName();
    }

    /** The command's {@code comment} as text, or null. */
    public String comment() {
        BsonValue c = command.get("comment");
        if (c == null) {
            return null;
        }
        return c.isString() ? c.asString().getValue() : c.isDocument() ? c.asDocument().toJson() : String.valueOf(c);
    }

    /** True when the write concern asks for a journaled write ({@code j: true} or {@code w: "majority"}). */
    public boolean journaled() {
        BsonValue wc = command.get("writeConcern");
        if (wc == null || !wc.isDocument()) {
            return false;
        }
        BsonDocument d = wc.asDocument();
        BsonValue j = d.get("j");
        if (j != null && j.isBoolean()) {
            return j.asBoolean().getValue();
        }
        BsonValue w = d.get("w");
        return w != null && w.isString() && w.asString().getValue().equals("majority");
    }

    /** The collection name in the command's first field. */
    public String collectionName() {
        BsonValue v = command.get(name);
        if (v == null || !v.isString()) {
            throw new ArgonException(MongoErrorCode.INVALID_NAMESPACE,
                    "collection name has invalid type " + (v == null ? "missing" : typeName(v)));
        }
        String s = v.asString().getValue();
        if (s.isEmpty()) {
            throw new ArgonException(MongoErrorCode.INVALID_NAMESPACE, "Invalid namespace specified '" + db() + ".'");
        }
        dev.argon.engine.store.Namespaces.validateLookup(s);
        return s;
    }

    public BsonDocument document(String field) {
        BsonValue v = command.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isDocument()) {
            throw ArgonException.typeMismatch("BSON field '" + name + "." + field + "' is the wrong type '"
                    + typeName(v) + "', expected type 'object'");
        }
        return v.asDocument();
    }

    /**
     * This command's memory budget for blocking stages: its {@code allowDiskUse} (bool, or absent for the server's
     * {@code allowDiskUseByDefault}) and the server's limits. The caller closes it when the result is done.
     */
    public dev.argon.engine.spill.Spill spill() {
        BsonValue v = command.get("allowDiskUse");
        Boolean allow = v == null || v.isNull() ? null : bool("allowDiskUse", true);
        return engine.spill().begin(allow);
    }

    public boolean bool(String field, boolean dflt) {
        BsonValue v = command.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (v.isBoolean()) {
            return v.asBoolean().getValue();
        }
        if (v.isNumber()) {
            return v.asNumber().doubleValue() != 0;
        }
        throw ArgonException.typeMismatch("BSON field '" + name + "." + field + "' is the wrong type '" + typeName(v)
                + "', expected types '[bool, long, int, decimal, double]'");
    }

    /** A non-negative integer field, or dflt when absent. */
    public long number(String field, long dflt) {
        BsonValue v = command.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isNumber()) {
            throw ArgonException.typeMismatch("BSON field '" + name + "." + field + "' is the wrong type '" + typeName(v)
                    + "', expected types '[long, int, decimal, double]'");
        }
        return v.isDouble() ? (long) v.asDouble().getValue() : v.asNumber().longValue();
    }

    public static String typeName(BsonValue v) {
        switch (v.getBsonType()) {
            case DOCUMENT: return "object";
            case ARRAY: return "array";
            case STRING: return "string";
            case INT32: return "int";
            case INT64: return "long";
            case DOUBLE: return "double";
            case DECIMAL128: return "decimal";
            case BOOLEAN: return "bool";
            case NULL: return "null";
            case OBJECT_ID: return "objectId";
            case DATE_TIME: return "date";
            default: return v.getBsonType().name().toLowerCase();
        }
    }
}
