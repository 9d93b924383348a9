package dev.argon.engine.vc;

import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.WriteSession;
import dev.argon.wal.LogEntry;
import dev.argon.wal.LogRecord;
import dev.argon.wal.LogScan;
import dev.argon.wal.VersionStore;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;

/**
 * Appends the inverse of a set of commits: newest entry first, each document goes back to its pre-image,
 * but only if it still is what that entry wrote; a document changed since by anyone else is reported as a
 * conflict and left alone. Catalog changes are reported as skipped. Entries are read one at a time, newest
 * commit first and each commit backwards, and the session stages chunks as it goes, so memory does not grow
 * with the size of what is reverted; the reply lists at most {@link MergeRunner#MAX_LISTED_CONFLICTS} conflicts
 * and skipped entries each, and counts them all. Not thread-safe.
 */
public final class Reverter {
    private final BsonArray conflicts = new BsonArray();
    private final BsonArray skipped = new BsonArray();
    private long conflictCount;
    private long skippedCount;
    private int reverted;

    /** Reverts the entries of the given commit records (each with branchId, startLsn and lsn) into the session. */
    public void revert(VersionStore wal, WriteSession session, List<BsonDocument> commits) {
        // The commits one view sees never overlap in LSNs, so newest commit first, each read backwards, is
        // newest entry first overall.
        List<BsonDocument> newestFirst = new ArrayList<>(commits);
        newestFirst.sort((a, b) -> Long.compare(b.getInt64("lsn").getValue(), a.getInt64("lsn").getValue()));
        for (BsonDocument c : newestFirst) {
            try (LogScan entries = wal.scanLog(c.getInt32("branchId").getValue(), c.getInt64("startLsn").getValue(),
                    c.getInt64("lsn").getValue(), true)) {
                while (entries.hasNext()) {
                    revert(session, entries.next());
                }
            }
        }
    }

    private void revert(WriteSession session, LogRecord e) {
        if (e.op().equals(LogEntry.CATALOG)) {
            if (skippedCount++ < MergeRunner.MAX_LISTED_CONFLICTS) {
                skipped.add(new BsonDocument("ns", new BsonString(e.ns())).append("lsn", new BsonInt64(e.lsn()))
                        .append("action", e.id()));
            }
            return;
        }
        String[] dc = ChangeSet.split(e.ns());
        CollectionInfo c = session.collection(dc[0], dc[1]);
        BsonDocument current = c == null ? null : session.document(c, e.id());
        boolean unchanged = e.post() == null ? current == null : e.post().equals(current);
        if (!unchanged) {
            if (conflictCount++ < MergeRunner.MAX_LISTED_CONFLICTS) {
                conflicts.add(new BsonDocument("ns", new BsonString(e.ns())).append("id", e.id())
                        .append("lsn", new BsonInt64(e.lsn()))
                        .append("expected", e.post() == null ? BsonNull.VALUE : e.post())
                        .append("current", current == null ? BsonNull.VALUE : current));
            }
            return;
        }
        if (e.pre() == null) {
            session.delete(c, current);
        } else {
            CollectionInfo target = c != null ? c : session.collectionForWrite(dc[0], dc[1]);
            if (current == null) {
                session.insert(target, e.pre());
            } else {
                session.update(target, current, e.pre());
            }
        }
        reverted++;
    }

    public BsonDocument report() {
        return new BsonDocument("reverted", new org.bson.BsonInt32(reverted)).append("conflicts", conflicts).append("skipped", skipped)
                .append("conflictCount", new BsonInt64(conflictCount)).append("skippedCount", new BsonInt64(skippedCount));
    }
}
