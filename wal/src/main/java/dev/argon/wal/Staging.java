package dev.argon.wal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streamed commits ({@link StagedCommit}) as the WAL sees them: their chunks and publishing batch go through the
 * {@link CommitWriter}; an abort, or a {@code staging/} marker found at open (a crash cut the commit off), retires
 * the branch id as a reset does and records the range as {@code abandoned/}. Owns the invariant "a streamed commit
 * is invisible until published and never half visible after a crash": while an abandoned range could not be
 * retired yet (a full disk), its branch id refuses commits ({@link #refusal}), since a head moving above the orphaned
 * chunks would make them visible. Thread-safe.
 */
final class Staging {
    private static final Logger LOG = LoggerFactory.getLogger(Staging.class);

    private final WalDb db;
    private final CommitWriter writer;
    private final BranchRegistry branches;
    private final BranchBook book;
    private final HistoryReader history;
    /** Branch ids whose streamed write was abandoned but could not be retired yet, with the reason. */
    private final Map<Integer, String> unresolved = new ConcurrentHashMap<>();
    private final Map<Integer, long[]> unresolvedRanges = new ConcurrentHashMap<>();
    private final AtomicLong stagedChunks = new AtomicLong();
    private final AtomicLong stagedPublished = new AtomicLong();
    private final AtomicLong stagedAborted = new AtomicLong();
    /** Written only while opening, before any other thread sees this. */
    private long stagedRecovered;

    Staging(WalDb db, CommitWriter writer, BranchRegistry branches, BranchBook book, HistoryReader history) {
        this.db = db;
        this.writer = writer;
        this.branches = branches;
        this.book = book;
        this.history = history;
    }

    /** Why this branch id refuses commits now, or null. Read by the group-commit leader, under the commit lock. */
    String refusal(int branchId) {
        return unresolved.get(branchId);
    }

    /** Before a commit of this branch id: retries retiring an abandoned range first, if one is pending. */
    void beforeCommit(int branchId) {
        if (unresolved.containsKey(branchId)) {
            retryAbandon(branchId);
        }
    }

    StagedCommit stage(int branchId, String actor, String comment) {
        branches.requireNamed(branchId);
        return new StagedCommit(this, branchId, actor, comment);
    }

    /** The view of a streamed commit: the branch up to its last staged LSN, its ancestry as at the head. */
    ReadView stagedView(int branchId, long lastStagedLsn) {
        Branch b = branches.require(branchId);
        return branches.view(b.id(), Math.max(b.headLsn(), lastStagedLsn));
    }

    /** A chunk or the publishing batch of a staged commit, through the same group commit as every commit. */
    CommitResult writeStaged(CommitRequest request, StagedCommit.Part part) {
        beforeCommit(request.branchId());
        CommitResult r = writer.commit(request, part);
        if (part.publish()) {
            stagedPublished.incrementAndGet();
        } else {
            stagedChunks.incrementAndGet();
        }
        return r;
    }

    StagingStats stats() {
        return new StagingStats(stagedChunks.get(), stagedPublished.get(), stagedAborted.get(), stagedRecovered);
    }

    /**
     * Discards a streamed commit's chunks for good (see {@link StagedCommit#abort}): retires the branch id unless
     * a drop or reset already did, and records the range as abandoned. On failure the branch's commits are
     * refused until a later attempt succeeds.
     */
    void abandonStaged(int branchId, long fromLsn, long toLsn) {
        stagedAborted.incrementAndGet();
        unresolvedRanges.put(branchId, new long[] {fromLsn, toLsn});
        unresolved.put(branchId, "not attempted yet");
        retryAbandon(branchId);
    }

    private void retryAbandon(int branchId) {
        long[] range = unresolvedRanges.get(branchId);
        if (range == null) {
            return;
        }
        long seq;
        writer.lock().lock();
        try {
            if (!unresolvedRanges.containsKey(branchId)) {
                return;
            }
            seq = retire(branchId, range[0], range[1], "discarding an aborted streamed write");
            unresolvedRanges.remove(branchId);
            unresolved.remove(branchId);
        } catch (RuntimeException e) {
            unresolved.put(branchId, e.getMessage());
            LOG.warn("could not discard the aborted streamed write on branch id {} yet: {}", branchId, e.getMessage());
            return;
        } finally {
            writer.lock().unlock();
        }
        writer.awaitSeq(seq);
    }

    /**
     * Retires a branch id whose chunks [fromLsn, toLsn] were never published: the name (if the id still has one)
     * moves to a new id forked from the old one at its published head, as a reset does, and the staging marker
     * becomes an {@code abandoned/} record. One batch. Caller holds the commit lock; returns the write's
     * sequence number.
     */
    private long retire(int branchId, long fromLsn, long toLsn, String what) {
        Branch old = branches.get(branchId);
        try (WriteBatch batch = new WriteBatch()) {
            batch.delete(db.meta(), StagedCommit.stagingKey(branchId));
            batch.put(db.meta(), StagedCommit.abandonedKey(branchId), StagedCommit.abandonedValue(fromLsn, toLsn));
            BranchBook.Move move = null;
            if (old != null && old.name() != null) {
                move = book.moveName(batch, old, book.nextBranchId(), old.id(), old.headLsn(), old.createdAt(), old.createdBy());
            }
            long seq = writer.write(batch, what, branchId, fromLsn);
            if (move != null) {
                book.apply(move);
                LOG.info("discarded the unpublished streamed write [{}, {}] on branch '{}': the name moved from id {} to id {}",
                        fromLsn, toLsn, old.name(), old.id(), move.fresh().id());
            }
            return seq;
        } catch (RocksDBException e) {
            throw new WalException("cannot discard the staged range [" + fromLsn + ", " + toLsn + "]: " + e.getMessage(), branchId, fromLsn, e);
        }
    }

    /**
     * At open: every {@code staging/} marker is a streamed commit that was never published (the publishing batch
     * deletes it), so its branch id is retired before anything can commit on it. Best effort on a full disk: the
     * branches stay refused for commits until a retry succeeds.
     */
    void recover() {
        List<KeyWrite> markers = history.metaScan(StagedCommit.STAGING_PREFIX);
        for (KeyWrite m : markers) {
            int branchId = Bytes.getInt(m.userKey(), StagedCommit.STAGING_PREFIX.length);
            long from = Bytes.getLong(m.payload(), 0);
            writer.lock().lock();
            try {
                writer.awaitSeq(retire(branchId, from, writer.lastLsn(), "discarding an unpublished streamed write"));
                stagedRecovered++;
            } catch (RuntimeException e) {
                unresolvedRanges.put(branchId, new long[] {from, writer.lastLsn()});
                unresolved.put(branchId, e.getMessage());
                LOG.warn("could not discard the unpublished streamed write on branch id {} at open: {}", branchId, e.getMessage());
            } finally {
                writer.lock().unlock();
            }
        }
    }
}
