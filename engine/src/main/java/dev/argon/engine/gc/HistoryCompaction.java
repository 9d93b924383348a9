package dev.argon.engine.gc;

import dev.argon.engine.store.Keys;
import dev.argon.engine.store.Store;
import dev.argon.wal.TierReport;
import dev.argon.wal.TierRequest;
import dev.argon.wal.VersionStore;
import dev.argon.wal.WalException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the WAL's history compaction ({@code VersionStore.compactHistory}): a background pass every
 * {@link TierSettings#intervalMillis()} and passes on demand ({@code compactHistory} command). Catalog keys stay
 * local (GC reads the owners every kept catalog version names, and they are few). Thread-safe.
 */
public final class HistoryCompaction implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryCompaction.class);

    private final VersionStore wal;
    private final TierSettings settings;
    private final BackgroundPass timer;

    public HistoryCompaction(Store store, TierSettings settings) {
        this.wal = store.versions();
        this.settings = settings;
        this.timer = new BackgroundPass("argon-compact", settings.intervalMillis(), this::background);
    }

    public TierSettings settings() {
        return settings;
    }

    /** One pass now with the given hot window (negative: the configured one). */
    public TierReport run(long hotWindowMillis) {
        long window = hotWindowMillis < 0 ? settings.hotWindowMillis() : hotWindowMillis;
        return wal.compactHistory(new TierRequest(window, System.currentTimeMillis(), Keys.catalogPrefix()));
    }

    private void background() {
        try {
            TierReport r = run(-1);
            if (r.versions() > 0) {
                LOG.info("compacted {} versions (~{} bytes) into {} segments ({} bytes) in {} ms; cutoff lsn {}",
                        r.versions(), r.bytes(), r.segments(), r.segmentBytes(), r.millis(), r.cutoffLsn());
            }
        } catch (WalException e) {
            LOG.warn("background history compaction failed: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("background history compaction failed", e);
        }
    }

    @Override
    public void close() {
        timer.close();
    }
}
