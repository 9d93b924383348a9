package dev.argon.wal;

import dev.argon.storage.object.ObjectStore;
import dev.argon.wal.tier.TierManifest;
import dev.argon.wal.tier.TierManifests;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The one way the tier catalog changes (docs/ARCHITECTURE.md, "History compaction and the tier", order of effects).
 * The caller has stored every segment the new catalog names; {@link #change} then publishes the tier manifest of the
 * new catalog under the next sequence ({@code tier/manifests/<seq>}, a conditional create) and only then writes the
 * caller's edits (stubs, deletes) and the catalog, recording that sequence, in one RocksDB batch. So:
 * <ul>
 *   <li>a crash before the manifest leaves the old catalog and unreferenced segments (garbage for the tier's GC);</li>
 *   <li>a crash between the manifest and the batch leaves the old catalog and a manifest newer than the one it
 *       records: harmless, the next change publishes the sequence after it, and the segments only that manifest
 *       names go once GC retires it;</li>
 *   <li>after the batch, the catalog and the newest manifest agree.</li>
 * </ul>
 * The directory's identity ({@code directoryId}, a random id the manifests carry) is written alone before the first
 * manifest, so a crash can never leave manifests naming an identity the catalog does not have. A compaction pass
 * (and any other pass that rewrites the catalog, such as a segment rewrite) calls {@link #change} with the reclaimer's
 * pass lock held, so that the catalog it reads is the one its change applies to. Thread-safe under that lock.
 */
final class TierPublisher {
    /** What the batch does besides writing the catalog. */
    interface Edits {
        void apply(WriteBatch batch) throws RocksDBException;
    }

    private final WalDb db;
    private final CommitWriter writer;

    TierPublisher(WalDb db, CommitWriter writer) {
        this.db = db;
        this.writer = writer;
    }

    /**
     * Publishes the manifest of {@code change(current catalog)}, then writes {@code edits} and that catalog in one
     * batch. Caller holds the pass lock and has attached the tier.
     *
     * @param what for error messages ("compacting history")
     * @return the catalog as written
     * @throws WalException when the tier's newest manifest belongs to another data directory, or another writer
     *                      published the same sequence at the same time (nothing of the change is written then)
     */
    TierCatalog change(UnaryOperator<TierCatalog> change, Edits edits, String what) {
        ObjectStore store = db.cold().store();
        TierCatalog current = identified();
        TierCatalog next = change.apply(current);
        long seq = nextSequence(store, current);
        TierManifest m = new TierManifest(seq, next.directoryId(), next.location() == null ? TierConfig.LOCAL : next.location(),
                System.currentTimeMillis(), next.cutoffLsn(), next.logCutoff(), next.segments(), next.logSegments());
        if (!TierManifests.publish(store, m)) {
            throw new WalException("tier manifest " + seq + " already exists in " + store.describe()
                    + ": another process writes to this tier; nothing of the change was written", -1, -1, null);
        }
        TierCatalog recorded = next.withManifest(seq);
        writer.underCommitLock(() -> {
            try (WriteBatch batch = new WriteBatch()) {
                edits.apply(batch);
                batch.put(db.meta(), TierCatalog.KEY, recorded.encode());
                writer.write(batch, what, -1, -1);
            } catch (RocksDBException e) {
                throw new WalException("cannot build the batch " + what + ": " + e.getMessage(), -1, -1, e);
            }
            return null;
        });
        return recorded;
    }

    /** The catalog, with an identity written first if it has none yet. */
    private TierCatalog identified() {
        TierCatalog c = TierCatalog.read(db);
        if (c.directoryId() != null) {
            return c;
        }
        TierCatalog withId = c.withDirectory(UUID.randomUUID().toString());
        writer.underCommitLock(() -> {
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(db.meta(), TierCatalog.KEY, withId.encode());
                writer.write(batch, "recording the directory's tier identity", -1, -1);
            } catch (RocksDBException e) {
                throw new WalException("cannot record the directory's tier identity: " + e.getMessage(), -1, -1, e);
            }
            return null;
        });
        return withId;
    }

    /**
     * One above both the catalog's manifest and the newest one stored (which may be newer after a crash between a
     * manifest and its batch). A newer one of another directory means two directories share this tier, where each
     * one's GC would delete the other's segments: refused.
     */
    private static long nextSequence(ObjectStore store, TierCatalog current) {
        long newest = TierManifests.newest(store);
        if (newest > current.manifestSeq()) {
            TierManifest top;
            try {
                top = TierManifests.read(store, newest);
            } catch (IllegalArgumentException e) {
                top = null; // a damaged manifest is fsck's to report; it names no identity to compare
            }
            if (top != null && !top.directoryId().equals(current.directoryId())) {
                throw new WalException("the tier " + store.describe() + " holds the compacted history of another data directory ("
                        + top.directoryId() + ", manifest " + newest + "); give this directory its own --tier", -1, -1, null);
            }
        }
        return Math.max(newest, current.manifestSeq()) + 1;
    }
}
