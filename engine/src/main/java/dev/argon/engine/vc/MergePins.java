package dev.argon.engine.vc;

import dev.argon.wal.Bytes;
import dev.argon.wal.GcMarks;
import dev.argon.wal.KeyWrite;
import dev.argon.wal.VersionStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The points merge marks need kept for history GC: each mark's source state, which the next merge between the
 * same two lineages reads as its base. Stateless.
 */
public final class MergePins {
    private MergePins() {}

    /** The source state (branch id, LSN) of every merge mark in the current format. */
    public static List<GcMarks.Point> sourcePoints(VersionStore wal) {
        List<GcMarks.Point> out = new ArrayList<>();
        for (KeyWrite m : wal.metaScan(MergeMark.PREFIX)) {
            byte[] v = m.payload();
            if (v != null && v.length == MergeMark.VALUE_BYTES) {
                out.add(new GcMarks.Point(Bytes.getInt(v, 0), Bytes.getLong(v, 4)));
            }
        }
        return out;
    }
}
