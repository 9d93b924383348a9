package dev.argon.engine.vc;

import dev.argon.wal.Branch;
import dev.argon.wal.ReadView;
import dev.argon.wal.VersionStore;

/**
 * Chooses the base of a three-way merge: the latest state that both the source and the target contain. The
 * candidates are the fork point of the two ancestries, the source state the last merge of source into target
 * took (if the target still holds that merge), and the target state the last merge in the other direction took
 * (if the source still holds it). Taking the latest one is what keeps repeated and criss-cross merges free of
 * false conflicts: after A into B and B into A, the next A into B starts from what B gave A, not from the fork.
 * Stateless.
 */
final class MergeBase {
    private MergeBase() {}

    static ReadView choose(VersionStore wal, Branch source, Branch target, ReadView s, ReadView t) {
        ReadView best = ReadView.common(s, t);
        MergeMark intoTarget = MergeMark.read(wal, source, target);
        boolean bestIsIntoTarget = false;
        if (intoTarget != null && intoTarget.landedIn(wal, t)) {
            // Meeting the merged source state through s's ancestry also covers a source reset below it.
            ReadView merged = ReadView.common(s, intoTarget.sourceView(wal));
            if (contains(merged, best)) {
                best = merged;
                bestIsIntoTarget = true;
            }
        }
        MergeMark intoSource = MergeMark.read(wal, target, source);
        if (intoSource != null && intoSource.landedIn(wal, s)) {
            ReadView merged = ReadView.common(t, intoSource.sourceView(wal));
            // A target state is later than a merged source state only if it already holds that merge; two
            // merges that crossed (neither holds the other) keep the first candidate.
            boolean later = bestIsIntoTarget ? intoTarget.landedIn(wal, merged) : contains(merged, best);
            if (later) {
                best = merged;
            }
        }
        return best;
    }

    /**
     * True if state {@code big} contains state {@code small} along their shared ancestry: every member of small
     * that contributes entries is in big with at least the same bound. A member contributes nothing when its
     * bound is not above its fork point, which is when the next member's bound equals its own.
     */
    static boolean contains(ReadView big, ReadView small) {
        for (int i = 0; i < small.depth(); i++) {
            long bound = small.boundAt(i);
            boolean contributes = bound > 0 && (i + 1 == small.depth() || small.boundAt(i + 1) != bound);
            if (contributes && big.boundFor(small.branchIdAt(i)) < bound) {
                return false;
            }
        }
        return true;
    }
}
