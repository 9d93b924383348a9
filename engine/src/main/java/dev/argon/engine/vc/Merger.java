package dev.argon.engine.vc;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.DataView;
import dev.argon.engine.store.IndexInfo;
import dev.argon.engine.store.Store;
import dev.argon.engine.store.WriteSession;
import dev.argon.wal.Branch;
import dev.argon.wal.Bytes;
import dev.argon.wal.KeyWrite;
import dev.argon.wal.ReadView;
import dev.argon.wal.Wal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * Three-way merge of a source branch into a target branch. The base is the state both descend from, or the
 * source as of the previous merge of the same pair. Per document: a change on one side only is taken; the
 * same change on both is nothing to do; different changes to disjoint top-level fields merge field by field;
 * anything else is a conflict, settled by the strategy ({@code fail}, {@code ours} = target,
 * {@code theirs} = source). Collection and index creations and drops on the source are carried over.
 * Not thread-safe; one per merge.
 */
public final class Merger {
    /** The strategies of {@code git merge}: fail on conflicts, or keep ours (the target) or theirs (the source). */
    public enum Strategy { FAIL, OURS, THEIRS }

    private static final byte[] MARK_PREFIX = "merge/".getBytes(StandardCharsets.UTF_8);

    private final Store store;
    private final Wal wal;
    private final Branch source;
    private final Branch target;
    private final Strategy strategy;
    private final Map<String, int[]> counts = new LinkedHashMap<>();
    private final BsonArray conflicts = new BsonArray();
    private WriteSession session;

    public Merger(Store store, Branch source, Branch target, Strategy strategy) {
        this.store = store;
        this.wal = store.wal();
        this.source = source;
        this.target = target;
        this.strategy = strategy;
    }

    /** Where the last merge of source into target left off: the source head then, or -1. */
    static long mark(Wal wal, int sourceId, int targetId) {
        byte[] v = wal.meta(markKey(sourceId, targetId));
        return v == null ? -1 : Bytes.getLong(v, 0);
    }

    static byte[] markKey(int sourceId, int targetId) {
        byte[] k = java.util.Arrays.copyOf(MARK_PREFIX, MARK_PREFIX.length + 8);
        Bytes.putInt(k, MARK_PREFIX.length, sourceId);
        Bytes.putInt(k, MARK_PREFIX.length + 4, targetId);
        return k;
    }

