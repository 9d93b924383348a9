package dev.argon.wal;

import java.util.Arrays;
import org.rocksdb.RocksIterator;

/**
 * Finds the version of one user key that a {@link ReadView} sees, on a RocksDB iterator over the
 * {@code versions} family ({@link VersionKeys}: {@code userKey | ~branchId | ~lsn}).
 *
 * <p>The view's ancestry, nearest first, is a descending run of branch ids, and a key's version groups come in
 * descending id order, so the walk visits each group at most once and never goes back: from the current
 * position it skips ancestry members whose groups lie behind it (they hold nothing the view can see), and
 * when it stands in a group it does not want (a branch outside the ancestry, or versions newer than the
 * member's bound) it jumps to the next member's group at that member's bound. A jump is a few {@code next()}
 * calls and then a seek, as RocksDB's own {@code max_sequential_skip_in_iterations} does, so a long run of
 * unwanted versions (a document updated 100,000 times, an agent branch hammering one key) costs one seek, not
 * one step per version. The cost of a read is therefore bounded by the number of ancestry members that wrote
 * the key, never by the number of versions. Not thread-safe (it drives the caller's iterator); stateless
 * apart from the step counter.
 */
final class VersionCursor {
    /** {@code next()} calls tried before a jump falls back to a seek. */
    static final int STEPS_BEFORE_SEEK = 4;

    private final RocksIterator it;
    private long keysRead;

    VersionCursor(RocksIterator it) {
        this.it = it;
    }

    /** RocksDB entries stepped onto so far (seeks count one), for tests that prove work is bounded. */
    long keysRead() {
        return keysRead;
    }

    /** Seeks and resolves: the raw value visible in view for userKey, or null if none (absent, not a tombstone check). */
    byte[] read(ReadView view, byte[] userKey) {
        it.seek(VersionKeys.key(userKey, view.branchIdAt(0), view.boundAt(0)));
        keysRead++;
        return resolve(view, userKey);
    }

    /**
     * From the current position, which must be at or before the first version of userKey that view can see
     * (for example on userKey's first version, or where {@link #read} seeks), returns the raw value of the
     * visible version and leaves the iterator on it; or returns null, the iterator past the versions it needed.
     */
    byte[] resolve(ReadView view, byte[] userKey) {
        int n = view.depth();
        int i = 0;
        while (it.isValid()) {
            byte[] k = it.key();
            if (!VersionKeys.isVersionOf(k, userKey)) {
                return null;
            }
            int b = VersionKeys.branchId(k);
            while (i < n && view.branchIdAt(i) > b) {
                i++;
            }
            if (i == n) {
                return null;
            }
            if (b == view.branchIdAt(i) && VersionKeys.lsn(k) <= view.boundAt(i)) {
                return it.value();
            }
            // A branch outside the ancestry, or versions above the member's bound: jump to what the member can see.
            moveTo(VersionKeys.key(userKey, view.branchIdAt(i), view.boundAt(i)));
        }
        return null;
    }

    /** Moves past every version of userKey: a few steps, then a seek. */
    void skipPast(byte[] userKey) {
        for (int s = 0; s < STEPS_BEFORE_SEEK; s++) {
            it.next();
            keysRead++;
            if (!it.isValid() || !VersionKeys.isVersionOf(it.key(), userKey)) {
                return;
            }
        }
        it.seek(VersionKeys.pastVersionsOf(userKey));
        keysRead++;
    }

    /** Moves forward to the first key at or after target: a few steps, then a seek. */
    private void moveTo(byte[] target) {
        for (int s = 0; s < STEPS_BEFORE_SEEK; s++) {
            it.next();
            keysRead++;
            if (!it.isValid() || Arrays.compareUnsigned(it.key(), target) >= 0) {
                return;
            }
        }
        it.seek(target);
        keysRead++;
    }
}
