package dev.argon.wal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonValue;

/**
 * What the GC has given up, and so what no read may ask for any more: the history horizon (no point below it
 * is readable, except pinned points), per branch id the ceiling above which its entries are reclaimed
 * ({@code -1}: nothing of it is readable), and the pinned points below the horizon that stay readable (tags,
 * fork points of live branches, merge marks). Published before anything is deleted, so a read, branch or tag
 * checked against the marks never lands on something that is going; persisted in the metadata under
 * {@code gcMarks} so that a restart keeps refusing. Only ever narrows: the horizon rises, ceilings fall.
 * Immutable and thread-safe.
 *
 * @param reclaimedThrough the last LSN of the data directory when the GC last deleted anything (0: never);
 *                         fsck accepts holes in the LSN sequence up to it
 */
public record GcMarks(long horizon, long reclaimedThrough, Map<Integer, Long> ceilings, Set<Point> pinned) {
    /** One read point: a branch id at an LSN. */
    public record Point(int branchId, long lsn) {}

    static final byte[] KEY = "gcMarks".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    public static final GcMarks NONE = new GcMarks(0, 0, Map.of(), Set.of());

    public GcMarks {
        ceilings = Map.copyOf(ceilings);
        pinned = Set.copyOf(pinned);
    }

    /** The highest readable point of a branch id; MAX_VALUE when nothing of it was reclaimed. */
    public long ceiling(int branchId) {
        Long c = ceilings.get(branchId);
        return c == null ? Long.MAX_VALUE : c;
    }

    /**
     * Whether a view of branch b at point p (rounded to a commit, not yet capped at the head) still reads what
     * it read before any GC: the head of a live branch always; otherwise a point at or above the horizon and
     * at or below the branch's ceiling, or a pinned point.
     */
    public boolean readable(Branch b, long p) {
        long q = Math.min(p, b.headLsn());
        if (q > ceiling(b.id())) {
            return false;
        }
        if (b.name() != null && q == b.headLsn()) {
            return true;
        }
        return q >= horizon || pinned.contains(new Point(b.id(), q));
    }

    /**
     * Whether GC may have removed versions written by branchId at lsn (without deleting its log entry yet, or at
     * all): below the horizon superseded versions go; above a ceiling everything goes. For fsck.
     */
    public boolean mayHaveReclaimed(int branchId, long lsn) {
        return lsn <= horizon || lsn > ceiling(branchId);
    }

    /** A message for a refused point, naming what it ran into. */
    String refusal(Branch b, long p) {
        String who = b.name() != null ? "branch '" + b.name() + "'" : "branch id " + b.id() + " (deleted or reset)";
        long q = Math.min(p, b.headLsn());
        if (q > ceiling(b.id())) {
            return "the history of " + who + " above lsn " + ceiling(b.id()) + " was reclaimed by GC: no name reached it any more"
                    + " (it was dropped, or abandoned by a reset older than the reflog window); lsn " + q + " cannot be read";
        }
        return "lsn " + q + " of " + who + " is below the history horizon (lsn " + horizon + "; --history-retention):"
                + " time travel, branches and tags there are no longer possible; use a point at or above lsn " + horizon;
    }

    byte[] encode() {
        BsonArray cs = new BsonArray();
        for (Map.Entry<Integer, Long> e : new java.util.TreeMap<>(ceilings).entrySet()) {
            cs.add(new BsonDocument("id", new BsonInt32(e.getKey())).append("lsn", new BsonInt64(e.getValue())));
        }
        BsonArray ps = new BsonArray();
        for (Point p : pinned) {
            ps.add(new BsonDocument("id", new BsonInt32(p.branchId())).append("lsn", new BsonInt64(p.lsn())));
        }
        return Bson.bytes(new BsonDocument("horizon", new BsonInt64(horizon)).append("reclaimedThrough", new BsonInt64(reclaimedThrough))
                .append("ceilings", cs).append("pinned", ps));
    }

    static GcMarks decode(byte[] bytes) {
        if (bytes == null) {
            return NONE;
        }
        BsonDocument d = Bson.document(bytes);
        Map<Integer, Long> cs = new HashMap<>();
        for (BsonValue v : d.getArray("ceilings")) {
            cs.put(v.asDocument().getInt32("id").getValue(), v.asDocument().getInt64("lsn").getValue());
        }
        Set<Point> ps = new HashSet<>();
        for (BsonValue v : d.getArray("pinned")) {
            ps.add(new Point(v.asDocument().getInt32("id").getValue(), v.asDocument().getInt64("lsn").getValue()));
        }
        return new GcMarks(d.getInt64("horizon").getValue(), d.getInt64("reclaimedThrough").getValue(), cs, ps);
    }

    GcMarks withoutCeilings(Set<Integer> ids) {
        Map<Integer, Long> cs = new HashMap<>(ceilings);
        cs.keySet().removeAll(ids);
        return new GcMarks(horizon, reclaimedThrough, cs, pinned);
    }

    GcMarks withPinned(Point p) {
        Set<Point> ps = new HashSet<>(pinned);
        ps.add(p);
        return new GcMarks(horizon, reclaimedThrough, ceilings, ps);
    }

    GcMarks withReclaimedThrough(long lsn) {
        return new GcMarks(horizon, Math.max(reclaimedThrough, lsn), ceilings, pinned);
    }
}
