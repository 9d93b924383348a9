package dev.argon.wal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;

/**
 * What a consistency check of a data directory found: the problems (each under a stable check name that
 * scripts can match on) and how much was looked at. The wal layer fills in the structural checks, the
 * engine layer the document and index checks. Not thread-safe; one per run.
 */
public final class FsckReport {
    /** Check names, stable for scripts ({@code argon fsck --json}). */
    public static final String CHECKSUM = "checksum";
    public static final String UNREADABLE = "unreadable";
    public static final String LAST_LSN = "last-lsn";
    public static final String LOG_OUTSIDE_COMMIT = "log-outside-commit";
    public static final String COMMIT_RANGE = "commit-range";
    public static final String COMMIT_INDEX = "commit-index";
    public static final String BRANCH_HEAD = "branch-head";
    public static final String BRANCH_ANCESTRY = "branch-ancestry";
    public static final String TAG = "tag";
    /** A streamed commit's unpublished or abandoned chunks ({@code staging/}, {@code abandoned/} records). */
    public static final String STAGED = "staged";
    public static final String VERSION_ORPHAN = "version-orphan";
    public static final String VERSION_MISSING = "version-missing";
    public static final String VERSION_EXTRA = "version-extra";
    public static final String LATEST = "latest";
    /** A stub whose compacted versions the tier does not hold, or cannot be read. */
    public static final String TIER = "tier";
    public static final String DOCUMENT = "document";
    public static final String INDEX_MISSING = "index-missing";
    public static final String INDEX_STALE = "index-stale";

    /** One inconsistency; branchId and lsn are -1 when they do not apply. */
    public record Problem(String check, String message, int branchId, long lsn) {
        @Override
        public String toString() {
            return check + ": " + message + (branchId >= 0 ? " (branch id " + branchId + ")" : "") + (lsn >= 0 ? " (lsn " + lsn + ")" : "");
        }
    }

    /** Enough to see the pattern of a damage; beyond it problems are only counted, so memory stays bounded. */
    static final int MAX_LISTED = 1000;

    private final List<Problem> problems = new ArrayList<>();
    private long problemCount;
    private final Map<String, Long> counts = new LinkedHashMap<>();

    public void problem(String check, String message, int branchId, long lsn) {
        problemCount++;
        if (problems.size() < MAX_LISTED) {
            problems.add(new Problem(check, message, branchId, lsn));
        }
    }

    /** Adds n to a statistic (log entries, versions, documents, index entries read). */
    public void count(String what, long n) {
        counts.merge(what, n, Long::sum);
    }

    public boolean clean() {
        return problemCount == 0;
    }

    /** The problems found, at most {@value #MAX_LISTED} of them. */
    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    /** How many problems were found, listed or not. */
    public long problemCount() {
        return problemCount;
    }

    public boolean has(String check) {
        return problems.stream().anyMatch(p -> p.check().equals(check));
    }

    public Map<String, Long> counts() {
        return Map.copyOf(counts);
    }

    /** {@code {clean, problemCount, problems: [{check, message, branchId?, lsn?}], counts: {...}}}. */
    public BsonDocument toBson() {
        BsonArray list = new BsonArray();
        for (Problem p : problems) {
            BsonDocument d = new BsonDocument("check", new BsonString(p.check())).append("message", new BsonString(p.message()));
            if (p.branchId() >= 0) {
                d.append("branchId", new BsonInt32(p.branchId()));
            }
            if (p.lsn() >= 0) {
                d.append("lsn", new BsonInt64(p.lsn()));
            }
            list.add(d);
        }
        BsonDocument c = new BsonDocument();
        counts.forEach((k, v) -> c.append(k, new BsonInt64(v)));
        return new BsonDocument("clean", BsonBoolean.valueOf(clean())).append("problemCount", new BsonInt64(problemCount))
                .append("problems", list).append("counts", c);
    }
}
