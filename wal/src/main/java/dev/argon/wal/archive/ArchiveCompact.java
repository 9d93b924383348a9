package dev.argon.wal.archive;

import dev.argon.storage.manifest.Manifest;
import dev.argon.storage.manifest.ManifestStore;
import dev.argon.storage.manifest.SegmentRef;
import dev.argon.storage.object.ObjectStore;
import dev.argon.storage.segment.SegmentEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compaction of an archive: an incremental chain leaves many small segments per kind (one per backup); this merges
 * each append-only kind's small segments into segments of about {@link SegmentSink#TARGET_BYTES}, stores them, then
 * publishes a new manifest naming them in place of the small ones (segments first, manifest last, as a backup). The
 * new manifest covers the same LSN with the same refs and properties, so restores from it give what restores from
 * the one before gave, and the next incremental backup extends it as usual. The small segments stay named by the
 * older manifests; they go with those manifests ({@link ArchiveGc}'s manifest retention) and the GC after that.
 *
 * <p>A segment's entries are in key order; segments of one kind from different backups overlap in key ranges (a
 * document changed in two backups), so they are merged by key, not concatenated. Keys are unique within a kind (each
 * carries its LSN). Stateless; run it while no backup writes the same archive (a racing backup or compaction loses
 * at publishing: manifests are created under their sequence only once).
 */
public final class ArchiveCompact {
    /** A segment below this many bytes is small: merged with the kind's other small ones. */
    public static final long SMALL_BYTES = SegmentSink.TARGET_BYTES / 4;

    /** Manifest property of a compacted manifest: the sequence it rewrote. */
    public static final String COMPACTED_FROM = "compacted-from";

    private ArchiveCompact() {
    }

    /**
     * What a compaction did.
     *
     * @param target         the archive
     * @param sequence       the manifest it published, or 0 when there was nothing to merge
     * @param from           the manifest it rewrote (the newest before it)
     * @param segmentsMerged small segments read and replaced
     * @param bytesMerged    their bytes
     * @param segmentsStored segments the merge produced
     * @param bytesStored    their bytes
     * @param millis         wall time taken
     */
    public record Report(String target, long sequence, long from, int segmentsMerged, long bytesMerged, int segmentsStored,
                         long bytesStored, long millis) {
    }

    /**
     * Compacts the newest manifest's small segments.
     *
     * @param smallBytes a segment below this size is merged (at least two of one kind, else that kind is left)
     * @param tmpDir     where merged segments are written before they are stored
     */
    public static Report run(ObjectStore store, Path tmpDir, long smallBytes, ArchiveProgress progress) {
        long start = System.nanoTime();
        ManifestStore manifests = new ManifestStore(store);
        Manifest m = manifests.latest().orElseThrow(() -> new IllegalArgumentException(
                "no archive in " + store.describe() + ": it holds no manifest"));
        Map<String, List<SegmentRef>> small = new TreeMap<>();
        for (SegmentRef s : m.segments()) {
            if (!s.kind().equals("meta-state") && s.size() < smallBytes) {
                small.computeIfAbsent(s.kind(), k -> new ArrayList<>()).add(s);
            }
        }
        small.values().removeIf(l -> l.size() < 2);
        if (small.isEmpty()) {
            return new Report(store.describe(), 0, m.sequence(), 0, 0, 0, 0, (System.nanoTime() - start) / 1_000_000);
        }
        long total = 0;
        for (List<SegmentRef> l : small.values()) {
            for (SegmentRef s : l) {
                total += s.size();
            }
        }
        SegmentSink.Counter counter = new SegmentSink.Counter();
        Map<String, List<SegmentRef>> merged = new TreeMap<>();
        long done = 0;
        int mergedCount = 0;
        try {
            Files.createDirectories(tmpDir);
            for (Map.Entry<String, List<SegmentRef>> kind : small.entrySet()) {
                try (SegmentSink sink = new SegmentSink(kind.getKey(), store, tmpDir, counter)) {
                    mergeInto(store, kind.getKey(), kind.getValue(), sink);
                    merged.put(kind.getKey(), sink.finish());
                }
                for (SegmentRef s : kind.getValue()) {
                    done += s.size();
                    mergedCount++;
                }
                progress.update(done, total);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + tmpDir + " for the compaction's temporary segments", e);
        }
        // The merged segments take the place of the kind's first small one; the other small ones are dropped.
        List<SegmentRef> segments = new ArrayList<>();
        for (SegmentRef s : m.segments()) {
            List<SegmentRef> replaced = small.get(s.kind());
            if (replaced == null || !replaced.contains(s)) {
                segments.add(s);
            } else if (replaced.get(0).equals(s)) {
                segments.addAll(merged.get(s.kind()));
            }
        }
        Map<String, String> props = new TreeMap<>(m.properties());
        props.put(COMPACTED_FROM, Long.toString(m.sequence()));
        // No new entries: the since-LSN is the covered LSN, so "entries above since" (none) stays true.
        Manifest next = new Manifest(m.sequence() + 1, m.sequence(), m.coversLsn(), m.coversLsn(), System.currentTimeMillis(),
                m.lastCommitTime(), m.refs(), segments, props);
        manifests.publish(next);
        return new Report(store.describe(), next.sequence(), m.sequence(), mergedCount, total, counter.segmentsStored
                + counter.segmentsReused, counter.bytesStored + counter.bytesReused, (System.nanoTime() - start) / 1_000_000);
    }

    /** A k-way merge by unsigned key order of the segments' entries into {@code sink} ({@link OrderedEntries}). */
    private static void mergeInto(ObjectStore store, String kind, List<SegmentRef> segments, SegmentSink sink) {
        String family = Backup.family(kind);
        byte[] last = null;
        for (OrderedEntries it = new OrderedEntries(store, segments, s -> { }); it.hasNext(); ) {
            SegmentEntry e = it.next();
            byte[] key = e.key();
            if (last != null && Arrays.compareUnsigned(last, key) == 0) {
                throw new IllegalStateException("two segments of kind " + kind + " in " + store.describe()
                        + " hold the same key: the archive is not one chain; not compacted");
            }
            sink.add(key, e.value(), Backup.lsn(family, key));
            last = key;
        }
    }
}
