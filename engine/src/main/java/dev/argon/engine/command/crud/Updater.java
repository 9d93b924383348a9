package dev.argon.engine.command.crud;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.exec.QueryPlan;
import dev.argon.engine.query.MatchDetails;
import dev.argon.engine.query.Matcher;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.DataView;
import dev.argon.engine.store.WriteSession;
import dev.argon.engine.update.UpdateSpec;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * One update statement inside a write session: find the targets (the first match, or all with multi, in
 * sort order when given), apply the update, keep {@code _id}, upsert when nothing matched. Shared by
 * {@code update} and {@code findAndModify}. Not thread-safe.
 */
final class Updater {
    /** What one statement did. oldDoc/newDoc are those of the last document touched. */
    record Outcome(int matched, int modified, BsonValue upsertedId, BsonDocument oldDoc, BsonDocument newDoc) {}

    private Updater() {}

    static Outcome apply(WriteSession s, CollectionInfo c, BsonDocument filter, BsonDocument sort, UpdateSpec spec,
                         boolean multi, boolean upsert, BsonDocument let, BsonValue hint) {
        BsonDocument q = filter == null ? new BsonDocument() : filter;
        // The plan matches the filter itself; matched again here only for the positional $'s match details.
        Matcher matcher = spec.needsMatchDetails() ? Matcher.compile(q, let) : null;
        int matched = 0;
        int modified = 0;
        BsonDocument lastOld = null;
        BsonDocument lastNew = null;
        // A multi update scans a fixed state of the session and writes as it goes, so that memory does not grow
        // with the number of documents (the session stages chunks) and no document is met twice. A single update
        // reads its one target through the session and closes the scan before writing.
        DataView source = multi ? s.frozen() : s;
        try (QueryPlan.Result r = QueryPlan.find(source, c, new QueryPlan.Query(q, sort, 0, multi ? 0 : 1, null, let, hint))) {
            BsonDocument single = null;
            if (!multi) {
                single = r.hasNext() ? r.next() : null;
                r.close();
            }
            while (multi ? r.hasNext() : single != null) {
                BsonDocument old = multi ? r.next() : single;
                single = null;
                matched++;
                MatchDetails details = null;
                if (matcher != null) {
                    details = new MatchDetails();
                    matcher.matches(old, details);
                }
                BsonDocument updated = spec.apply(old, details, false);
                checkId(old, updated);
                byte[] bson = Documents.validateAndEncodeUpdated(updated);
                lastOld = old;
                lastNew = updated;
                if (!updated.equals(old)) {
                    s.update(c, old, updated, bson, spec.isReplacement());
                    modified++;
                }
            }
        }
        if (matched > 0 || !upsert) {
            return new Outcome(matched, modified, null, lastOld, lastNew);
        }
        BsonDocument seed = spec.upsertSeed(q);
        BsonDocument inserted = Documents.prepareForUpsert(spec.isReplacement() ? seed : spec.apply(seed, null, true));
        s.insert(c, inserted);
        return new Outcome(0, 0, inserted.get("_id"), null, inserted);
    }

    private static void checkId(BsonDocument old, BsonDocument updated) {
        BsonValue before = old.get("_id");
        BsonValue after = updated.get("_id");
        if (after == null) {
            updated.put("_id", before);
        } else if (!after.equals(before)) {
            throw new ArgonException(MongoErrorCode.IMMUTABLE_FIELD, "After applying the update, the (immutable) field '_id' was found to have been altered to _id: "
                    + dev.argon.engine.store.DocFields.shellForm(after));
        }
    }
}