    /**
     * Plans the merge against the current heads. When a session is given, each planned change is applied to
     * it (the caller holds the target's write lock and commits).
     */
    public BsonDocument run(WriteSession applyTo) {
        this.session = applyTo;
        ReadView s = wal.headView(source.id());
        ReadView t = wal.headView(target.id());
        long mark = mark(wal, source.id(), target.id());
        ReadView base = mark >= 0 && s.boundFor(source.id()) >= mark ? wal.viewAt(source.id(), mark) : ReadView.common(s, t);
        DataView vb = store.view(base);
        DataView vs = store.view(s);
        DataView vt = applyTo != null ? applyTo : store.view(t);
        ChangeSet changes = ChangeSet.from(wal, base, s);
        List<String> dropLater = mergeCatalog(changes, vb, vs, vt);
        for (String ns : changes.namespaces()) {
            for (BsonValue id : changes.candidates(ns, vb, vs)) {
                mergeDocument(ns, id, ChangeSet.document(vb, ns, id), ChangeSet.document(vs, ns, id), ChangeSet.document(vt, ns, id));
            }
        }
        for (String ns : dropLater) {
            String[] dc = ChangeSet.split(ns);
            CollectionInfo c = vt.collection(dc[0], dc[1]);
            if (c != null && applyTo != null) {
                applyTo.dropCollection(c);
            }
            count(ns, 3);
        }
        BsonDocument countDoc = new BsonDocument();
        String[] names = {"insert", "update", "delete", "drop"};
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            BsonDocument d = new BsonDocument();
            for (int i = 0; i < names.length; i++) {
                if (e.getValue()[i] > 0) {
                    d.append(names[i], new BsonInt32(e.getValue()[i]));
                }
            }
            countDoc.append(e.getKey(), d);
        }
        return new BsonDocument("counts", countDoc).append("conflicts", conflicts)
                .append("baseLsn", new org.bson.BsonInt64(base.readLsn()))
                .append("sourceHeadLsn", new org.bson.BsonInt64(s.readLsn()));
    }

    public boolean hasConflicts() {
        return !conflicts.isEmpty();
    }

    public BsonArray conflicts() {
        return conflicts;
    }

    /** The metadata write that records this merge, for the commit. */
    public KeyWrite markWrite() {
        return KeyWrite.put(markKey(source.id(), target.id()), Bytes.longKey(wal.branch(source.id()).headLsn()));
    }

    /** Carries collection and index creations over; returns the namespaces to drop after the documents. */
    private List<String> mergeCatalog(ChangeSet changes, DataView vb, DataView vs, DataView vt) {
        List<String> drops = new ArrayList<>();
        for (String ns : changes.catalogTouched) {
            String[] dc = ChangeSet.split(ns);
            CollectionInfo b = vb.collection(dc[0], dc[1]);
            CollectionInfo s = vs.collection(dc[0], dc[1]);
            CollectionInfo t = vt.collection(dc[0], dc[1]);
            if (s != null && t == null && b == null) {
                if (session != null) {
                    CollectionInfo created = session.createCollection(dc[0], dc[1], s.options());
                    for (IndexInfo i : s.indexes()) {
                        created = session.addIndex(created, i.spec());
                    }
                }
            } else if (s == null && b != null && t != null) {
                drops.add(ns);
            } else if (s != null && t != null && session != null) {
                CollectionInfo current = t;
                for (IndexInfo i : s.indexes()) {
                    if ((b == null || b.index(i.name()) == null) && current.index(i.name()) == null) {
                        current = session.addIndex(current, i.spec());
                    }
                }
                if (b != null) {
                    List<IndexInfo> keep = new ArrayList<>();
                    boolean dropped = false;
                    for (IndexInfo i : current.indexes()) {
                        if (b.index(i.name()) != null && s.index(i.name()) == null) {
                            dropped = true;
                        } else {
                            keep.add(i);
                        }
                    }
                    if (dropped) {
                        session.putCatalog(current.withIndexes(keep), "dropIndexes");
                    }
                }
            }
        }
        return drops;
    }

    private void mergeDocument(String ns, BsonValue id, BsonDocument b, BsonDocument s, BsonDocument t) {
        if (same(b, s) || same(s, t)) {
            return;
        }
        if (same(b, t)) {
            write(ns, t, s);
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
            if (clash.isEmpty() || strategy == Strategy.THEIRS) {
                write(ns, t, overlay(t, s, fs));
            }
            if (!clash.isEmpty()) {
                conflict(ns, id, clash, b, s, t);
            }
            return;
        }
        List<String> fields = s != null && t != null ? ChangeSet.changedFields(t, s) : List.of();
        conflict(ns, id, fields, b, s, t);
        if (strategy == Strategy.THEIRS) {
            write(ns, t, s);
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

    private void conflict(String ns, BsonValue id, List<String> fields, BsonDocument b, BsonDocument s, BsonDocument t) {
        BsonArray f = new BsonArray();
        for (String x : fields) {
            f.add(new BsonString(x));
        }
        conflicts.add(new BsonDocument("ns", new BsonString(ns)).append("id", id).append("fields", f)
                .append("base", b == null ? BsonNull.VALUE : b)
                .append("ours", t == null ? BsonNull.VALUE : t)
                .append("theirs", s == null ? BsonNull.VALUE : s));
    }

    /** Makes the target's document `to` (null deletes), counting and applying when a session is given. */
    private void write(String ns, BsonDocument current, BsonDocument to) {
        if (same(current, to)) {
            return;
        }
        count(ns, current == null ? 0 : to == null ? 2 : 1);
        if (session == null) {
            return;
        }
        String[] dc = ChangeSet.split(ns);
        CollectionInfo c = session.collectionForWrite(dc[0], dc[1]);
        if (current == null) {
            session.insert(c, to);
        } else if (to == null) {
            session.delete(c, current);
        } else {
            session.update(c, current, to);
        }
    }

    private void count(String ns, int kind) {
        counts.computeIfAbsent(ns, k -> new int[4])[kind]++;
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
}
