package dev.argon.engine.vc;

import dev.argon.engine.store.DataView;
import dev.argon.engine.store.Store;
import dev.argon.wal.ReadView;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * {@code diff A B}: the documents that differ between two states, as {@code git diff A B} — {@code added}
 * means present in B and absent in A. Reads only the log entries since the states diverged plus one point
 * read per candidate on each side. Stateless.
 */
public final class Differ {
    /** The changes and how many log entries were read to find them (for tests that bound the work). */
    public record Result(List<BsonDocument> changes, int entriesRead) {}

    private Differ() {}

    public static Result diff(Store store, ReadView a, ReadView b, String nsFilter, boolean full) {
        ChangeSet cs = ChangeSet.between(store.wal(), a, b);
        DataView va = store.view(a);
        DataView vb = store.view(b);
        List<BsonDocument> out = new ArrayList<>();
        for (String ns : cs.namespaces()) {
            if (nsFilter != null && !nsFilter.equals(ns)) {
                continue;
            }
            for (BsonValue id : cs.candidates(ns, va, vb)) {
                BsonDocument da = ChangeSet.document(va, ns, id);
                BsonDocument db = ChangeSet.document(vb, ns, id);
                BsonDocument change = change(ns, id, da, db, full);
                if (change != null) {
                    out.add(change);
                }
            }
        }
        return new Result(out, cs.entriesRead);
    }

    static BsonDocument change(String ns, BsonValue id, BsonDocument da, BsonDocument db, boolean full) {
        if (da == null && db == null) {
            return null;
        }
        String kind;
        BsonArray fields = new BsonArray();
        if (da == null) {
            kind = "added";
        } else if (db == null) {
            kind = "removed";
        } else if (da.equals(db)) {
            return null;
        } else {
            kind = "changed";
            for (String f : ChangeSet.changedFields(da, db)) {
                fields.add(new BsonString(f));
            }
        }
        BsonDocument d = new BsonDocument("ns", new BsonString(ns)).append("id", id).append("kind", new BsonString(kind))
                .append("fields", fields);
        if (full) {
            d.append("from", da == null ? BsonNull.VALUE : da).append("to", db == null ? BsonNull.VALUE : db);
        }
        return d;
    }
}
