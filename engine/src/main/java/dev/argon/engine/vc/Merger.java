package dev.argon.engine.vc;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.DataView;
import dev.argon.engine.store.IndexInfo;
import dev.argon.engine.store.Store;
import dev.argon.engine.store.WriteSession;
import dev.argon.wal.Branch;
import dev.argon.wal.KeyWrite;
import dev.argon.wal.ReadView;
import dev.argon.wal.VersionStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * Three-way merge of a source branch into a target branch, planned from three fixed states: the source and the
 * target as they were when the merger was made, and the base chosen by {@link MergeBase}. Writes that land on
 * the source later are simply not part of this merge; the mark it records names the source state it took, so
 * the next merge starts there and nothing is lost.
 *
 * <p>Per document: a change on one side only is taken; the same change on both is nothing to do; different
 * changes to disjoint top-level fields merge field by field; anything else is a conflict, settled by the
 * strategy ({@code fail}, {@code ours} = target, {@code theirs} = source; both keep the other side's disjoint
 * field changes, as {@code git merge -X ours|theirs}). Per collection: creations, drops, options and indexes
 * are merged the same way; a collection dropped on one side and changed on the other (documents, options or
 * indexes) is a conflict, and resolving it for the side that kept the collection restores it whole, with
 * its options, indexes and every document.
 *
 * <p>Not thread-safe; one per merge. Its views are immutable, so {@link #walk} may be called more than once
 * (a preview counts in one walk and lists conflicts lazily in another).
 */
public final class Merger {
    /** The strategies of {@code git merge}: fail on conflicts, or keep ours (the target) or theirs (the source). */
    public enum Strategy { FAIL, OURS, THEIRS }

    private static final String[] COUNT_NAMES = {"insert", "update", "delete", "create", "drop", "catalog"};
    private static final int INSERT = 0;
    private static final int UPDATE = 1;
    private static final int DELETE = 2;
    private static final int CREATE = 3;
    private static final int DROP = 4;
    private static final int CATALOG = 5;

    private final Store store;
    private final VersionStore wal;
    private final Branch source;
    private final Branch target;
    private final Strategy strategy;
    private final ReadView sourceView;
    private final ReadView targetView;
    private final ReadView base;
    private final ChangeSet changes;

    /**
     * Fixes the source and target at their current heads and plans from them. To apply, make it while holding
     * the target's write lock, so that the target state is the one the write session reads.
     */
    public Merger(Store store, Branch source, Branch target, Strategy strategy) {
        this.store = store;
        this.wal = store.versions();
        this.source = source;
        this.target = target;
        this.strategy = strategy;
        this.sourceView = wal.headView(source.id());
        this.targetView = wal.headView(target.id());
        this.base = MergeBase.choose(wal, source, target, sourceView, targetView);
        this.changes = ChangeSet.from(wal, base, sourceView, null);
    }

    /** How many documents the plan looks at (ids written on the source since the base); catalog work aside. */
    public long plannedChanges() {
        return changes.size();
    }

    public long baseLsn() {
        return base.readLsn();
    }

    /** The source head this merge takes (and records). */
    public long sourceHeadLsn() {
        return sourceView.readLsn();
    }

    /** The target head this merge was planned against. */
    public long targetHeadLsn() {
        return targetView.readLsn();
    }

    /** The metadata write that records this merge, for the merge commit's batch. */
    public KeyWrite markWrite() {
        return new MergeMark(sourceView.branchId(), sourceView.readLsn(), targetView.branchId(), targetView.readLsn())
                .write(wal, source, target);
    }

    /**
     * Walks the whole plan; the iterator yields its conflicts as they are met. With a session (the target's,
     * whose reads must be the target state of this merger) each decided change is applied to it as the walk
     * passes; without one the walk only counts.
     */
    public Walk walk(WriteSession applyTo) {
        return new Walk(applyTo);
    }

    /**
     * One pass over the plan, namespace by namespace in name order and document by document in {@code _id}
     * order, reading every document lazily. Not thread-safe; close it.
     */
    public final class Walk implements Iterator<BsonDocument>, AutoCloseable {
        private WriteSession session;
        private final DataView vb;
        private final DataView vs;
        private final DataView vt;
        private final Iterator<String> namespaces;
        private final ArrayDeque<BsonDocument> pending = new ArrayDeque<>();
        private final Map<String, int[]> counts = new LinkedHashMap<>();
        private long conflictCount;
        private String ns;
        private String[] dc;
        private CollectionInfo cb;
        private CollectionInfo cs;
        private Candidates ids;

        private Walk(WriteSession session) {
            this.session = session;
            this.vb = store.view(base);
            this.vs = store.view(sourceView);
            this.vt = session != null ? session : store.view(targetView);
            this.namespaces = changes.namespaces().iterator();
        }

        /** Stops applying (the result will be thrown away, as for a refused merge); counting goes on. */
        public void stopApplying() {
            session = null;
        }

        @Override
        public boolean hasNext() {
            while (pending.isEmpty()) {
                if (ids != null && ids.hasNext()) {
                    BsonValue id = ids.next();
                    CollectionInfo ct = vt.collection(dc[0], dc[1]);
                    mergeDocument(id, cb == null ? null : vb.document(cb, id), cs == null ? null : vs.document(cs, id),
                            ct == null ? null : vt.document(ct, id));
                    continue;
                }
                closeIds();
                if (!namespaces.hasNext()) {
                    return false;
                }
                beginNamespace(namespaces.next());
            }
            return true;
        }

        @Override
        public BsonDocument next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return pending.poll();
        }

        /** Conflicts met so far (all of them once the walk is done). */
        public long conflictCount() {
            return conflictCount;
        }

        /** Changes per namespace so far: {@code {ns: {insert, update, delete, create, drop, catalog}}}. */
        public BsonDocument counts() {
            BsonDocument out = new BsonDocument();
            for (Map.Entry<String, int[]> e : counts.entrySet()) {
                BsonDocument d = new BsonDocument();
                for (int i = 0; i < COUNT_NAMES.length; i++) {
                    if (e.getValue()[i] > 0) {
                        d.append(COUNT_NAMES[i], new BsonInt32(e.getValue()[i]));
                    }
                }
                out.append(e.getKey(), d);
            }
            return out;
        }

        /** Runs the rest of the walk, keeping no conflicts. */
        public void finish() {
            while (hasNext()) {
                next();
            }
        }

        @Override
        public void close() {
            closeIds();
        }

        private void closeIds() {
            if (ids != null) {
                ids.close();
                ids = null;
            }
        }

        /** Settles the collection itself; opens the document candidates when documents are merged one by one. */
        private void beginNamespace(String name) {
            ns = name;
            dc = ChangeSet.split(ns);
            cb = vb.collection(dc[0], dc[1]);
            cs = vs.collection(dc[0], dc[1]);
            CollectionInfo ct = vt.collection(dc[0], dc[1]);
            if (cs == null) {
                if (cb != null && ct != null) {
                    droppedOnSource(ct);
                }
                return;
            }
            if (cb != null && ct == null) {
                droppedOnTarget();
                return;
            }
            if (ct == null) {
                if (session != null) {
                    CollectionInfo created = session.createCollection(dc[0], dc[1], cs.options());
                    for (IndexInfo i : cs.indexes()) {
                        created = session.addIndex(created, i.spec());
                    }
                }
                count(CREATE);
            } else {
                mergeCatalog(ct);
            }
            ids = changes.candidates(ns, vb, vs);
        }

        private void droppedOnSource(CollectionInfo ct) {
            List<String> changed = changedSince(ct, vt, ChangeSet.from(wal, base, targetView, ns));
            if (!changed.isEmpty()) {
                conflict(collectionConflict("dropped on the source, changed on the target", changed, summary(cb), summary(ct), null));
                if (strategy != Strategy.THEIRS) {
                    return;
                }
            }
            if (session != null) {
                session.dropCollection(ct);
            }
            count(DROP);
        }

        private void droppedOnTarget() {
            List<String> changed = changedSince(cs, vs, changes);
            if (changed.isEmpty()) {
                return;
            }
            conflict(collectionConflict("changed on the source, dropped on the target", changed, summary(cb), null, summary(cs)));
            if (strategy != Strategy.THEIRS) {
                return;
            }
            // Theirs: the collection comes back as the source has it, not only the documents it edited.
            CollectionInfo created = session == null ? null : session.createCollection(dc[0], dc[1], cs.options());
            if (session != null) {
                for (IndexInfo i : cs.indexes()) {
                    created = session.addIndex(created, i.spec());
                }
            }
            count(CREATE);
            try (DataView.DocumentScan docs = vs.documents(cs)) {
                while (docs.hasNext()) {
                    BsonDocument d = docs.next();
                    if (session != null) {
                        session.insert(created, d);
                    }
                    count(INSERT);
                }
            }
        }

        /**
         * What one side changed in a collection since the base: options, indexes, documents. Documents are
         * compared by content at every id that side wrote, so the documents a merge copied over (equal to the
         * base) do not count as changes.
         */
        private List<String> changedSince(CollectionInfo side, DataView view, ChangeSet sideChanges) {
            List<String> out = new ArrayList<>();
            try (Candidates c = sideChanges.candidates(ns, vb, view)) {
                while (c.hasNext()) {
                    BsonValue id = c.next();
                    if (!same(vb.document(cb, id), view.document(side, id))) {
                        out.add("documents");
                        break;
                    }
                }
            }
            if (!same(cb.options(), side.options())) {
                out.add("options");
            }
            if (!indexSpecs(cb).equals(indexSpecs(side))) {
                out.add("indexes");
            }
            return out;
        }

        /** Options and indexes of a collection present on both sides (and maybe in the base), three-way. */
        private void mergeCatalog(CollectionInfo ct) {
            List<String> clash = new ArrayList<>();
            BsonDocument ob = cb == null ? null : cb.options();
            BsonDocument newOptions = null;
            if (!same(cs.options(), ob) && !same(cs.options(), ct.options())) {
                if (!same(ct.options(), ob)) {
                    clash.add("options");
                }
                if (same(ct.options(), ob) || strategy == Strategy.THEIRS) {
                    newOptions = cs.options();
                }
            }
            Map<String, BsonDocument> ib = indexSpecs(cb);
            Map<String, BsonDocument> is = indexSpecs(cs);
            Map<String, BsonDocument> it = indexSpecs(ct);
            TreeSet<String> names = new TreeSet<>(ib.keySet());
            names.addAll(is.keySet());
            names.addAll(it.keySet());
            Map<String, BsonDocument> indexChanges = new LinkedHashMap<>();
            for (String name : names) {
                BsonDocument sb = ib.get(name);
                BsonDocument ss = is.get(name);
                BsonDocument st = it.get(name);
                if (same(ss, sb) || same(ss, st)) {
                    continue;
                }
                if (!same(st, sb)) {
                    clash.add("index " + name);
                    if (strategy != Strategy.THEIRS) {
                        continue;
                    }
                }
                indexChanges.put(name, ss);
            }
            if (!clash.isEmpty()) {
                conflict(collectionConflict("options or indexes changed on both sides", clash, summary(cb), summary(ct), summary(cs)));
            }
            if (newOptions == null && indexChanges.isEmpty()) {
                return;
            }
            count(CATALOG);
            if (session == null) {
                return;
            }
            CollectionInfo current = ct;
            if (newOptions != null) {
                current = new CollectionInfo(ct.db(), ct.name(), ct.collectionId(), newOptions, ct.indexes(), ct.uuid());
                session.putCatalog(current, "collMod");
            }
            List<IndexInfo> keep = new ArrayList<>();
            for (IndexInfo i : current.indexes()) {
                if (!indexChanges.containsKey(i.name())) {
                    keep.add(i);
                }
            }
            if (keep.size() != current.indexes().size()) {
                current = current.withIndexes(keep);
                session.putCatalog(current, "dropIndexes");
            }
            for (BsonDocument spec : indexChanges.values()) {
                if (spec != null) {
                    current = session.addIndex(current, spec);
                }
            }
        }

        private void mergeDocument(BsonValue id, BsonDocument b, BsonDocument s, BsonDocument t) {
            if (same(b, s) || same(s, t)) {
                return;
            }
            if (same(b, t)) {
                write(t, s);
                return;
            }
            if (b != null && s != null && t != null) {
                List<String> fs = ChangeSet.changedFields(b, s);
                List<String> ft = ChangeSet.changedFields(b, t);
                List<String> clash = new ArrayList<>();
                for (String f : fs) {
                    if (ft.contains(f) && !same(s.get(f), t.get(f))) {
                        clash.add(f);
                    }
                }
                if (!clash.isEmpty()) {
                    conflict(documentConflict(id, clash, b, s, t));
                    if (strategy != Strategy.THEIRS) {
                        fs.removeAll(clash);
                    }
                }
                write(t, overlay(t, s, fs));
                return;
            }
            List<String> fields = s != null && t != null ? ChangeSet.changedFields(t, s) : List.of();
            conflict(documentConflict(id, fields, b, s, t));
            if (strategy == Strategy.THEIRS) {
                write(t, s);
            }
        }

        /** Makes the target's document {@code to} (null deletes), counting, and applying when a session is given. */
        private void write(BsonDocument current, BsonDocument to) {
            if (same(current, to)) {
                return;
            }
            count(current == null ? INSERT : to == null ? DELETE : UPDATE);
            if (session == null) {
                return;
            }
            CollectionInfo c = session.collectionForWrite(dc[0], dc[1]);
            if (current == null) {
                session.insert(c, to);
            } else if (to == null) {
                session.delete(c, current);
            } else {
                session.update(c, current, to);
            }
        }

        private void conflict(BsonDocument c) {
            conflictCount++;
            pending.add(c);
        }

        private void count(int kind) {
            counts.computeIfAbsent(ns, k -> new int[COUNT_NAMES.length])[kind]++;
        }

        private BsonDocument documentConflict(BsonValue id, List<String> fields, BsonDocument b, BsonDocument s, BsonDocument t) {
            return new BsonDocument("ns", new BsonString(ns)).append("kind", new BsonString("document")).append("id", id)
                    .append("fields", strings(fields))
                    .append("base", b == null ? BsonNull.VALUE : b)
                    .append("ours", t == null ? BsonNull.VALUE : t)
                    .append("theirs", s == null ? BsonNull.VALUE : s);
        }

        private BsonDocument collectionConflict(String reason, List<String> fields, BsonValue b, BsonValue ours, BsonValue theirs) {
            return new BsonDocument("ns", new BsonString(ns)).append("kind", new BsonString("collection")).append("id", BsonNull.VALUE)
                    .append("fields", strings(fields)).append("reason", new BsonString(reason))
                    .append("base", b == null ? BsonNull.VALUE : b)
                    .append("ours", ours == null ? BsonNull.VALUE : ours)
                    .append("theirs", theirs == null ? BsonNull.VALUE : theirs);
        }
    }

    /** t with the source's changed fields applied (present ones set, missing ones removed). */
    private static BsonDocument overlay(BsonDocument t, BsonDocument s, List<String> fields) {
        BsonDocument out = t.clone();
        for (String f : fields) {
            if (s.containsKey(f)) {
                out.put(f, s.get(f));
            } else {
                out.remove(f);
            }
        }
        return out;
    }

    /** A collection as a conflict shows it: options and index specs (null when absent). */
    private static BsonValue summary(CollectionInfo c) {
        if (c == null) {
            return null;
        }
        BsonArray indexes = new BsonArray();
        for (IndexInfo i : c.indexes()) {
            indexes.add(i.listing());
        }
        return new BsonDocument("options", c.options()).append("indexes", indexes);
    }

    /** Index specs by name; index ids differ between branches and do not count. */
    private static Map<String, BsonDocument> indexSpecs(CollectionInfo c) {
        Map<String, BsonDocument> out = new TreeMap<>();
        if (c != null) {
            for (IndexInfo i : c.indexes()) {
                out.put(i.name(), i.spec());
            }
        }
        return out;
    }

    private static BsonArray strings(List<String> values) {
        BsonArray a = new BsonArray();
        for (String v : values) {
            a.add(new BsonString(v));
        }
        return a;
    }

    private static boolean same(Object a, Object b) {
        return a == null ? b == null : a.equals(b);
    }

    public static Strategy strategy(String s) {
        switch (s == null ? "fail" : s) {
            case "fail":
                return Strategy.FAIL;
            case "ours":
                return Strategy.OURS;
            case "theirs":
                return Strategy.THEIRS;
            default:
                throw new ArgonException(MongoErrorCode.BAD_VALUE, "unknown merge strategy '" + s + "'; use fail, ours or theirs");
        }
    }

    /** {@code {baseLsn, sourceHeadLsn}} of this merge, for replies. */
    public BsonDocument points() {
        return new BsonDocument("baseLsn", new BsonInt64(baseLsn())).append("sourceHeadLsn", new BsonInt64(sourceHeadLsn()));
    }
}
