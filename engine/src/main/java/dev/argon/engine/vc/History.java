package dev.argon.engine.vc;

import dev.argon.wal.CommitScan;
import dev.argon.wal.LogRecord;
import dev.argon.wal.LogScan;
import dev.argon.wal.ReadView;
import dev.argon.wal.VersionStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The commits a branch can see, newest first: its own, then each ancestor's up to the fork point. Commit
 * records come from the per-branch commit index, one at a time; only an {@code _id} filter reads log entries.
 * Stateless.
 */
public final class History {
    /** Filters of branchLog; null fields do not filter. LSN bounds are inclusive. */
    public record Filter(String ns, BsonValue id, String actor, Long fromLsn, Long toLsn, Long fromTime, Long toTime) {}

    private History() {}

    /** Every matching commit as a list (for callers that need them all at once, such as revert). */
    public static List<BsonDocument> commits(VersionStore wal, ReadView view, Filter f, long skip, long limit) {
        List<BsonDocument> out = new ArrayList<>();
        try (Commits c = scan(wal, view, f, skip, limit)) {
            c.forEachRemaining(out::add);
        }
        return out;
    }

    /** The matching commits, read lazily as the caller advances; a limit of 0 means all. Close it. */
    public static Commits scan(VersionStore wal, ReadView view, Filter f, long skip, long limit) {
        return new Commits(wal, view, f, skip, limit);
    }

    /** Matching commit records, newest first. Not thread-safe; close it (it holds a storage iterator). */
    public static final class Commits implements Iterator<BsonDocument>, AutoCloseable {
        private final VersionStore wal;
        private final ReadView view;
        private final Filter f;
        private final long limit;
        private long toSkip;
        private long returned;
        private int member = -1;
        private CommitScan current;
        private BsonDocument next;

        private Commits(VersionStore wal, ReadView view, Filter f, long skip, long limit) {
            this.wal = wal;
            this.view = view;
            this.f = f;
            this.toSkip = skip;
            this.limit = limit;
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                if (limit > 0 && returned >= limit) {
                    close();
                    return false;
                }
                if (current != null && current.hasNext()) {
                    BsonDocument c = current.next();
                    if (!matches(wal, c, f)) {
                        continue;
                    }
                    if (toSkip > 0) {
                        toSkip--;
                        continue;
                    }
                    next = c;
                    continue;
                }
                closeCurrent();
                if (!openNextMember()) {
                    return false;
                }
            }
            return true;
        }

        private boolean openNextMember() {
            while (++member < view.depth()) {
                long hi = view.boundAt(member);
                if (f.toLsn() != null) {
                    hi = Math.min(hi, f.toLsn());
                }
                long lo = f.fromLsn() != null ? Math.max(0, f.fromLsn() - 1) : 0;
                if (hi > lo) {
                    current = wal.scanCommits(view.branchIdAt(member), lo, hi);
                    return true;
                }
            }
            return false;
        }

        @Override
        public BsonDocument next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            BsonDocument c = next;
            next = null;
            returned++;
            return c;
        }

        private void closeCurrent() {
            if (current != null) {
                current.close();
                current = null;
            }
        }

        @Override
        public void close() {
            closeCurrent();
            member = view.depth();
        }
    }

    private static boolean matches(VersionStore wal, BsonDocument c, Filter f) {
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
            try (LogScan entries = wal.scanLog(c.getInt32("branchId").getValue(), c.getInt64("startLsn").getValue(),
                    c.getInt64("lsn").getValue(), false)) {
                while (entries.hasNext()) {
                    LogRecord r = entries.next();
                    if (f.id().equals(r.id()) && (f.ns() == null || f.ns().equals(r.ns()))) {
                        return true;
                    }
                }
            }
            return false;
        }
        return true;
    }
}
