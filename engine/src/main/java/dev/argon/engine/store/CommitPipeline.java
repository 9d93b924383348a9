package dev.argon.engine.store;

import dev.argon.wal.PendingCommit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableMap;

/**
 * One branch's commits that are queued in the WAL but perhaps not written yet. A writer that has built its commit
 * queues it ({@link dev.argon.wal.VersionStore#enqueue}), adds it here and releases the branch's write lock before
 * the RocksDB write; the next writer of the branch reads the head plus these commits ({@link #queued()}), so its
 * reads, duplicate-key and unique-index checks see every commit queued before it, and its commit is queued after
 * them (LSN order is still evaluation order). Each layer holds the key changes of one commit, in key order, as the
 * overlay of a {@link OverlayKeyReader}.
 *
 * <p>Layers are added only under the branch's write lock, in queue order, and removed by their committers once
 * written or failed (in any order). Queued commits of one branch finish in queue order (the WAL writes groups one
 * at a time and completes a group's members in order), which {@link #queued()} relies on. Thread-safe.
 */
final class CommitPipeline {
    /** One queued commit: its handle, its key changes (null payload: a delete) and whether it changed the catalog. */
    record Layer(PendingCommit pending, NavigableMap<byte[], byte[]> changes, boolean catalog) {}

    private final ArrayDeque<Layer> layers = new ArrayDeque<>();

    /** Adds a commit just queued; caller holds the branch's write lock. */
    synchronized Layer add(PendingCommit pending, NavigableMap<byte[], byte[]> changes, boolean catalog) {
        Layer l = new Layer(pending, changes, catalog);
        layers.addLast(l);
        return l;
    }

    /** Forgets a commit once it is written (its branch head has moved) or failed. */
    synchronized void remove(Layer l) {
        layers.remove(l);
    }

    /**
     * The queued commits not yet written, oldest first; caller holds the branch's write lock, and must read the
     * head only after this returns. Walked newest first and cut at the first finished one: everything older
     * finished before it, so its writes are in any head read from now on, and a commit is never left out while a
     * newer one that overwrote its keys is in the head.
     */
    synchronized List<Layer> queued() {
        if (layers.isEmpty()) {
            return List.of();
        }
        List<Layer> out = new ArrayList<>();
        for (Iterator<Layer> it = layers.descendingIterator(); it.hasNext(); ) {
            Layer l = it.next();
            if (l.pending().done()) {
                break;
            }
            out.add(0, l);
        }
        return out;
    }

    /**
     * Waits until every queued commit of the branch is written or failed: for a change that reads or moves the
     * branch's ref directly (drop, protect, reset, a transaction's conflict check, a streamed write), which must
     * come after them. Caller holds the branch's write lock, so no commit is added meanwhile; the committers wait
     * without it, so this cannot deadlock.
     */
    void drain() {
        List<Layer> all;
        synchronized (this) {
            if (layers.isEmpty()) {
                return;
            }
            all = new ArrayList<>(layers);
        }
        for (Layer l : all) {
            l.pending().awaitOutcome();
        }
    }
}
