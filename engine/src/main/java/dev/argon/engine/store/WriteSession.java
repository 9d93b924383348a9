package dev.argon.engine.store;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.bson.KeyEncoder;
import dev.argon.engine.query.Matcher;
import dev.argon.wal.Bson;
import dev.argon.wal.CommitRequest;
import dev.argon.wal.CommitResult;
import dev.argon.wal.KeyWrite;
import dev.argon.wal.LogEntry;
import dev.argon.wal.StagedCommit;
import dev.argon.wal.VersionStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.NavigableMap;
import java.util.Map;
import java.util.Set;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * One write command on one branch: reads see the branch head plus this command's own pending changes, and
 * {@link #commit} writes all of them as one atomic commit. The caller holds the branch's write lock from
 * creation to close, which is what makes "evaluate against the head, then commit" race-free.
 *
 * <p>Memory does not grow with the size of the change: once the pending entries pass a threshold
 * ({@link #CHUNK_ENTRIES}, {@link #CHUNK_WRITES}, {@link #CHUNK_BYTES}) they are written as a chunk of a
 * {@link StagedCommit}, invisible to every other reader, and the session's own reads continue over the
 * branch as the staged commit sees it plus the changes since. {@link #commit} then publishes the whole change
 * at once; a session closed without committing aborts it ({@link #abortUnpublished}). Statements that scan and
 * write the same collection ({@code updateMany}, {@code deleteMany}, an index build) read from
 * {@link #frozen()}, a fixed state, so that their own writes never feed back into the scan.
 * Not thread-safe.
 */
public final class WriteSession extends DataView {
    private static final byte[] INDEX_PAYLOAD = new byte[0];
    /**
     * Pending entries that make a chunk. 5,000 small documents' entries, with their decoded images and overlay
     * keys, take a few MB of heap; far more would press a 256 MB heap, far fewer would make chunks a
     * noticeable share of the work. System properties so that tests can force chunking on small data.
     */
    static final int CHUNK_ENTRIES = Integer.getInteger("argon.write.chunkEntries", 5_000);
    /** Pending key writes that make a chunk (an index build writes many keys per entry). */
    static final int CHUNK_WRITES = Integer.getInteger("argon.write.chunkWrites", 20_000);
    /** Estimated pending bytes that make a chunk: the group commit's own bound for one write. */
    static final long CHUNK_BYTES = Long.getLong("argon.write.chunkBytes", 4L << 20);
    /** Most index keys in one index-build log entry, so that a build is cut into chunks too. */
    static final int BUILD_ENTRY_WRITES = 1_000;

    private final VersionStore wal;
    private final int branchId;
    private final OverlayKeyReader overlay;
    private final List<LogEntry> entries = new ArrayList<>();
    private int pendingWrites;
    private long pendingBytes;
    /** The streamed commit once the first chunk is staged; null while everything fits in one commit. */
    private StagedCommit staged;
    private BsonDocument origin;
    private String actor;
    private String comment;
    private final Map<String, Matcher> partialFilters = new HashMap<>();

    /** The branch's write lock, held by the caller from creation to close (for a transaction: during its commit). */
    private final java.util.concurrent.locks.ReentrantLock branchLock;
    /**
     * A transaction's session: it reads a fixed snapshot, collects every statement's changes and writes nothing
     * until {@link #commitTransaction}; {@link #commit} is a no-op and nothing is ever staged in chunks.
     */
    private final boolean deferred;
    /** A transaction's read set beyond the keys it writes: the catalog entries of collections it wrote to. */
    private final java.util.Set<ByteBuffer> readKeys = new java.util.HashSet<>();
    /** A transaction's unique-index keys it added: another writer taking one meanwhile is a conflict. */
    private final List<UniqueKey> uniqueKeys = new ArrayList<>();
    /** Most bytes a transaction may hold pending: beyond, 334 TransactionTooLarge rather than an unbounded heap. */
    static final long TXN_MAX_BYTES = Long.getLong("argon.txn.maxBytes", 64L << 20);

    private record UniqueKey(CollectionInfo c, IndexInfo index, byte[] key) {}

    /** True once this session wrote a catalog entry: from then on the head's catalog cache does not speak for it. */
    private boolean catalogChanged;

    /** The branch's queued commits (null: a transaction's session). */
    private CommitPipeline pipeline;
    /**
     * The newest commit of the branch that was queued but not written when this session began, which its base
     * reads (null: none): this session's commit is built on it, and fails if it fails.
     */
    private dev.argon.wal.PendingCommit after;
    /** True once {@link #commitReleasing} or {@link #commitDetached} has released the branch lock. */
    private boolean lockReleased;
    /** True once {@link #commitDetached} queued the commit. */
    private boolean detached;

    /** Where a transaction claims the keys it writes (null outside transactions). */
    private KeyClaims claims;
    /** The claims this transaction holds; a concurrent set, since an abort may release them from another thread. */
    private final java.util.Set<ByteBuffer> claimed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    void claims(KeyClaims c) {
        this.claims = c;
    }

    /** Releases the keys a transaction claimed (its commit or abort). Safe from any thread. */
    public void releaseClaims() {
        if (claims != null) {
            claims.release(this, claimed);
        }
    }

    WriteSession(VersionStore wal, int branchId, KeyReader base, java.util.concurrent.locks.ReentrantLock branchLock) {
        this(wal, branchId, new OverlayKeyReader(base), branchLock, null, false);
    }

    /**
     * A session over the branch head that {@code headCatalog} caches: collection lookups are answered from that
     * cache until the session changes the catalog or stages a chunk (a write reads its collection's entry on
     * every command; decoding it each time was a visible share of a single-document write).
     */
    WriteSession(VersionStore wal, int branchId, KeyReader base, java.util.concurrent.locks.ReentrantLock branchLock,
                 CatalogCache.Scope headCatalog) {
        this(wal, branchId, new OverlayKeyReader(base), branchLock, headCatalog, false);
    }

    /** A session of a transaction when {@code deferred} (see the field); it reads a snapshot, so no head cache. */
    WriteSession(VersionStore wal, int branchId, KeyReader base, java.util.concurrent.locks.ReentrantLock branchLock, boolean deferred) {
        this(wal, branchId, new OverlayKeyReader(base), branchLock, null, deferred);
    }

    private WriteSession(VersionStore wal, int branchId, OverlayKeyReader overlay, java.util.concurrent.locks.ReentrantLock branchLock,
                         CatalogCache.Scope headCatalog, boolean deferred) {
        super(overlay, headCatalog);
        this.wal = wal;
        this.branchId = branchId;
        this.overlay = overlay;
        this.branchLock = branchLock;
        this.deferred = deferred;
    }

    /** Binds the session to its branch's queued commits; {@code after} as the field says. */
    void queuedAfter(CommitPipeline p, dev.argon.wal.PendingCommit after) {
        this.pipeline = p;
        this.after = after;
    }

    /** True once the commit released the branch's write lock (see {@link #commitReleasing}). */
    boolean lockReleased() {
        return lockReleased;
    }

    /**
     * Waits until the queued commit this session was built on is written; a failed one fails this session (what
     * it read never happened). Before a streamed write's first chunk, whose view is the published head.
     */
    private void settleQueued() {
        if (after == null) {
            return;
        }
        RuntimeException f = after.awaitOutcome();
        after = null;
        if (f != null) {
            throw new ArgonException(MongoErrorCode.WRITE_CONFLICT, "an earlier write of this branch that this write "
                    + "was evaluated after failed (" + f.getMessage() + "); nothing was written; run it again");
        }
    }

    /** The branch id this session writes to. */
    public int branchId() {
        return branchId;
    }

    /**
     * Who and why, recorded in every log entry and the commit record. Set before the first write: a chunk may be
     * written before {@link #commit} is called.
     */
    public void attribute(String actor, String comment) {
        this.actor = actor;
        this.comment = comment;
    }

    /**
     * The session of a retryable write or transaction, {@code {lsid, txnNumber}}, recorded in the commit record so
     * that change streams report it (null: none).
     */
    public void origin(BsonDocument sessionFields) {
        this.origin = sessionFields;
    }

    public boolean isEmpty() {
        return entries.isEmpty() && staged == null;
    }

    /** Chunks this session has staged so far (0 while the change fits in one commit). */
    public int stagedChunks() {
        return staged == null ? 0 : staged.chunks();
    }

    /** Counts an entry just added and stages a chunk when the pending ones pass a threshold. */
    private void added(LogEntry e) {
        entries.add(e);
        for (KeyWrite w : e.writes()) {
            pendingWrites++;
            // Each key and payload is held here and written once to the versions (the log entry only names it).
            pendingBytes += w.userKey().length + (w.payload() == null ? 0 : w.payload().length);
        }
        if (deferred) {
            claim(e);
            // A transaction's changes stay in memory until its commit (a staged chunk would need the branch lock).
            if (pendingBytes > TXN_MAX_BYTES) {
                throw new ArgonException(MongoErrorCode.TRANSACTION_TOO_LARGE, "Total size of the transaction's changes exceeds "
                        + TXN_MAX_BYTES + " bytes; split it into smaller transactions");
            }
            return;
        }
        if (entries.size() >= CHUNK_ENTRIES || pendingWrites >= CHUNK_WRITES || pendingBytes >= CHUNK_BYTES) {
            flush();
        }
    }

    /**
     * Stages the pending entries as a chunk (nothing to do when there are none). The session's reads then go
     * through the staged commit's view; other readers still see the published head.
     */
    private void flush() {
        if (entries.isEmpty()) {
            return;
        }
        if (staged == null) {
            settleQueued();
            staged = wal.stage(branchId, actor, comment);
        }
        staged.stage(List.copyOf(entries));
        entries.clear();
        pendingWrites = 0;
        pendingBytes = 0;
        overlay.rebase(new WalKeyReader(wal, staged.view()));
    }

    /**
     * A fixed state of this session, for a statement that scans a collection while writing to it: everything
     * written so far (pending changes are staged first), nothing written later. Without it a scan through the
     * session could meet the documents it has just updated again (the Halloween problem).
     */
    public DataView frozen() {
        if (deferred) {
            return new DataView(overlay.copy()).countingAccesses(accessScope());
        }
        flush();
        return new DataView(overlay.base()).countingAccesses(accessScope());
    }

    /**
     * Discards a staged but unpublished change (a command that failed with an exception after its first chunk):
     * the staged chunks must never become visible. Called when the session closes; a no-op after commit.
     */
    void abortUnpublished() {
        if (staged != null && !staged.finished()) {
            staged.abort();
        }
    }

    private long durableLsn = -1;
    private boolean validate = true;
    private final Map<Long, Matcher> validators = new HashMap<>();

    /** Skips collection validators for this write ({@code bypassDocumentValidation}, merges, reverts). */
    public void bypassValidation() {
        validate = false;
    }

    /**
     * Applies the collection's validator ({@code validationLevel} strict by default, {@code moderate} lets an
     * update through when the old document already failed; {@code validationAction: "warn"} never refuses).
     */
    private void checkValidator(CollectionInfo c, BsonDocument oldDoc, BsonDocument newDoc) {
        BsonDocument o = c.options();
        if (!validate || !o.isDocument("validator") || o.getDocument("validator").isEmpty()) {
            return;
        }
        String level = o.isString("validationLevel") ? o.getString("validationLevel").getValue() : "strict";
        String action = o.isString("validationAction") ? o.getString("validationAction").getValue() : "error";
        if (level.equals("off") || action.equals("warn")) {
            return;
        }
        Matcher m = validators.computeIfAbsent(c.collectionId(), k -> Matcher.compile(o.getDocument("validator")));
        if (level.equals("moderate") && oldDoc != null && !m.matches(oldDoc)) {
            return;
        }
        if (!m.matches(newDoc)) {
            throw new ArgonException(MongoErrorCode.DOCUMENT_VALIDATION_FAILURE, "Document failed validation",
                    new BsonDocument("errInfo", new BsonDocument("failingDocumentId", newDoc.get("_id"))
                            .append("details", new BsonDocument("operatorName", new BsonString("$and"))
                                    .append("specifiedAs", o.getDocument("validator")))));
        }
    }

    /**
     * Writes everything as one commit; returns null if there was nothing to write. A journaled commit does not
     * wait for its fsync here, under the branch lock: {@link Store.Write#close()} waits after releasing it,
     * so that concurrent writers of one branch share fsyncs.
     */
    public CommitResult commit(String actor, String comment, boolean sync) {
        return commit(actor, comment, sync, List.of());
    }

    /** As {@link #commit(String, String, boolean)}, with metadata written in the same batch (retryable-write records). */
    public CommitResult commit(String actor, String comment, boolean sync, List<KeyWrite> metaWrites) {
        if (deferred || isEmpty()) {
            // A transaction's statement: its changes wait for commitTransaction.
            return null;
        }
        // The WAL's group commit writes concurrent commits together in queue order; that each branch's head is
        // a clean sequence of commits, each evaluated against the one before, rests on this lock: a branch's
        // commits are queued one at a time, in evaluation order (queued but unwritten ones: CommitPipeline).
        assert branchLock.isHeldByCurrentThread() : "a commit on branch id " + branchId + " without its write lock";
        CommitResult r;
        if (staged != null) {
            // The chunks already carry the attribution given up front; the commit record takes the staged one too.
            r = staged.publish(List.copyOf(entries), metaWrites, false, origin);
        } else {
            r = wal.enqueue(new CommitRequest(branchId, actor, comment, false, List.copyOf(entries), metaWrites, origin), after).await();
        }
        if (sync) {
            durableLsn = r.endLsn();
        }
        return r;
    }

    /**
     * As {@link #commit(String, String, boolean, List)}, but releases the branch's write lock as soon as the
     * commit is queued, before it is written: the next writer of the branch evaluates over this commit (see
     * {@link CommitPipeline}) while the WAL writes it, so that one branch's commits form groups and share writes.
     * Returns once the commit is written (and its head moved), or throws what made it fail. For a command that
     * does nothing under the lock after its commit; {@link Store.Write#close()} then releases nothing. A streamed
     * commit, a transaction's statement and an empty session behave as with {@code commit}.
     */
    public CommitResult commitReleasing(String actor, String comment, boolean sync, List<KeyWrite> metaWrites) {
        if (deferred || isEmpty() || staged != null || pipeline == null) {
            return commit(actor, comment, sync, metaWrites);
        }
        assert branchLock.isHeldByCurrentThread() : "a commit on branch id " + branchId + " without its write lock";
        List<LogEntry> mine = List.copyOf(entries);
        dev.argon.wal.PendingCommit pending = wal.enqueue(new CommitRequest(branchId, actor, comment, false, mine, metaWrites, origin), after);
        CommitPipeline.Layer layer = null;
        CommitResult r;
        try {
            // Queued: whatever follows, this thread must await it (it may have to lead its group).
            layer = pipeline.add(pending, OverlayKeyReader.changesOf(mine), catalogChanged);
        } finally {
            lockReleased = true;
            branchLock.unlock();
            try {
                r = pending.await();
            } finally {
                if (layer != null) {
                    pipeline.remove(layer);
                }
            }
        }
        if (sync) {
            durableLsn = r.endLsn();
        }
        return r;
    }

    /**
     * As {@link #commitReleasing}, but without waiting for the write: queues the commit, releases the branch's
     * write lock and returns true at once; the WAL's writer thread writes it with whatever else is queued, and
     * {@code done} gets its LSN range (or null and the reason it failed) once it is written and the head has moved,
     * on the thread that wrote it. For a caller that must not wait (the event loop), which then delivers its reply
     * from {@code done}. Returns false, having done nothing, when the commit cannot be detached (nothing to write,
     * a streamed commit, a transaction's statement, no queue): the caller commits the ordinary way.
     */
    public boolean commitDetached(String actor, String comment, List<KeyWrite> metaWrites,
                                  java.util.function.BiConsumer<CommitResult, RuntimeException> done) {
        if (deferred || staged != null || pipeline == null || isEmpty()) {
            return false;
        }
        assert branchLock.isHeldByCurrentThread() : "a commit on branch id " + branchId + " without its write lock";
        List<LogEntry> mine = List.copyOf(entries);
        // Everything that can fail comes before the commit is queued: once it is, this returns true.
        NavigableMap<byte[], byte[]> changes = OverlayKeyReader.changesOf(mine);
        CommitRequest request = new CommitRequest(branchId, actor, comment, false, mine, metaWrites, origin);
        dev.argon.wal.PendingCommit pending = wal.enqueue(request, after);
        CommitPipeline p = pipeline;
        CommitPipeline.Layer layer = p.add(pending, changes, catalogChanged);
        lockReleased = true;
        detached = true;
        branchLock.unlock();
        pending.detach((r, failure) -> {
            p.remove(layer);
            done.accept(r, failure);
        });
        return true;
    }

    /** True once {@link #commitDetached} queued the commit: its outcome reaches the caller's callback, not here. */
    boolean detached() {
        return detached;
    }

    /**
     * A transaction's reads: its snapshot plus its own writes so far, fixed now (later statements do not change
     * what a cursor opened now returns).
     */
    public DataView transactionView() {
        return new DataView(overlay.hasPending() ? overlay.copy() : overlay.base()).countingAccesses(accessScope());
    }

    /**
     * Refuses a transaction's commit (112 WriteConflict) when the branch head has changed, since the snapshot,
     * a document, index entry or catalog entry the transaction wrote, a catalog entry of a collection it wrote
     * to, or the entries of a unique key it added. Called under the branch's write lock, so nothing can change
     * between the check and the commit.
     */
    void checkConflicts(KeyReader head) {
        KeyReader snapshot = overlay.base();
        java.util.Set<ByteBuffer> keys = new java.util.HashSet<>(readKeys);
        for (LogEntry e : entries) {
            for (KeyWrite w : e.writes()) {
                keys.add(ByteBuffer.wrap(w.userKey()));
            }
        }
        for (ByteBuffer k : keys) {
            if (!java.util.Arrays.equals(snapshot.get(k.array()), head.get(k.array()))) {
                throw conflict();
            }
        }
        DataView before = new DataView(snapshot);
        DataView now = new DataView(head);
        for (UniqueKey u : uniqueKeys) {
            List<byte[]> a = before.indexEntries(u.c(), u.index(), u.key());
            List<byte[]> b = now.indexEntries(u.c(), u.index(), u.key());
            if (a.size() != b.size()) {
                throw conflict();
            }
            for (int i = 0; i < a.size(); i++) {
                if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
                    throw conflict();
                }
            }
        }
    }

    /**
     * A transaction's write, checked at once rather than only at commit, as mongod does: the document (or catalog
     * entry) must not be claimed by another open transaction, nor changed on the branch since the snapshot.
     */
    private void claim(LogEntry e) {
        if (claims == null || e.writes().isEmpty()) {
            return;
        }
        // The first key of an entry is the document's (or the catalog entry's); its index entries follow it.
        byte[] key = e.writes().get(0).userKey();
        if (!claims.claim(branchId, key, this, claimed)) {
            throw conflict();
        }
        byte[] head = wal.get(wal.headView(branchId), key);
        if (!java.util.Arrays.equals(overlay.base().get(key), head)) {
            throw conflict();
        }
    }

    private static ArgonException conflict() {
        return new ArgonException(MongoErrorCode.WRITE_CONFLICT, "Write conflict during plan execution and yielding is disabled. "
                + "A concurrent write changed what this transaction wrote since its snapshot; retry the transaction");
    }

    /** Writes a transaction's changes as one commit (null when it changed nothing); caller holds the branch lock. */
    CommitResult commitTransaction(String actor, String comment, boolean sync, List<KeyWrite> metaWrites) {
        assert deferred && branchLock.isHeldByCurrentThread();
        if (entries.isEmpty()) {
            if (!metaWrites.isEmpty()) {
                wal.writeMeta(metaWrites, sync);
            }
            return null;
        }
        CommitResult r = wal.commit(new CommitRequest(branchId, actor, comment, false, List.copyOf(entries), metaWrites, origin));
        if (sync) {
            durableLsn = r.endLsn();
        }
        return r;
    }

    /** The LSN a journaled commit must reach stable storage up to before it is acknowledged, or -1. */
    long durableLsn() {
        return durableLsn;
    }

    // ---- catalog ----

    public CollectionInfo createCollection(String db, String name, BsonDocument options) {
        Namespaces.validateCollection(db, name);
        java.util.UUID u = java.util.UUID.randomUUID();
        CollectionInfo c = new CollectionInfo(db, name, wal.allocateId(), options == null ? new BsonDocument() : options,
                List.of(), new BsonBinary(BsonBinarySubType.UUID_STANDARD, uuidBytes(u)));
        putCatalog(c, "create");
        return c;
    }

    /** The collection, created with default options if missing (inserts and upserts create implicitly). */
    public CollectionInfo collectionForWrite(String db, String name) {
        CollectionInfo c = collection(db, name);
        return c != null ? c : createCollection(db, name, null);
    }

    @Override
    protected boolean catalogCacheUsable() {
        return !catalogChanged && staged == null;
    }

    public void putCatalog(CollectionInfo c, String what) {
        catalogChanged = true;
        byte[] key = Keys.catalog(c.db(), c.name());
        byte[] payload = Bson.bytes(c.toBson());
        overlay.put(key, payload);
        added(LogEntry.versioned(c.ns(), LogEntry.CATALOG, new BsonString(what), false, List.of(KeyWrite.put(key, payload))));
    }

    /** Drops a collection: its catalog entry becomes a tombstone; its documents become unreachable. */
    public void dropCollection(CollectionInfo c) {
        dropCollection(c, "drop");
    }

    /**
     * As {@link #dropCollection(CollectionInfo)}, with the entry's action named: {@code "drop"}, or
     * {@code "dropDatabase"} for the drops of a dropDatabase (change streams report that as one more event).
     */
    public void dropCollection(CollectionInfo c, String what) {
        catalogChanged = true;
        byte[] key = Keys.catalog(c.db(), c.name());
        overlay.delete(key);
        // The pre-image is the catalog entry this session sees, which is what the branch held just before.
        added(LogEntry.versioned(c.ns(), LogEntry.CATALOG, new BsonString(what), true, List.of(KeyWrite.tombstone(key))));
    }

    /**
     * Adds an index and indexes every existing document (enforcing uniqueness on them). The keys go into
     * {@code buildIndex} entries of at most {@link #BUILD_ENTRY_WRITES} keys each, naming the first and last
     * {@code _id} they cover, so that a build over a large collection streams in chunks like any large write.
     */
    public CollectionInfo addIndex(CollectionInfo c, BsonDocument spec) {
        IndexInfo index = IndexInfo.fromBson(new BsonDocument("indexId", new BsonInt32((int) wal.allocateId())).append("spec", spec)
                .append("markers", org.bson.BsonBoolean.TRUE).append("nullKeys", org.bson.BsonBoolean.TRUE));
        List<IndexInfo> all = new ArrayList<>(c.indexes());
        all.add(index);
        CollectionInfo updated = c.withIndexes(all);
        DataView before = frozen();
        putCatalog(updated, "createIndex");
        List<KeyWrite> writes = new ArrayList<>();
        BsonValue first = null;
        BsonValue last = null;
        try (DocumentScan docs = before.documents(c)) {
            while (docs.hasNext()) {
                BsonDocument d = docs.next();
                byte[] encId = KeyEncoder.encode(d.get("_id"));
                for (ByteBuffer k : keys(updated, index, d)) {
                    if (index.unique()) {
                        checkUnique(updated, index, k, encId, d);
                    }
                    byte[] key = Keys.indexEntry(c.collectionId(), index.indexId(), k.array(), encId);
                    overlay.put(key, INDEX_PAYLOAD);
                    writes.add(KeyWrite.put(key, INDEX_PAYLOAD));
                }
                if (first == null) {
                    first = d.get("_id");
                }
                last = d.get("_id");
                // Cut between documents only, so that each entry holds all keys of the documents it names.
                if (writes.size() >= BUILD_ENTRY_WRITES) {
                    addBuildEntry(c, index, first, last, writes);
                    writes = new ArrayList<>();
                    first = null;
                }
            }
        }
        if (!writes.isEmpty()) {
            addBuildEntry(c, index, first, last, writes);
        }
        return updated;
    }

    private void addBuildEntry(CollectionInfo c, IndexInfo index, BsonValue first, BsonValue last, List<KeyWrite> writes) {
        added(new LogEntry(c.ns(), LogEntry.CATALOG, new BsonString("buildIndex"), null,
                new BsonDocument("index", new BsonString(index.name())).append("first", first).append("last", last), writes));
    }

    // ---- documents ----

    /** Inserts a document that already has its {@code _id}. Throws DuplicateKey without changing anything. */
    public void insert(CollectionInfo c, BsonDocument doc) {
        insert(c, doc, null);
    }

    private static final byte[] ID_NAME = dev.argon.engine.bson.RawFields.name("_id");

    /**
     * As {@link #insert(CollectionInfo, BsonDocument)}, with the document's BSON when the caller already encoded it
     * ({@code Bson.bytes(doc)}, or null): those bytes become the stored version.
     */
    public void insert(CollectionInfo c, BsonDocument doc, byte[] encoded) {
        // A raw document (an insert from the wire) is read over its bytes, not through a reader and the codecs.
        BsonValue id = doc instanceof org.bson.RawBsonDocument raw ? dev.argon.engine.bson.RawFields.get(raw, "_id", ID_NAME) : doc.get("_id");
        insert(c, doc, encoded, id, KeyEncoder.encode(id), false);
    }

    /**
     * As {@link #insert(CollectionInfo, BsonDocument, byte[])}, with the document's {@code _id} and its key encoding
     * ({@link KeyEncoder#encode}) already known; {@code knownNew} skips the duplicate {@code _id} check, for a
     * document of a batch that {@link #allNew} answered true for.
     */
    public void insert(CollectionInfo c, BsonDocument doc, byte[] encoded, BsonValue id, byte[] encId, boolean knownNew) {
        byte[] docKey = Keys.document(c.collectionId(), encId);
        if (!knownNew && overlay.get(docKey) != null) {
            throw duplicate(c, "_id_", new BsonDocument("_id", new BsonInt32(1)), new BsonDocument("_id", id));
        }
        checkValidator(c, null, doc);
        readCatalog(c);
        List<KeyWrite> writes = new ArrayList<>();
        List<byte[]> indexWrites = indexChanges(c, null, doc, encId, writes);
        byte[] payload = encoded != null ? encoded : Bson.bytes(doc);
        overlay.put(docKey, payload);
        for (byte[] k : indexWrites) {
            overlay.put(k, INDEX_PAYLOAD);
        }
        writes.add(0, KeyWrite.put(docKey, payload));
        // The document is encoded once: these bytes are the stored version, and the log entry names its key.
        added(LogEntry.versioned(c.ns(), LogEntry.INSERT, id, false, writes));
    }

    /**
     * True when these encoded {@code _id}s of documents to insert into {@code c} are distinct and none of them is
     * visible to this session (its pending changes and the queued commits included): then their inserts need no
     * duplicate check each. One sort and one look at the range between the smallest and the largest instead of a
     * read per document; an {@code insertMany} of new ids, as a load sends, passes (docs/PERFORMANCE.md, "Sixth
     * round"). False says nothing: check each. Inserting the batch's own documents changes no answer, since they are
     * distinct, and neither does staging a chunk of them.
     */
    public boolean allNew(CollectionInfo c, List<byte[]> encIds) {
        if (encIds.size() < MIN_BATCH_CHECK) {
            return false;
        }
        byte[][] sorted = encIds.toArray(new byte[0][]);
        java.util.Arrays.sort(sorted, java.util.Arrays::compareUnsigned);
        for (int i = 1; i < sorted.length; i++) {
            if (java.util.Arrays.equals(sorted[i - 1], sorted[i])) {
                return false;
            }
        }
        long id = c.collectionId();
        return overlay.noneBetween(Keys.document(id, sorted[0]), Keys.document(id, sorted[sorted.length - 1]));
    }

    /** Below this many documents a batch is checked key by key: the sort and the range seek would not pay. */
    static final int MIN_BATCH_CHECK = 8;

    /** Replaces oldDoc by newDoc (same {@code _id}); index entries follow. */
    public void update(CollectionInfo c, BsonDocument oldDoc, BsonDocument newDoc) {
        update(c, oldDoc, newDoc, false);
    }

    /**
     * As {@link #update(CollectionInfo, BsonDocument, BsonDocument)}; {@code replacement} records that the client sent
     * a whole document rather than operators, so that change streams report a {@code replace}.
     */
    public void update(CollectionInfo c, BsonDocument oldDoc, BsonDocument newDoc, boolean replacement) {
        update(c, oldDoc, newDoc, Bson.bytes(newDoc), replacement);
    }

    /** As {@link #update(CollectionInfo, BsonDocument, BsonDocument, boolean)}, with newDoc's BSON already encoded. */
    public void update(CollectionInfo c, BsonDocument oldDoc, BsonDocument newDoc, byte[] payload, boolean replacement) {
        BsonValue id = oldDoc.get("_id");
        byte[] encId = KeyEncoder.encode(id);
        byte[] docKey = Keys.document(c.collectionId(), encId);
        checkValidator(c, oldDoc, newDoc);
        readCatalog(c);
        List<KeyWrite> writes = new ArrayList<>();
        indexChanges(c, oldDoc, newDoc, encId, writes);
        overlay.put(docKey, payload);
        applyIndexWrites(writes);
        writes.add(0, KeyWrite.put(docKey, payload));
        // oldDoc is what this session sees, so it is the version the branch held just before: the log need not copy it.
        LogEntry e = LogEntry.versioned(c.ns(), LogEntry.UPDATE, id, true, writes);
        added(replacement ? e.asReplacement() : e);
    }

    public void delete(CollectionInfo c, BsonDocument oldDoc) {
        BsonValue id = oldDoc.get("_id");
        byte[] encId = KeyEncoder.encode(id);
        byte[] docKey = Keys.document(c.collectionId(), encId);
        readCatalog(c);
        List<KeyWrite> writes = new ArrayList<>();
        indexChanges(c, oldDoc, null, encId, writes);
        overlay.delete(docKey);
        applyIndexWrites(writes);
        writes.add(0, KeyWrite.tombstone(docKey));
        added(LogEntry.versioned(c.ns(), LogEntry.DELETE, id, true, writes));
    }

    /** A transaction's documents were written under this catalog entry (its indexes): a change to it conflicts. */
    private void readCatalog(CollectionInfo c) {
        if (deferred) {
            readKeys.add(ByteBuffer.wrap(Keys.catalog(c.db(), c.name())));
        }
    }

    private void applyIndexWrites(List<KeyWrite> writes) {
        for (KeyWrite w : writes) {
            if (w.payload() == null) {
                overlay.delete(w.userKey());
            } else {
                overlay.put(w.userKey(), w.payload());
            }
        }
    }

    /**
     * Computes the index entries to add and remove, checking unique indexes first so that a violation
     * changes nothing. Returns the keys to add (also appended to writes, with the removals).
     */
    private List<byte[]> indexChanges(CollectionInfo c, BsonDocument oldDoc, BsonDocument newDoc, byte[] encId, List<KeyWrite> writes) {
        List<byte[]> added = new ArrayList<>();
        for (IndexInfo index : c.indexes()) {
            Set<ByteBuffer> before = keys(c, index, oldDoc);
            Set<ByteBuffer> after = keys(c, index, newDoc);
            for (ByteBuffer k : after) {
                if (!before.contains(k)) {
                    if (index.unique()) {
                        checkUnique(c, index, k, encId, newDoc);
                    }
                    byte[] key = Keys.indexEntry(c.collectionId(), index.indexId(), k.array(), encId);
                    added.add(key);
                    writes.add(KeyWrite.put(key, INDEX_PAYLOAD));
                }
            }
            for (ByteBuffer k : before) {
                if (!after.contains(k)) {
                    writes.add(KeyWrite.tombstone(Keys.indexEntry(c.collectionId(), index.indexId(), k.array(), encId)));
                }
            }
        }
        return added;
    }

    private Set<ByteBuffer> keys(CollectionInfo c, IndexInfo index, BsonDocument doc) {
        Matcher partial = null;
        if (index.partialFilter() != null) {
            partial = partialFilters.computeIfAbsent(c.collectionId() + "/" + index.indexId(),
                    k -> Matcher.compile(index.partialFilter()));
        }
        return IndexKeys.of(index, partial, doc);
    }

    private void checkUnique(CollectionInfo c, IndexInfo index, ByteBuffer key, byte[] encId, BsonDocument doc) {
        if (IndexKeys.isMarker(key)) {
            return; // every multikey document has one; uniqueness is about the keys
        }
        if (deferred) {
            uniqueKeys.add(new UniqueKey(c, index, key.array()));
        }
        for (byte[] other : indexEntries(c, index, key.array())) {
            if (!java.util.Arrays.equals(other, encId)) {
                BsonDocument keyValue = new BsonDocument();
                for (String f : index.key().keySet()) {
                    BsonValue v = DocFields.get(doc, f);
                    keyValue.append(f, v == null ? org.bson.BsonNull.VALUE : v);
                }
                throw duplicate(c, index.name(), index.key(), keyValue);
            }
        }
    }

    private static ArgonException duplicate(CollectionInfo c, String indexName, BsonDocument pattern, BsonDocument keyValue) {
        StringBuilder dup = new StringBuilder("{ ");
        boolean first = true;
        for (Map.Entry<String, BsonValue> e : keyValue.entrySet()) {
            if (!first) {
                dup.append(", ");
            }
            first = false;
            dup.append(e.getKey()).append(": ").append(DocFields.shellForm(e.getValue()));
        }
        dup.append(" }");
        String msg = "E11000 duplicate key error collection: " + c.ns() + " index: " + indexName + " dup key: " + dup;
        return new ArgonException(MongoErrorCode.DUPLICATE_KEY, msg,
                new BsonDocument("keyPattern", pattern).append("keyValue", keyValue));
    }

    private static byte[] uuidBytes(java.util.UUID u) {
        ByteBuffer b = ByteBuffer.allocate(16);
        b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return b.array();
    }
}
