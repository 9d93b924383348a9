package dev.argon.engine.vc;

import dev.argon.engine.bson.KeyEncoder;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.DataView;
import dev.argon.wal.CommitScan;
import dev.argon.wal.LogEntry;
import dev.argon.wal.LogRecord;
import dev.argon.wal.LogScan;
import dev.argon.wal.ReadView;
import dev.argon.wal.VersionStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The documents that may differ between two states: every {@code _id} written on one side of the point
 * where the two ancestries diverge, grouped by namespace in key order. A namespace whose collection was
 * dropped or renamed on either side has no per-document entries for what disappeared, so it is marked for
 * a full comparison. Log entries are read commit by commit and only their ids are kept, so memory follows
 * the number of changed documents, never their size; the documents themselves are read later, one
 * candidate at a time ({@link Candidates}). Not thread-safe.
 */
final class ChangeSet {
    /** ns -> (encoded id -> id), both sorted. */
    final Map<String, TreeMap<byte[], BsonValue>> ids = new TreeMap<>();
    final Set<String> fullCompare = new TreeSet<>();
    final Set<String> catalogTouched = new TreeSet<>();
    /** Only this namespace is collected, when not null. */
    private final String nsFilter;
    int entriesRead;

    private ChangeSet(String nsFilter) {
        this.nsFilter = nsFilter;
    }

    /** Everything written on either side since the two states diverged (one namespace if nsFilter is set). */
    static ChangeSet between(VersionStore wal, ReadView a, ReadView b, String nsFilter) {
        ChangeSet cs = new ChangeSet(nsFilter);
        cs.addOnlyIn(wal, a, b);
        cs.addOnlyIn(wal, b, a);
        return cs;
    }

    /** Only what was written to reach {@code to} from {@code from} (one side of a merge). */
    static ChangeSet from(VersionStore wal, ReadView from, ReadView to, String nsFilter) {
        ChangeSet cs = new ChangeSet(nsFilter);
        cs.addOnlyIn(wal, to, from);
        return cs;
    }

    private void addOnlyIn(VersionStore wal, ReadView a, ReadView b) {
        for (int i = 0; i < a.depth(); i++) {
            int branch = a.branchIdAt(i);
            long hi = a.boundAt(i);
            long other = b.boundFor(branch);
            long lo = other < 0 ? 0 : other;
            if (hi <= lo) {
                continue;
            }
            try (CommitScan commits = wal.scanCommits(branch, lo, hi)) {
                while (commits.hasNext()) {
                    BsonDocument c = commits.next();
                    // The commit record's counts name every namespace it touched: skip the rest unread.
                    if (nsFilter != null && !c.getDocument("counts").containsKey(nsFilter)) {
                        continue;
                    }
                    // By branch id: a streamed commit's range also holds other branches' entries.
                    try (LogScan entries = wal.scanLog(branch, c.getInt64("startLsn").getValue(), c.getInt64("lsn").getValue(), false)) {
                        while (entries.hasNext()) {
                            entriesRead++;
                            add(entries.next());
                        }
                    }
                }
            }
        }
    }

    private void add(LogRecord r) {
        if (r.op().equals(LogEntry.CATALOG)) {
            String action = r.id().isString() ? r.id().asString().getValue() : "";
            String renamedTo = action.equals("rename") && r.post() != null
                    ? r.post().getString("db").getValue() + "." + r.post().getString("name").getValue() : null;
            if (wanted(r.ns())) {
                catalogTouched.add(r.ns());
                if (action.equals("drop") || action.equals("dropDatabase") || action.equals("rename")) {
                    fullCompare.add(r.ns());
                }
            }
            if (renamedTo != null && wanted(renamedTo)) {
                catalogTouched.add(renamedTo);
                fullCompare.add(renamedTo);
            }
            return;
        }
        if (wanted(r.ns())) {
            ids.computeIfAbsent(r.ns(), k -> new TreeMap<>(Arrays::compareUnsigned)).put(KeyEncoder.encode(r.id()), r.id());
        }
    }

    private boolean wanted(String ns) {
        return nsFilter == null || nsFilter.equals(ns);
    }

    /** Candidate document ids over all namespaces; unknown (MAX_VALUE) when a namespace needs a full comparison. */
    long size() {
        if (!fullCompare.isEmpty()) {
            return Long.MAX_VALUE;
        }
        long n = 0;
        for (TreeMap<byte[], BsonValue> m : ids.values()) {
            n += m.size();
        }
        return n;
    }

    /** Every namespace with candidate differences (documents or catalog), sorted. */
    Set<String> namespaces() {
        Set<String> all = new TreeSet<>(ids.keySet());
        all.addAll(fullCompare);
        all.addAll(catalogTouched);
        return all;
    }

    /**
     * The candidate ids of a namespace in key order, read lazily; a full comparison adds every id present in
     * any of the views. Close it.
     */
    Candidates candidates(String ns, DataView... views) {
        List<DataView.DocumentScan> scans = new ArrayList<>();
        if (fullCompare.contains(ns)) {
            String[] dc = split(ns);
            try {
                for (DataView v : views) {
                    CollectionInfo c = v.collection(dc[0], dc[1]);
                    if (c != null) {
                        scans.add(v.documents(c));
                    }
                }
            } catch (RuntimeException e) {
                // The scans opened so far hold storage iterators.
                scans.forEach(DataView.DocumentScan::close);
                throw e;
            }
        }
        TreeMap<byte[], BsonValue> known = ids.get(ns);
        return new Candidates(known == null ? null : known.entrySet().iterator(), scans);
    }

    static String[] split(String ns) {
        int dot = ns.indexOf('.');
        return new String[] {ns.substring(0, dot), ns.substring(dot + 1)};
    }

    /** A document of ns in a view, or null. */
    static BsonDocument document(DataView v, String ns, BsonValue id) {
        String[] dc = split(ns);
        CollectionInfo c = v.collection(dc[0], dc[1]);
        return c == null ? null : v.document(c, id);
    }

    /** Top-level fields whose values differ (present on one side only, or different), in a's then b's order. */
    static List<String> changedFields(BsonDocument a, BsonDocument b) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, BsonValue> e : a.entrySet()) {
            if (!e.getValue().equals(b.get(e.getKey()))) {
                out.add(e.getKey());
            }
        }
        for (String k : b.keySet()) {
            if (!a.containsKey(k)) {
                out.add(k);
            }
        }
        return out;
    }
}
