package dev.argon.engine.vc;

import dev.argon.wal.Branch;
import dev.argon.wal.Bytes;
import dev.argon.wal.CommitScan;
import dev.argon.wal.KeyWrite;
import dev.argon.wal.ReadView;
import dev.argon.wal.VersionStore;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What the last merge of one branch into another recorded: the source state it merged ({@code sourceId} at
 * {@code sourceLsn}, the fixed view the merge was planned from) and where it landed (the first commit of
 * {@code targetId} above {@code targetBeforeLsn}, the target head the merge started from; nothing else can
 * commit to the target in between because the merge holds its write lock).
 *
 * <p>Marks are keyed by the <em>lineage roots</em> of the two branch names: a reset gives a name a new branch id
 * that {@code replacesId} the old one, so following {@code replacesId} back to the first id names the same
 * lineage across any number of resets (and across renames, which keep the id), while a branch deleted and
 * created again under the same name is a new lineage. Whether a mark still applies is then decided by content,
 * not by ids: the target must still contain the merge commit ({@link #landedIn}), and the source state is
 * met through {@link ReadView#common}, so a reset of either side that keeps the merged range keeps the mark
 * useful, and one that abandons it makes the mark fall away on its own. Immutable.
 */
record MergeMark(int sourceId, long sourceLsn, int targetId, long targetBeforeLsn) {
    static final byte[] PREFIX = "merge/".getBytes(StandardCharsets.UTF_8);
    static final int VALUE_BYTES = 24;

    /** The mark of the last merge of source's lineage into target's lineage, or null. */
    static MergeMark read(VersionStore wal, Branch source, Branch target) {
        byte[] v = wal.meta(key(wal, source, target));
        // Marks of the first format (8 bytes, keyed by branch id) carry no target side: ignored, so such a
        // merge falls back to the fork point once.
        if (v == null || v.length != VALUE_BYTES) {
            return null;
        }
        return new MergeMark(Bytes.getInt(v, 0), Bytes.getLong(v, 4), Bytes.getInt(v, 12), Bytes.getLong(v, 16));
    }

    /** The metadata write that records this mark, to go into the merge commit's batch. */
    KeyWrite write(VersionStore wal, Branch source, Branch target) {
        byte[] v = new byte[VALUE_BYTES];
        Bytes.putInt(v, 0, sourceId);
        Bytes.putLong(v, 4, sourceLsn);
        Bytes.putInt(v, 12, targetId);
        Bytes.putLong(v, 16, targetBeforeLsn);
        return KeyWrite.put(key(wal, source, target), v);
    }

    /** The source state this merge took. */
    ReadView sourceView(VersionStore wal) {
        return wal.viewAt(sourceId, sourceLsn);
    }

    /** True if a state contains the merge commit, and with it the merged source state. */
    boolean landedIn(VersionStore wal, ReadView v) {
        long bound = v.boundFor(targetId);
        if (bound <= targetBeforeLsn) {
            return false;
        }
        try (CommitScan c = wal.scanCommits(targetId, targetBeforeLsn, bound)) {
            return c.hasNext();
        }
    }

    static byte[] key(VersionStore wal, Branch source, Branch target) {
        byte[] k = Arrays.copyOf(PREFIX, PREFIX.length + 8);
        Bytes.putInt(k, PREFIX.length, lineageRoot(wal, source));
        Bytes.putInt(k, PREFIX.length + 4, lineageRoot(wal, target));
        return k;
    }

    /** The first branch id a name had: follows resets back through {@code replacesId}. */
    static int lineageRoot(VersionStore wal, Branch b) {
        Branch at = b;
        while (at.replacesId() != 0) {
            Branch prev = wal.branch(at.replacesId());
            if (prev == null) {
                return at.replacesId();
            }
            at = prev;
        }
        return at.id();
    }
}
