package dev.argon.wal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one GC pass keeps: for every branch id, the ranges of read points some name still reaches, and from them
 * the new {@link GcMarks}. Computed from metadata alone (branch records, tags, extra pins such as merge marks),
 * under the WAL's commit lock, so nothing can be created meanwhile. Immutable once built; thread-safe.
 *
 * <p>Roots, each a range of points {@code [lo, hi]} on one branch id that must read as before:
 * <ul>
 *   <li>a live branch: {@code [horizon, MAX]} (MAX: also whatever it writes later);</li>
 *   <li>a reset's old id, while the reset is younger than the reflog window ({@code name@point} reaches it):
 *       {@code [horizon, its head]};</li>
 *   <li>a tag at {@code t}: {@code [horizon, t]}, or just {@code t} when t is below the horizon (tags are always
 *       readable);</li>
 *   <li>an extra pin (a merge mark's source state): that point only.</li>
 * </ul>
 * A range on a branch needs its parent at {@code [min(lo, base), min(hi, base)]}, and so on up the ancestry:
 * that is how fork points pin their parents. As in a read ({@link BranchRegistry#view(int, long,
 * BranchRegistry.Rounding)}), each level's lo and hi are rounded to a commit boundary of that level's id: a point
 * at or below a branch's fork point (a tag, fork or reset point there) is its parent's state and may fall inside
 * a multi-entry commit of the parent. A branch id no range reaches is unreachable: all of it goes.
 * Ranges never reach above an earlier pass's ceiling (that data is already gone, and the marks refused every
 * read, branch and tag that would have needed it).
 */
public final class GcPlan {
    /** hi of a live branch's range: everything it has and will write. */
    static final long OPEN = Long.MAX_VALUE;

    private final long planLsn;
    private final long horizon;
    private final Map<Integer, Branch> branches;
    /** Per branch id, disjoint sorted ranges {lo, hi}. */
    private final Map<Integer, List<long[]>> ranges;
    private final Set<Integer> unreachable;
    private final Set<Integer> deletableRecords;
    private final GcMarks marks;

    private GcPlan(long planLsn, long horizon, Map<Integer, Branch> branches, Map<Integer, List<long[]>> ranges,
                   Set<Integer> unreachable, Set<Integer> deletableRecords, GcMarks marks) {
        this.planLsn = planLsn;
        this.horizon = horizon;
        this.branches = branches;
        this.ranges = ranges;
        this.unreachable = unreachable;
        this.deletableRecords = deletableRecords;
        this.marks = marks;
    }

