package dev.argon.wal;

import dev.argon.storage.object.ObjectInfo;
import dev.argon.storage.object.ObjectStore;
import dev.argon.storage.object.ObjectStoreException;
import dev.argon.wal.tier.TierManifest;
import dev.argon.wal.tier.TierManifests;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GC of the tier's objects (docs/ARCHITECTURE.md, "GC of tier objects"): removes the segments under
 * {@code tier/segments/} that neither the local tier catalog nor any kept tier manifest names (those a pass stored
 * and then died before its batch, and those only retired manifests named, such as segments a rewrite replaced) once
 * they are older than a grace period, and retires the manifests beyond the newest {@code keepManifests}.
 *
 * <p>Safety rules: it runs under the reclaimer's pass lock, so no compaction (or other catalog change) of this
 * process is between storing a segment and writing the catalog naming it; every manifest is read first, and one
 * that does not read, or that carries another directory's identity (two directories sharing a tier), stops it
 * before anything is deleted; a manifest is retired only once the one after it was published at least the grace
 * period ago (a reader that took it while it was the newest has that long), and never the one the catalog records;
 * an unnamed segment younger than the grace period, or of unknown age, is kept; and the catalog and the manifests
 * are read again after listing the segments and just before deleting, as the archive's GC does. Only keys under
 * {@code tier/segments/} are deleted, and manifests only by the retention rule; {@code tier/latest} and anything
 * else is left alone. Thread-safe (one pass at a time under the pass lock).
 */
final class TierGc {
    private final WalDb db;
    private final Object passLock;

    TierGc(WalDb db, Object passLock) {
        this.db = db;
        this.passLock = passLock;
    }

    /** One pass; the caller has attached the tier. */
    TierGcReport run(TierGcRequest r) {
        synchronized (passLock) {
            long start = System.nanoTime();
            ObjectStore store = db.cold().store();
            TierCatalog catalog = TierCatalog.read(db);
            long cutoff = r.nowMillis() - r.graceMillis();
            List<ObjectInfo> listed = TierManifests.list(store);
            Map<Long, TierManifest> manifests = new HashMap<>();
            String problem = readAll(store, catalog, listed, manifests);
            if (problem != null) {
                return new TierGcReport(r.dryRun(), r.graceMillis(), 0, 0, 0, 0, 0, 0, 0, List.of(), problem, millis(start));
            }
            List<Long> retired = retirable(listed, cutoff, r.keepManifests(), catalog.manifestSeq());
            Set<String> referenced = new HashSet<>();
            long[] referencedBytes = {0};
            name(catalog.segments(), referenced, referencedBytes);
            name(catalog.logSegments(), referenced, referencedBytes);
            for (Map.Entry<Long, TierManifest> m : manifests.entrySet()) {
                if (!retired.contains(m.getKey())) {
                    name(m.getValue().segments(), referenced, referencedBytes);
                    name(m.getValue().logSegments(), referenced, referencedBytes);
                }
            }
            if (!r.dryRun()) {
                for (long seq : retired) {
                    store.delete(TierManifests.key(seq));
                }
            }
            // Listed after the references: a segment stored since is young, or named by what the second look reads.
            List<ObjectInfo> old = new ArrayList<>();
            long young = 0;
            long youngBytes = 0;
            for (ObjectInfo o : store.list(TierSegment.PREFIX)) {
                if (referenced.contains(o.key())) {
                    continue;
                }
                if (o.modifiedMillis() <= 0 || o.modifiedMillis() > cutoff) {
                    young++;
                    youngBytes += o.size();
                } else {
                    old.add(o);
                }
            }
            TierCatalog again = TierCatalog.read(db);
            name(again.segments(), referenced, referencedBytes);
            name(again.logSegments(), referenced, referencedBytes);
            // A rewrite pass's replaced segments stay on the read path until the reads begun before its batch end
            // (TierMerger's retirement): whatever the read path still lists is never deleted, whatever its age.
            name(db.cold().segments(), referenced, referencedBytes);
            for (ObjectInfo o : TierManifests.list(store)) {
                long seq = TierManifests.sequence(o.key());
                if (!manifests.containsKey(seq) && !retired.contains(seq)) {
                    TierManifest m;
                    try {
                        m = TierManifests.read(store, seq);
                    } catch (IllegalArgumentException e) {
                        return new TierGcReport(r.dryRun(), r.graceMillis(), 0, 0, 0, 0, 0, young, youngBytes, retired,
                                "the tier manifest " + seq + " published during the pass does not read: nothing else is deleted", millis(start));
                    }
                    name(m.segments(), referenced, referencedBytes);
                    name(m.logSegments(), referenced, referencedBytes);
                    manifests.put(seq, m);
                }
            }
            long removed = 0;
            long removedBytes = 0;
            for (ObjectInfo o : old) {
                if (referenced.contains(o.key())) {
                    continue;
                }
                if (!r.dryRun()) {
                    store.delete(o.key());
                }
                removed++;
                removedBytes += o.size();
            }
            return new TierGcReport(r.dryRun(), r.graceMillis(), manifests.size() - retired.size(), referenced.size(), referencedBytes[0],
                    removed, removedBytes, young, youngBytes, retired, null, millis(start));
        }
    }

    /** Reads every listed manifest into {@code out}; the reason to delete nothing, or null. */
    private static String readAll(ObjectStore store, TierCatalog catalog, List<ObjectInfo> listed, Map<Long, TierManifest> out) {
        for (ObjectInfo o : listed) {
            long seq = TierManifests.sequence(o.key());
            TierManifest m;
            try {
                m = TierManifests.read(store, seq);
            } catch (IllegalArgumentException e) {
                return "the tier manifest " + seq + " does not read (" + e.getMessage() + "); nothing is deleted while a "
                        + "manifest may name segments the GC cannot see";
            } catch (ObjectStoreException e) {
                if (e.kind() == ObjectStoreException.Kind.NOT_FOUND) {
                    continue; // deleted since the listing: it names nothing any more
                }
                throw e;
            }
            if (!m.directoryId().equals(catalog.directoryId())) {
                return "the tier manifest " + seq + " belongs to another data directory (" + m.directoryId()
                        + "): the tier is shared, and nothing is deleted, since its segments may be another directory's";
            }
            out.put(seq, m);
        }
        return null;
    }

    /** The manifests the retention rule lets go, oldest first. */
    private static List<Long> retirable(List<ObjectInfo> listed, long cutoff, int keep, long catalogSeq) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i + keep < listed.size(); i++) {
            long successorWritten = listed.get(i + 1).modifiedMillis();
            if (successorWritten <= 0 || successorWritten > cutoff) {
                break; // superseded too recently (or at an unknown time): a reader may still be using it
            }
            long seq = TierManifests.sequence(listed.get(i).key());
            if (seq != catalogSeq) {
                out.add(seq);
            }
        }
        return out;
    }

    private static void name(List<TierSegment> segs, Set<String> referenced, long[] bytes) {
        for (TierSegment s : segs) {
            if (referenced.add(s.objectKey())) {
                bytes[0] += s.size();
            }
        }
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
