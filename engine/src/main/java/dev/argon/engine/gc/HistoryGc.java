package dev.argon.engine.gc;

import dev.argon.engine.store.Store;
import dev.argon.engine.store.StoreKeyOwners;
import dev.argon.engine.vc.MergePins;
import dev.argon.wal.GcReport;
import dev.argon.wal.GcRequest;
import dev.argon.wal.TierGcReport;
import dev.argon.wal.TierGcRequest;
import dev.argon.wal.VersionStore;
import dev.argon.wal.WalException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Triggers the WAL's GC ({@code VersionStore.gc}) with the engine's knowledge: which keys belong to which collection and
 * index ({@link StoreKeyOwners}) and the merge marks' source states, which a next merge reads as its base
 * ({@link MergePins#sourcePoints}). Runs a background pass every {@link GcSettings#intervalMillis()} that skips
 * the scan when nothing changed, and passes on demand ({@code gc} command); each background pass, and each command,
 * also runs a GC of the tier's objects ({@code VersionStore.tierGc}). Thread-safe.
 */
public final class HistoryGc implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryGc.class);

    private final VersionStore wal;
    private final GcSettings settings;
    private final BackgroundPass timer;

    public HistoryGc(Store store, GcSettings settings) {
        this.wal = store.versions();
        this.settings = settings;
        this.timer = new BackgroundPass("argon-gc", settings.intervalMillis(), this::background);
    }

    public GcSettings settings() {
        return settings;
    }

    /** One pass now; with dryRun, only counts. */
    public GcReport run(boolean dryRun) {
        return wal.gc(request(dryRun));
    }

    /**
     * One GC pass over the tier's objects now, with the given grace period (negative: the configured one); with
     * dryRun, only counts.
     */
    public TierGcReport runTier(boolean dryRun, long graceMillis) {
        long grace = graceMillis < 0 ? settings.tierGraceMillis() : graceMillis;
        return wal.tierGc(new TierGcRequest(grace, settings.tierKeepManifests(), System.currentTimeMillis(), dryRun));
    }

    private GcRequest request(boolean dryRun) {
        return new GcRequest(System.currentTimeMillis(), settings.historyRetentionMillis(), settings.reflogWindowMillis(), dryRun,
                settings.waitMillis(), StoreKeyOwners.INSTANCE, () -> MergePins.sourcePoints(wal));
    }

    private void background() {
        try {
            GcReport r = wal.gcIfChanged(request(false));
            if (r.versions() + r.logEntries() + r.commits() + r.branchRecords() > 0) {
                LOG.info("GC reclaimed {} versions, {} log entries, {} commits, {} branch records (~{} bytes) in {} ms; horizon lsn {}",
                        r.versions(), r.logEntries(), r.commits(), r.branchRecords(), r.bytes(), r.millis(), r.horizon());
            } else if (r.deferred()) {
                LOG.info("GC deferred: reads that began before it are still open (long-running commands or cursors)");
            }
        } catch (WalException e) {
            // A full disk or a failed store: WalHealth has said so; the next pass tries again.
            LOG.warn("background GC failed: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("background GC failed", e);
        }
        try {
            TierGcReport t = runTier(false, -1);
            if (t.skipped() != null) {
                LOG.warn("tier GC deleted nothing: {}", t.skipped());
            } else if (t.removed() + t.retired().size() > 0) {
                LOG.info("tier GC removed {} objects ({} bytes) and retired {} manifests in {} ms", t.removed(), t.removedBytes(),
                        t.retired().size(), t.millis());
            }
        } catch (RuntimeException e) {
            // An unreachable bucket: the next pass tries again.
            LOG.warn("background tier GC failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.close();
    }
}
