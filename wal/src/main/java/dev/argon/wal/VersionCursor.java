package dev.argon.wal;

import java.util.Arrays;
import org.rocksdb.RocksIterator;

/**
 * Finds the version of one user key that a {@link ReadView} sees, reading the {@code latest} family
 * ({@link LatestKeys}: one entry per user key and branch that wrote it) and, only for an ancestry member whose
 * newest version is above the view's bound for it, that member's group in {@code versions}
 * ({@link VersionKeys}: {@code userKey | ~branchId | ~lsn}).
 *
 * <p>The view's ancestry, nearest first, is a descending run of branch ids, and a key's entries come in
 * descending id order in both families, so the walk never goes back: from the current {@code latest} entry it
 * skips ancestry members whose entries lie behind it (they never wrote the key), takes the entry of the member
 * it stands on if that version is within the member's bound, else seeks that member's group in {@code versions}
 * at the bound (one seek, however many versions the member wrote). A read at a head never touches the history;
 * one below a head costs one more seek per member that wrote the key since. Moving on is a few {@code next()}
 * calls and then a seek. So a read's cost is bounded by the branches that wrote the key, never by the number
 * of versions. Not thread-safe (it drives the caller's iterators).
 */
final class VersionCursor {
    /** {@code next()} calls tried before a move falls back to a seek. */
    static final int STEPS_BEFORE_SEEK = 4;

    private final RocksIterator latest;
    private final java.util.function.Supplier<RocksIterator> versionsSource;
    private RocksIterator versions;
    /** Where versions behind a stub are read (the tier's segments); asked only when a seek lands on a stub. */
    private final java.util.function.Supplier<ColdVersions> cold;
    private long keysRead;
    private long coldReads;

    /** Over a directory without compacted history (tests that drive the cursor alone). */
    VersionCursor(RocksIterator latest, RocksIterator versions) {
        this(latest, versions, () -> ColdVersions.NONE);
    }

    /** @param latest an iterator over {@code latest}; @param versions one over {@code versions} */
    VersionCursor(RocksIterator latest, RocksIterator versions, java.util.function.Supplier<ColdVersions> cold) {
        this.latest = latest;
        this.versions = versions;
        this.versionsSource = null;
        this.cold = cold;
    }

    /**
     * With the {@code versions} iterator made on first need: most reads and scans at a head never touch the
     * history, and a RocksDB iterator costs about as much as a read to create.
     */
    VersionCursor(RocksIterator latest, java.util.function.Supplier<RocksIterator> versions,
            java.util.function.Supplier<ColdVersions> cold) {
        this.latest = latest;
        this.versionsSource = versions;
        this.cold = cold;
    }

    /** Reads that went to the tier's segments so far (a seek that landed on a stub), for tests. */
    long coldReads() {
        return coldReads;
    }

    /** RocksDB entries stepped onto so far, in both families (a seek counts one), for tests that bound the work. */
    long keysRead() {
        return keysRead;
    }

    /** Seeks and resolves: the {@code flag | payload} value visible in view for userKey, or null if none. */
    byte[] read(ReadView view, byte[] userKey) {
        latest.seek(LatestKeys.key(userKey, view.branchIdAt(0)));
        keysRead++;
        return resolve(view, userKey);
    }

    /**
     * True when {@code latest} holds no entry of any branch for a user key in {@code [from, to]}. Every version a
     * view can see has its writer's newest version of that key in {@code latest} (history compaction never moves
     * it), so then no view sees any of those keys. User keys are prefix-free, so the entries of the keys in the range
     * are exactly the {@code latest} keys from {@code from} up to, not including, {@link LatestKeys#pastEntriesOf}
     * {@code to}: one seek answers.
     */
    boolean noneBetween(byte[] from, byte[] to) {
        latest.seek(from);
        keysRead++;
        if (!latest.isValid()) {
            try {
                latest.status();
            } catch (org.rocksdb.RocksDBException e) {
                return false; // say nothing; the reads key by key report it
            }
            return true;
        }
        return Arrays.compareUnsigned(latest.key(), LatestKeys.pastEntriesOf(to)) >= 0;
    }

    /**
     * From the current {@code latest} position, which must be at or before userKey's entry for the view's own
     * branch (for example on userKey's first entry, or where {@link #read} seeks), returns the
     * {@code flag | payload} of the visible version, or null if there is none. Leaves the iterator on userKey's
     * entries or past them.
     */
    byte[] resolve(ReadView view, byte[] userKey) {
        int n = view.depth();
        int i = 0;
        while (latest.isValid()) {
            byte[] k = latest.key();
            if (!LatestKeys.isEntryOf(k, userKey)) {
                return null;
            }
            int b = LatestKeys.branchId(k);
            while (i < n && view.branchIdAt(i) > b) {
                i++;
            }
            if (i == n) {
                return null;
            }
            if (b == view.branchIdAt(i)) {
                byte[] v = latest.value();
                if (LatestKeys.lsn(v) <= view.boundAt(i)) {
                    return LatestKeys.versionValue(v);
                }
                byte[] older = versionAtOrBelow(userKey, b, view.boundAt(i));
                if (older != null) {
                    return older;
                }
                // This member wrote the key only after the view's bound for it: look further up the ancestry.
                if (++i == n) {
                    return null;
                }
            }
            moveTo(LatestKeys.key(userKey, view.branchIdAt(i)));
        }
        return null;
    }

    /**
     * The newest version of userKey that branch wrote at or below bound, from {@code versions}: one seek. A seek
     * that lands on a stub (versions {@code [lo, hi]} of the group were compacted into segments, and
     * {@code lo <= bound}) finds the answer among the cold versions: the newest there at or below bound, which
     * exists (the one at lo) and is newer than any local version below the stub.
     */
    private byte[] versionAtOrBelow(byte[] userKey, int branch, long bound) {
        if (versions == null) {
            versions = versionsSource.get();
        }
        byte[] seekKey = VersionKeys.key(userKey, branch, bound);
        versions.seek(seekKey);
        keysRead++;
        if (versions.isValid()) {
            byte[] k = versions.key();
            if (VersionKeys.isVersionOf(k, userKey) && VersionKeys.branchId(k) == branch) {
                byte[] v = versions.value();
                if (!VersionKeys.isStub(v)) {
                    return v;
                }
                coldReads++;
                byte[][] found = cold.get().ceiling(seekKey, VersionKeys.groupEnd(userKey, branch));
                if (found == null || VersionKeys.lsn(found[0]) < VersionKeys.lsn(k)) {
                    throw new WalException("a compacted version named by a stub is missing from the tier's segments",
                            branch, VersionKeys.lsn(k), null);
                }
                return found[1];
            }
        }
        return null;
    }

    /** Moves the {@code latest} iterator past every entry of userKey: a few steps, then a seek. */
    void skipPast(byte[] userKey) {
        for (int s = 0; s < STEPS_BEFORE_SEEK; s++) {
            latest.next();
            keysRead++;
            if (!latest.isValid() || !LatestKeys.isEntryOf(latest.key(), userKey)) {
                return;
            }
        }
        latest.seek(LatestKeys.pastEntriesOf(userKey));
        keysRead++;
    }

    /** Moves the {@code latest} iterator forward to the first key at or after target: a few steps, then a seek. */
    private void moveTo(byte[] target) {
        for (int s = 0; s < STEPS_BEFORE_SEEK; s++) {
            latest.next();
            keysRead++;
            if (!latest.isValid() || Arrays.compareUnsigned(latest.key(), target) >= 0) {
                return;
            }
        }
        latest.seek(target);
        keysRead++;
    }
}
