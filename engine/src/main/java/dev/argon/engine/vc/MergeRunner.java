package dev.argon.engine.vc;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.cursor.DocSize;
import dev.argon.engine.store.Store;
import dev.argon.wal.Branch;
import dev.argon.wal.CommitResult;
import dev.argon.wal.VersionStore;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt64;

/**
 * Runs a merge: a preview (counts from one walk of the plan, conflicts from a second, lazy one) or an apply
 * (one commit under the target's write lock, carrying the merge mark in the same batch). Replies never hold
 * more than a bounded list of conflicts. Stateless.
 */
public final class MergeRunner {
    /** Conflicts listed in an apply reply or a refusal: enough to act on, far below the 16 MB reply limit. */
    public static final int MAX_LISTED_CONFLICTS = 100;
    /** Beyond this many bytes of listed conflicts, further ones are listed without their documents. */
    static final int MAX_LISTED_BYTES = 4 * 1024 * 1024;
    /**
     * Planned document changes up to which a merge with strategy fail is applied in one walk: so few always fit in
     * one commit, so a conflict met late costs nothing to throw away. Larger ones count their conflicts first.
     */
    static final long MAX_UNCOUNTED_CHANGES = 1_000;

    private MergeRunner() {}

    /** An applied merge: the target's head after it, what changed, and the first conflicts it settled. */
    public record Applied(BsonDocument counts, long headLsn, long conflictCount, BsonArray conflicts, BsonDocument points) {}

    /**
     * A planned merge: the counts of the whole plan and a lazy walk that yields its conflicts (close it, or
     * hand it to a cursor as its resource).
     */
    public record Preview(BsonDocument counts, long headLsn, long conflictCount, Merger.Walk conflicts, BsonDocument points) {}

    public static Preview preview(Store store, Branch source, Branch target, Merger.Strategy strategy) {
        Merger m = new Merger(store, source, target, strategy);
        try (Merger.Walk counting = m.walk(null)) {
            counting.finish();
            return new Preview(counting.counts(), m.targetHeadLsn(), counting.conflictCount(), m.walk(null), m.points());
        }
    }

    /**
     * Applies the merge as one commit. Refused with 112 WriteConflict when {@code expectHeadLsn} is given and the
     * target moved, and with 96 OperationFailed (listing conflicts) when the strategy is fail and any exist.
     */
    public static Applied apply(Store store, Branch source, Branch target, Merger.Strategy strategy, Long expectHeadLsn,
                                String actor, String comment, boolean sync) {
        VersionStore wal = store.versions();
        try (Store.Write w = store.beginWrite(target.id())) {
            Branch t = wal.branch(target.id());
            long head = t.headLsn();
            if (expectHeadLsn != null && expectHeadLsn != head) {
                throw new ArgonException(MongoErrorCode.WRITE_CONFLICT, "branch '" + target.name() + "' moved since the preview: expected head "
                        + expectHeadLsn + ", it is now " + head + "; preview the merge again");
            }
            Merger m = new Merger(store, wal.branch(source.id()), t, strategy);
            if (strategy == Merger.Strategy.FAIL && m.plannedChanges() > MAX_UNCOUNTED_CHANGES) {
                // A refused merge must leave nothing behind. A large one would stage chunks before meeting its first
                // conflict, and discarding them retires the target's branch id; so count its conflicts first.
                try (Merger.Walk counting = m.walk(null)) {
                    Listing early = new Listing();
                    while (counting.hasNext()) {
                        early.add(counting.next());
                    }
                    if (counting.conflictCount() > 0) {
                        throw refused(source, target, counting.conflictCount(), early);
                    }
                }
            }
            w.session().bypassValidation();
            w.session().attribute(actor, comment);
            Listing listed = new Listing();
            try (Merger.Walk walk = m.walk(w.session())) {
                while (walk.hasNext()) {
                    listed.add(walk.next());
                    if (strategy == Merger.Strategy.FAIL) {
                        // The merge will be refused: keep counting conflicts, stop staging writes.
                        walk.stopApplying();
                    }
                }
                if (walk.conflictCount() > 0 && strategy == Merger.Strategy.FAIL) {
                    throw refused(source, target, walk.conflictCount(), listed);
                }
                // Through the session, so a journaled merge waits for its fsync after the branch lock is released
                // (Store.Write.close), not while the target's writers queue behind it.
                CommitResult r = w.session().commit(actor, comment, sync, List.of(m.markWrite()));
                return new Applied(walk.counts(), r == null ? head : r.endLsn(), walk.conflictCount(), listed.conflicts, m.points());
            }
        }
    }

    private static ArgonException refused(Branch source, Branch target, long conflictCount, Listing listed) {
        return new ArgonException(MongoErrorCode.OPERATION_FAILED, "merging '" + source.name() + "' into '" + target.name() + "' has "
                + conflictCount + " conflict(s); nothing was applied. Resolve them on a branch, or merge with strategy 'ours' or 'theirs'"
                + (conflictCount > listed.conflicts.size() ? " (the first " + listed.conflicts.size() + " are listed; preview the merge to page through all)" : ""),
                new BsonDocument("conflicts", listed.conflicts).append("conflictCount", new BsonInt64(conflictCount)));
    }

    /** The first conflicts, bounded in number and in bytes. Not thread-safe. */
    private static final class Listing {
        final BsonArray conflicts = new BsonArray();
        private long bytes;

        void add(BsonDocument c) {
            if (conflicts.size() >= MAX_LISTED_CONFLICTS) {
                return;
            }
            BsonDocument listed = c;
            int size = DocSize.estimate(c);
            if (bytes + size > MAX_LISTED_BYTES) {
                listed = new BsonDocument("ns", c.get("ns")).append("kind", c.get("kind")).append("id", c.get("id"))
                        .append("fields", c.get("fields"));
                size = DocSize.estimate(listed);
            }
            bytes += size;
            conflicts.add(listed);
        }
    }
}