    /**
     * @param all         every branch record, live or not
     * @param extraPins   single points to keep readable (branch id, lsn), e.g. merge marks' source states
     * @param planLsn     the last LSN when the plan is made: nothing written above it is touched
     * @param horizon     the history horizon for this pass (already at least the previous one)
     * @param nowMillis   the clock the reflog window is measured against
     * @param reflogWindowMillis how long a reset keeps its abandoned range readable through {@code name@point}
     * @param previous    the marks in force
     * @param rounding    {@link Wal#roundToCommit(int, long)}, as reads round each ancestry level
     */
    public static GcPlan compute(Collection<Branch> all, Collection<Tag> tags, Collection<GcMarks.Point> extraPins, long planLsn,
                                 long horizon, long nowMillis, long reflogWindowMillis, GcMarks previous,
                                 BranchRegistry.Rounding rounding) {
        Map<Integer, Branch> byId = new HashMap<>();
        for (Branch b : all) {
            byId.put(b.id(), b);
        }
        Map<Integer, List<long[]>> raw = new HashMap<>();
        for (Branch b : all) {
            if (b.name() == null) {
                continue;
            }
            pin(byId, previous, rounding, raw, b.id(), horizon, OPEN);
            // The reflog: name@point for a point before a reset reads the id the name had then.
            Branch cur = b;
            while (cur.replacesId() != 0) {
                Branch old = byId.get(cur.replacesId());
                if (old == null) {
                    break;
                }
                if (nowMillis - cur.createdAt() < reflogWindowMillis) {
                    pin(byId, previous, rounding, raw, old.id(), Math.min(horizon, old.headLsn()), old.headLsn());
                }
                cur = old;
            }
        }
        for (Tag t : tags) {
            pin(byId, previous, rounding, raw, t.branchId(), Math.min(horizon, t.lsn()), t.lsn());
        }
        for (GcMarks.Point p : extraPins) {
            pin(byId, previous, rounding, raw, p.branchId(), p.lsn(), p.lsn());
        }
        Map<Integer, List<long[]>> ranges = new HashMap<>();
        Map<Integer, Long> ceilings = new HashMap<>(previous.ceilings());
        Set<GcMarks.Point> pinned = new HashSet<>();
        Set<Integer> unreachable = new HashSet<>();
        for (Branch b : all) {
            List<long[]> rs = merge(raw.getOrDefault(b.id(), List.of()));
            if (rs.isEmpty()) {
                unreachable.add(b.id());
                ceilings.put(b.id(), -1L);
                continue;
            }
            ranges.put(b.id(), rs);
            long top = rs.get(rs.size() - 1)[1];
            if (b.name() == null && top < b.headLsn()) {
                ceilings.merge(b.id(), top, Math::min);
            }
            // From the ranges before they are joined: a point below the horizon joined to the range above it is
            // still a single pinned point, not the start of readable history.
            for (long[] r : raw.get(b.id())) {
                if (r[0] < horizon) {
                    pinned.add(new GcMarks.Point(b.id(), r[0]));
                }
            }
        }
        ceilings.keySet().retainAll(byId.keySet());
        Set<Integer> deletable = new HashSet<>(unreachable);
        deletable.remove(Branch.MAIN_ID);
        for (Tag t : tags) {
            deletable.remove(t.branchId());
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Branch b : all) {
                if (!deletable.contains(b.id())) {
                    changed |= deletable.remove(b.parentId()) | deletable.remove(b.replacesId());
                }
            }
        }
        GcMarks marks = new GcMarks(horizon, previous.reclaimedThrough(), ceilings, pinned);
        return new GcPlan(planLsn, horizon, byId, ranges, unreachable, deletable, marks);
    }

    /** Adds [lo, hi] on id and what it needs of each ancestor; ranges stop at earlier ceilings. */
    private static void pin(Map<Integer, Branch> byId, GcMarks previous, BranchRegistry.Rounding rounding,
                            Map<Integer, List<long[]>> raw, int id, long lo, long hi) {
        Branch b = byId.get(id);
        while (b != null) {
            // The bounds a read of this level uses: never inside one of its multi-entry commits, or the ceiling
            // would cut that commit's log entries while keeping its versions, and lo's "newest version at or
            // below" would be the wrong one.
            lo = rounding.round(b.id(), lo);
            hi = hi == OPEN ? OPEN : rounding.round(b.id(), hi);
            long top = Math.min(hi, previous.ceiling(b.id()));
            if (lo > top) {
                return;
            }
            raw.computeIfAbsent(b.id(), k -> new ArrayList<>()).add(new long[] {lo, top});
            lo = Math.min(lo, b.baseLsn());
            hi = Math.min(top, b.baseLsn());
            b = b.parentId() == 0 ? null : byId.get(b.parentId());
        }
    }

    /** Sorts ranges and joins those that overlap or touch. */
    private static List<long[]> merge(List<long[]> in) {
        List<long[]> sorted = new ArrayList<>(in);
        sorted.sort((a, b) -> Long.compare(a[0], b[0]));
        List<long[]> out = new ArrayList<>();
        for (long[] r : sorted) {
            long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && r[0] <= (last[1] == OPEN ? OPEN : last[1] + 1)) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                out.add(new long[] {r[0], r[1]});
            }
        }
        return out;
    }

    public long planLsn() {
        return planLsn;
    }

    public long horizon() {
        return horizon;
    }

    /** The marks this plan publishes. */
    public GcMarks marks() {
        return marks;
    }

    /** Branch ids nothing reaches: every version, log entry and commit of theirs goes. */
    public Set<Integer> unreachable() {
        return Set.copyOf(unreachable);
    }

    /** Unreachable ids whose record no other record or tag names any more: the record goes too. */
    public Set<Integer> deletableRecords() {
        return Set.copyOf(deletableRecords);
    }

    /** True if the plan knows the branch id (ids created after it are left alone). */
    boolean knows(int branchId) {
        return branches.containsKey(branchId);
    }

    Branch branch(int id) {
        return branches.get(id);
    }

    /** The ranges kept on a branch id (empty: unreachable). */
    List<long[]> ranges(int branchId) {
        return ranges.getOrDefault(branchId, List.of());
    }

    /**
     * Decides one branch's versions of one key. {@code lsns} are that branch's versions, newest first; returns
     * for each whether it must stay: every version above planLsn, and for each kept range {@code [lo, hi]} the
     * newest version at or below lo plus every version in {@code (lo, hi]}. An unknown branch keeps everything.
     */
    boolean[] keep(int branchId, long[] lsns) {
        boolean[] keep = new boolean[lsns.length];
        if (!knows(branchId)) {
            java.util.Arrays.fill(keep, true);
            return keep;
        }
        List<long[]> rs = ranges(branchId);
        for (int i = 0; i < lsns.length; i++) {
            long l = lsns[i];
            if (l > planLsn) {
                keep[i] = true;
                continue;
            }
            for (long[] r : rs) {
                if (l > r[0] && l <= r[1]) {
                    keep[i] = true;
                    break;
                }
            }
        }
        // The newest version at or below each range's lo: the state a view at exactly lo sees.
        for (long[] r : rs) {
            for (int i = 0; i < lsns.length; i++) {
                if (lsns[i] <= r[0]) {
                    keep[i] = true;
                    break;
                }
            }
        }
        return keep;
    }

    /** Ids whose ceiling mark is set (dead ids with reclaimed ranges, unreachable ids); -1 means everything. */
    Map<Integer, Long> ceilings() {
        return marks.ceilings();
    }
}
