package dev.argon.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;

/**
 * Computes a {@link StorageUsage}: RocksDB's properties per family, a walk of the data directory, and one scan of
 * the {@code versions} family (so its cost grows with the stored versions; it reads through RocksDB's iterator, a
 * consistent view, and does not fill the block cache).
 *
 * <p>Who holds a version. A branch name owns the versions stored under its current id and under the ids it had
 * before resets ({@code replacesId}). A version of branch id {@code a} is <em>shared</em> when a holder of another
 * owner reaches it: a live branch or an old id of another name whose ancestry passes through {@code a} with bound
 * {@code f} (the fork point, lowered level by level as a read lowers it), or a tag whose point, walked up the same
 * way, lands on {@code a} at {@code f}; then the version of each key that such a read would see at {@code f} (the
 * newest one at or below {@code f}) is shared, whether or not the other branch overwrote the key later, since it
 * can still time-travel to its fork point. Everything else a name owns is unique to it.
 *
 * <p>Not thread-safe; one per computation.
 */
final class StorageCensus {
    private final WalDb db;
    private final Map<Integer, Branch> byId = new HashMap<>();
    /** Branch id → the name that owns it (absent: no live name). */
    private final Map<Integer, String> owner = new HashMap<>();
    /** Branch id → bounds at which a holder of another owner reads it. */
    private final Map<Integer, NavigableSet<Long>> sharedBounds = new HashMap<>();

    StorageCensus(WalDb db, Collection<Branch> all, Collection<Tag> tags) {
        this.db = db;
        for (Branch b : all) {
            byId.put(b.id(), b);
        }
        for (Branch b : all) {
            if (b.name() == null) {
                continue;
            }
            for (Branch cur = b; cur != null; cur = cur.replacesId() == 0 ? null : byId.get(cur.replacesId())) {
                owner.put(cur.id(), b.name());
            }
        }
        for (Branch b : all) {
            String o = owner.get(b.id());
            if (o != null) {
                // A live head reads everything of its own id; an old id of a reset is read up to its head.
                hold(b.id(), b.name() != null ? Long.MAX_VALUE : b.headLsn(), o);
            }
        }
        for (Tag t : tags) {
            String o = owner.get(t.branchId());
            hold(t.branchId(), t.lsn(), o != null ? o : "\0tag:" + t.name());
        }
    }

    /** A read by holderOwner at (id, bound): marks every level of its ancestry another owner has. */
    private void hold(int id, long bound, String holderOwner) {
        Branch level = byId.get(id);
        long f = bound;
        // Bounded by the number of branch records: a parent is always an older id, so the walk ends.
        for (int steps = 0; level != null && steps <= byId.size(); steps++) {
            if (!holderOwner.equals(owner.get(level.id()))) {
                sharedBounds.computeIfAbsent(level.id(), k -> new TreeSet<>()).add(f);
            }
            if (level.parentId() == 0) {
                break;
            }
            f = Math.min(f, level.baseLsn());
            level = byId.get(level.parentId());
        }
    }

    StorageUsage compute(Map<String, StorageUsage.FamilyBytes> families, Path dataDir) {
        long[] objects = folderBytes(dataDir.resolve(StorageUsage.OBJECT_FOLDER));
        long all = folderBytes(dataDir)[0];
        Map<String, long[]> perOwner = new HashMap<>();
        long count = 0;
        long raw = 0;
        long unowned = 0;
        long stubs = 0;
        try (ReadOptions ro = new ReadOptions().setFillCache(false);
             RocksIterator it = db.db().newIterator(db.versions(), ro)) {
            byte[] groupKey = null;
            int groupId = 0;
            long newerLsn = Long.MAX_VALUE;
            // The value's length without copying the value: RocksDB reports the full size into a tiny buffer.
            java.nio.ByteBuffer probe = java.nio.ByteBuffer.allocateDirect(1);
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] k = it.key();
                probe.clear();
                int valueLength = it.value(probe);
                int size = k.length + valueLength;
                if (valueLength == VersionKeys.STUB_LENGTH && probe.get(0) == VersionKeys.STUB) {
                    stubs++;
                }
                int id = VersionKeys.branchId(k);
                long lsn = VersionKeys.lsn(k);
                if (groupKey == null || id != groupId || !VersionKeys.sameUserKey(groupKey, k)) {
                    groupKey = k;
                    groupId = id;
                    newerLsn = Long.MAX_VALUE;
                }
                count++;
                raw += size;
                String o = owner.get(id);
                if (o == null) {
                    unowned += size;
                } else {
                    long[] acc = perOwner.computeIfAbsent(o, x -> new long[4]);
                    acc[0]++;
                    acc[1] += size;
                    if (!shared(id, lsn, newerLsn)) {
                        acc[2]++;
                        acc[3] += size;
                    }
                }
                newerLsn = lsn;
            }
        }
        Map<String, StorageUsage.BranchBytes> branches = new HashMap<>();
        for (Branch b : byId.values()) {
            if (b.name() != null) {
                long[] acc = perOwner.getOrDefault(b.name(), new long[4]);
                branches.put(b.name(), new StorageUsage.BranchBytes(acc[0], acc[1], acc[2], acc[3]));
            }
        }
        return new StorageUsage(families, all - objects[0], objects[0], objects[1], count, raw, branches, unowned, stubs);
    }

    /**
     * A read at bound f sees, of one key's versions on one id, the newest at or below f: the version at lsn is
     * that one for every f in [lsn, newerLsn).
     */
    private boolean shared(int id, long lsn, long newerLsn) {
        NavigableSet<Long> bounds = sharedBounds.get(id);
        if (bounds == null) {
            return false;
        }
        Long f = bounds.ceiling(lsn);
        return f != null && f < newerLsn;
    }

    /** {bytes, files} of the regular files under a folder, symbolic links not followed; {0, 0} if absent. */
    static long[] folderBytes(Path folder) {
        if (!Files.isDirectory(folder)) {
            return new long[2];
        }
        long[] out = new long[2];
        try (Stream<Path> files = Files.walk(folder)) {
            files.forEach(p -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    if (a.isRegularFile()) {
                        out[0] += a.size();
                        out[1]++;
                    }
                } catch (IOException e) {
                    // A file RocksDB deleted during the walk (an obsolete SST): it no longer takes space.
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // The same race on a folder; the figure is a snapshot of a moving directory either way.
        }
        return out;
    }
}
