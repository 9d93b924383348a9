package dev.argon.engine.gc;

import dev.argon.engine.store.Keys;
import dev.argon.engine.store.Store;
import dev.argon.wal.MergeReport;
import dev.argon.wal.MergeRequest;
import dev.argon.wal.TierReport;
import dev.argon.wal.TierRequest;
import dev.argon.wal.VersionStore;
import dev.argon.wal.WalException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the WAL's history compaction ({@code VersionStore.compactHistory}): a background pass every
 * {@link TierSettings#intervalMillis()} and passes on demand ({@code compactHistory} command). Catalog keys stay
 * local (GC reads the owners every kept catalog version names, and they are few). After each background pass, when
 * more than {@link #SMALL_SEGMENTS_BEFORE_MERGE} of one kind of the tier's segments are small, a segment rewrite pass
 * ({@code VersionStore.mergeSegments}) merges them; {@code compactHistory {mergeSegments: true}} and {@code gc} run one
 * that also rewrites sparse segments. Thread-safe.
 */
public final class HistoryCompaction implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryCompaction.class);

    /** Small segments of one kind the background job lets accumulate before it merges them. */
    public static final int SMALL_SEGMENTS_BEFORE_MERGE = 8;

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

    /**
     * One segment rewrite pass now: the small segments merged, and with {@code examine} every segment read to rewrite
     * the sparse ones without their dead entries (versions no stub covers, log entries GC reclaimed).
     */
    public MergeReport merge(boolean examine) {
        return wal.mergeSegments(MergeRequest.of(examine, 0));
    }

    private void background() {
        try {
            TierReport r = run(-1);
            if (r.versions() > 0) {
                LOG.info("compacted {} versions (~{} bytes) into {} segments ({} bytes) in {} ms; cutoff lsn {}",
                        r.versions(), r.bytes(), r.segments(), r.segmentBytes(), r.millis(), r.cutoffLsn());
            }
            MergeReport m = wal.mergeSegments(MergeRequest.of(false, SMALL_SEGMENTS_BEFORE_MERGE));
            if (m.segmentsMerged() > 0) {
                LOG.info("merged {} tier segments ({} bytes) into {} ({} bytes), {} entries dropped, in {} ms",
                        m.segmentsMerged(), m.bytesBefore(), m.segmentsWritten(), m.bytesAfter(), m.entriesDropped(), m.millis());
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
