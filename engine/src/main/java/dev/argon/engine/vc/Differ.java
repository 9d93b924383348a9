package dev.argon.engine.vc;

import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.DataView;
import dev.argon.engine.store.Store;
import dev.argon.wal.ReadView;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * {@code diff A B}: the documents that differ between two states, as {@code git diff A B} — {@code added}
 * means present in B and absent in A. Reads only the log entries since the states diverged plus one point
 * read per candidate on each side, and produces the changes one at a time, so an answer of any size streams
 * through a cursor. Stateless.
 */
public final class Differ {
    private Differ() {}

    /**
     * The changes, in namespace then {@code _id} order, computed as they are read. Not thread-safe; close it.
     */
    public static final class Changes implements Iterator<BsonDocument>, AutoCloseable {
        private final ChangeSet cs;
        private final DataView va;
        private final DataView vb;
        private final boolean full;
        private final Iterator<String> namespaces;
        private String ns;
        private CollectionInfo ca;
        private CollectionInfo cb;
        private Candidates ids;
        private BsonDocument next;

        private Changes(ChangeSet cs, DataView va, DataView vb, boolean full) {
            this.cs = cs;
            this.va = va;
            this.vb = vb;
            this.full = full;
            this.namespaces = cs.namespaces().iterator();
        }

        /** Log entries read to find the candidates (tests use it to prove the work follows the change). */
        public int entriesRead() {
            return cs.entriesRead;
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                if (ids != null && ids.hasNext()) {
                    BsonValue id = ids.next();
                    next = change(ns, id, ca == null ? null : va.document(ca, id), cb == null ? null : vb.document(cb, id), full);
                    continue;
                }
                closeIds();
                if (!namespaces.hasNext()) {
                    return false;
                }
                ns = namespaces.next();
                String[] dc = ChangeSet.split(ns);
                ca = va.collection(dc[0], dc[1]);
                cb = vb.collection(dc[0], dc[1]);
                ids = cs.candidates(ns, va, vb);
            }
            return true;
        }

        @Override
        public BsonDocument next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            BsonDocument d = next;
            next = null;
            return d;
        }

        private void closeIds() {
            if (ids != null) {
                ids.close();
                ids = null;
            }
        }

        @Override
        public void close() {
            closeIds();
        }
    }

    /** The changes from state a to state b, optionally of one namespace; with full, both versions of each. */
    public static Changes diff(Store store, ReadView a, ReadView b, String nsFilter, boolean full) {
        ChangeSet cs = ChangeSet.between(store.versions(), a, b, nsFilter);
        return new Changes(cs, store.view(a).forReplies(), store.view(b).forReplies(), full);
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
