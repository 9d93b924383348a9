package dev.argon.engine.vc;

import dev.argon.wal.LogRecord;
import dev.argon.wal.ReadView;
import dev.argon.wal.Wal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The commits a branch can see, newest first: its own, then each ancestor's up to the fork point. Commit
 * records come from the per-branch commit index; only an {@code _id} filter reads log entries. Stateless.
 */
public final class History {
    /** Filters of branchLog; null fields do not filter. LSN bounds are inclusive. */
    public record Filter(String ns, BsonValue id, String actor, Long fromLsn, Long toLsn, Long fromTime, Long toTime) {}

    private History() {}

    public static List<BsonDocument> commits(Wal wal, ReadView view, Filter f, long skip, long limit) {
        List<BsonDocument> out = new ArrayList<>();
        long skipped = 0;
        Predicate<BsonDocument> match = c -> matches(wal, c, f);
        for (int i = 0; i < view.depth(); i++) {
            long hi = view.boundAt(i);
            if (f.toLsn() != null) {
                hi = Math.min(hi, f.toLsn());
            }
            long lo = f.fromLsn() != null ? Math.max(0, f.fromLsn() - 1) : 0;
            if (hi <= lo) {
                continue;
            }
            for (BsonDocument c : wal.commits(view.branchIdAt(i), lo, hi)) {
                if (!match.test(c)) {
                    continue;
                }
                if (skipped < skip) {
                    skipped++;
                    continue;
                }
                out.add(c);
                if (limit > 0 && out.size() >= limit) {
                    return out;
                }
            }
        }
        return out;
    }

    private static boolean matches(Wal wal, BsonDocument c, Filter f) {
        if (f.ns() != null && !c.getDocument("counts").containsKey(f.ns())) {
            return false;
        }
        if (f.actor() != null && !(c.isString("actor") && c.getString("actor").getValue().equals(f.actor()))) {
            return false;
        }
        long time = c.getInt64("time").getValue();
        if ((f.fromTime() != null && time < f.fromTime()) || (f.toTime() != null && time > f.toTime())) {
            return false;
        }
        if (f.id() != null) {
            for (LogRecord r : wal.logRange(c.getInt64("startLsn").getValue(), c.getInt64("lsn").getValue())) {
                if (f.id().equals(r.id()) && (f.ns() == null || f.ns().equals(r.ns()))) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }
}
