package dev.argon.wal.archive;

import dev.argon.storage.manifest.Manifest;
import dev.argon.storage.manifest.ManifestFormatException;
import dev.argon.storage.manifest.ManifestStore;
import dev.argon.storage.manifest.SegmentRef;
import dev.argon.storage.object.ObjectInfo;
import dev.argon.storage.object.ObjectStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * GC of an archive's objects: removes the segments no manifest names (the leftovers of a backup that stored
 * segments and then failed before publishing its manifest, or was killed, and those only retired manifests named)
 * once they are older than a grace period; optionally retires all but the newest manifests first. Works on the
 * object store alone, like a restore.
 *
 * <p>Safety rules, in order: a segment any manifest of the archive names is never removed (every manifest is
 * read, and one that does not read stops the GC before anything is deleted, since it could name any segment);
 * an unreferenced segment younger than the grace period is kept, because a backup running now may have stored
 * it and not yet published the manifest naming it (the grace must exceed the longest backup); and the manifests
 * are listed again just before deleting, so that a manifest published during the GC (by a backup that reused an
 * old leftover) protects its segments. A backup that publishes in the short window after that second look still
 * cannot publish a broken manifest: {@link ManifestStore#publish} checks every segment is stored and refuses
 * otherwise. Only keys under {@code segments/} are considered, and manifests only by the retention rule;
 * {@code latest} and anything else under the prefix are left alone.
 *
 * <p>Stateless; one call per pass. Two passes on one archive at once are harmless (deleting twice is not an error).
 */
public final class ArchiveGc {
    private ArchiveGc() {
    }

    /** One object a pass removed (or, in a dry run, would remove), or kept for its youth. */
    public record Item(String key, long size, long modifiedMillis) {
    }

    /**
     * What one pass found and did.
     *
     * @param target          the archive, as {@code ObjectStore.describe()} says
     * @param dryRun          whether it only looked
     * @param graceMillis     the grace period it used
     * @param manifests       manifests read (every one of the archive)
     * @param referenced      distinct segments they name
     * @param referencedBytes their bytes
     * @param removed         unreferenced segments older than the grace period: removed, or with {@code dryRun} to be removed
     * @param young           unreferenced segments kept because they are younger than the grace period
     * @param retired         sequences of the manifests removed (or to be removed) by the retention rule
     * @param millis          wall time taken
     */
    public record Report(String target, boolean dryRun, long graceMillis, int manifests, int referenced, long referencedBytes,
                         List<Item> removed, List<Item> young, List<Long> retired, long millis) {
        public Report {
            removed = List.copyOf(removed);
            young = List.copyOf(young);
            retired = List.copyOf(retired);
        }

        public long removedBytes() {
            return removed.stream().mapToLong(Item::size).sum();
        }

        public long youngBytes() {
            return young.stream().mapToLong(Item::size).sum();
        }
    }

    /**
     * One pass.
     *
     * @param graceMillis an unreferenced segment is removed only when written at least this long before {@code nowMillis}
     * @param nowMillis   the pass's clock (the caller's wall time; a test moves it forward)
     * @throws IllegalStateException when a manifest does not read (nothing is deleted then)
     */
    public static Report run(ObjectStore store, long graceMillis, long nowMillis, boolean dryRun) {
        return run(store, graceMillis, nowMillis, dryRun, 0);
    }

    /**
     * One pass that also retires old manifests: all but the newest {@code keepManifests} (0: keep every manifest),
     * each only once the manifest after it was published at least the grace period ago, so that a reader that took
     * a manifest while it was the newest has that long to finish. The newest manifest names every segment a restore
     * of the archive needs (point-in-time ones included), so retiring older ones loses no restorable state; the
     * segments only they named (those a compaction replaced) become unreferenced and go in the same pass.
     */
    public static Report run(ObjectStore store, long graceMillis, long nowMillis, boolean dryRun, int keepManifests) {
        if (graceMillis < 0) {
            throw new IllegalArgumentException("the grace period cannot be negative: " + graceMillis + " ms");
        }
        if (keepManifests < 0) {
            throw new IllegalArgumentException("the number of manifests to keep cannot be negative: " + keepManifests);
        }
        long start = System.nanoTime();
        ManifestStore manifests = new ManifestStore(store);
        Set<Long> read = new HashSet<>();
        List<Long> retired = keepManifests == 0 ? List.of() : retirable(store, nowMillis - graceMillis, keepManifests);
        read.addAll(retired); // never counted as references, also in a dry run where they are still there
        Set<String> referenced = new HashSet<>();
        long[] referencedBytes = {0};
        // The kept manifests are read before any retired one is deleted: a damaged newest manifest must not be left
        // as the archive's only one.
        readNew(store, manifests, read, referenced, referencedBytes);
        if (!dryRun) {
            for (long seq : retired) {
                store.delete(ManifestStore.key(seq));
            }
        }
        // Listed after the manifests: a segment stored after the first look is young, or named by a manifest the
        // second look reads.
        List<ObjectInfo> stored = store.list(SegmentRef.PREFIX);
        long cutoff = nowMillis - graceMillis;
        List<ObjectInfo> old = new ArrayList<>();
        List<Item> young = new ArrayList<>();
        for (ObjectInfo o : stored) {
            if (referenced.contains(o.key())) {
                continue;
            }
            // An unknown time (0, a store that records none) is kept: the GC cannot tell it from a running upload.
            if (o.modifiedMillis() <= 0 || o.modifiedMillis() > cutoff) {
                young.add(new Item(o.key(), o.size(), o.modifiedMillis()));
            } else {
                old.add(o);
            }
        }
        readNew(store, manifests, read, referenced, referencedBytes);
        List<Item> removed = new ArrayList<>();
        for (ObjectInfo o : old) {
            if (referenced.contains(o.key())) {
                continue;
            }
            if (!dryRun) {
                store.delete(o.key());
            }
            removed.add(new Item(o.key(), o.size(), o.modifiedMillis()));
        }
        return new Report(store.describe(), dryRun, graceMillis, read.size() - retired.size(), referenced.size(), referencedBytes[0],
                removed, young, retired, (System.nanoTime() - start) / 1_000_000);
    }

    /** The sequences of the manifests the retention rule lets go, oldest first. */
    private static List<Long> retirable(ObjectStore store, long cutoff, int keep) {
        List<ObjectInfo> numbered = new ArrayList<>();
        for (ObjectInfo o : store.list(ManifestStore.PREFIX)) {
            if (o.key().matches(ManifestStore.PREFIX + "\\d{20}")) {
                numbered.add(o);
            }
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i + keep < numbered.size(); i++) {
            long successorWritten = numbered.get(i + 1).modifiedMillis();
            if (successorWritten <= 0 || successorWritten > cutoff) {
                break; // superseded too recently (or at an unknown time): a reader may still be using it
            }
            String k = numbered.get(i).key();
            out.add(Long.parseLong(k.substring(ManifestStore.PREFIX.length())));
        }
        return out;
    }

    /** Reads the manifests not read yet and adds the segments they name. */
    private static void readNew(ObjectStore store, ManifestStore manifests, Set<Long> read, Set<String> referenced,
                                long[] referencedBytes) {
        for (long seq : manifests.sequences()) {
            if (read.contains(seq)) {
                continue;
            }
            Manifest m;
            try {
                m = manifests.read(seq);
            } catch (ManifestFormatException e) {
                throw new IllegalStateException("manifest " + seq + " of " + store.describe() + " does not read (" + e.getMessage()
                        + "); the GC deletes nothing while a manifest may name segments it cannot see", e);
            }
            for (SegmentRef s : m.segments()) {
                if (referenced.add(s.objectKey())) {
                    referencedBytes[0] += s.size();
                }
            }
            read.add(seq);
        }
    }
}
