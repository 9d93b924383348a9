package dev.argon.engine.store;

import dev.argon.engine.bson.KeyEncoder;
import dev.argon.engine.query.Matcher;
import dev.argon.wal.Branch;
import dev.argon.wal.Bson;
import dev.argon.wal.DataDirInUseException;
import dev.argon.wal.FsckReport;
import dev.argon.wal.GcMarks;
import dev.argon.wal.LogEntry;
import dev.argon.wal.LogRecord;
import dev.argon.wal.ReadView;
import dev.argon.wal.WalChecker;
import dev.argon.wal.WalException;
import dev.argon.wal.WalInspector;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * {@code fsck}: checks a stopped data directory. The wal layer ({@link WalChecker}) checks log, commits,
 * branch heads, tags and checksums; this layer adds what needs the engine's key logic:
 * <ul>
 *   <li>every log entry's key writes (document key, index entries added and removed, catalog entry) exist
 *       in the versions family at that LSN, with its branch and payload, and nothing else was written at
 *       that LSN;</li>
 *   <li>on each live branch head, every visible document is stored under the key of its {@code _id}, has
 *       every entry each index of its collection derives from it, and every visible index entry is one a
 *       visible document produces (a stale entry is harmless to queries, which re-check, but it means a
 *       write was torn).</li>
 * </ul>
 * Memory: a few bytes per LSN, plus the index entries of one collection at a time. Not thread-safe; one
 * per run.
 */
public final class StoreChecker {
    private static final byte[] NO_PAYLOAD = new byte[0];

    private final WalInspector in;
    private final WalChecker wal;
    private final FsckReport report;
    private final Map<String, Matcher> partials = new HashMap<>();
    /** History GC removes superseded versions below its horizon and whole ranges above a ceiling: not damage. */
    private final GcMarks marks;

    private StoreChecker(WalInspector in, WalChecker wal, FsckReport report) {
        this.in = in;
        this.marks = in.gcMarks();
        this.wal = wal;
        this.report = report;
    }

    /**
     * Checks the data directory at dir. Damage, including a directory RocksDB cannot open, is in the report.
     *
     * @throws IllegalArgumentException if dir is not a data directory
     * @throws DataDirInUseException if a server or another tool has it open
     */
    public static FsckReport check(Path dir) {
        return check(dir, dev.argon.wal.TierConfig.DEFAULT);
    }

    /**
     * As {@link #check(Path)}, reading compacted history from the given tier ({@code argon fsck --tier}).
     *
     * @throws dev.argon.wal.TierMismatchException if the directory's history lives in another tier
     */
    public static FsckReport check(Path dir, dev.argon.wal.TierConfig tier) {
        FsckReport report = new FsckReport();
        WalInspector in;
        try {
            in = WalInspector.open(dir, tier);
        } catch (WalException e) {
            closeOwned(tier);
            report.problem(FsckReport.UNREADABLE, "RocksDB cannot open the directory: " + e.getMessage(), -1, -1);
            return report;
        } catch (RuntimeException e) {
            closeOwned(tier);
            throw e;
        }
        try (in) {
            WalChecker walChecker = new WalChecker(in, report);
            walChecker.run();
            StoreChecker s = new StoreChecker(in, walChecker, report);
            s.guarded("log entries", () -> in.forEachLogEntry(s::entry));
            for (Branch b : in.liveBranches()) {
                s.guarded("branch '" + b.name() + "'", () -> s.head(b));
            }
        }
        return report;
    }

    private void guarded(String what, Runnable check) {
        try {
            check.run();
        } catch (RuntimeException e) {
            report.problem(FsckReport.UNREADABLE, "checking the " + what + " failed: " + e, -1, -1);
        }
    }

    // ---- log entries against the versions they wrote ----

    /** One key write a log entry implies: null payload for a tombstone. */
    private record Expected(byte[] userKey, byte[] payload, String what) {}

    private void entry(LogRecord r) {
        long lsn = r.lsn();
        if (wal.versionCount(lsn) == 0 || in.branch(r.branchId()) == null) {
            return;
        }
        if (marks.mayHaveReclaimed(r.branchId(), lsn)) {
            // At or below the horizon (or above a ceiling) GC may have removed this entry's images and some of
            // its versions: what is left cannot be compared with what it wrote.
            return;
        }
        if (!imagePresent(r)) {
            return;
        }
        List<Expected> expected;
        try {
            expected = expectedWrites(r);
        } catch (RuntimeException e) {
            report.problem(FsckReport.UNREADABLE, "cannot derive the keys of the log entry at lsn " + lsn + ": " + e, r.branchId(), lsn);
            return;
        }
        if (expected == null) {
            return;
        }
        for (Expected x : expected) {
            WalInspector.Version v = in.version(x.userKey(), r.branchId(), lsn);
            String problem = null;
            if (v == null) {
                problem = "is missing";
            } else if (v.branchId() != r.branchId()) {
                problem = "names branch id " + v.branchId();
            } else if (v.tombstone() != (x.payload() == null)) {
                problem = v.tombstone() ? "is a tombstone instead of a value" : "is a value instead of a tombstone";
            } else if (x.payload() != null && !samePayload(x.payload(), v.payload())) {
                problem = "holds other bytes than the log entry";
            }
            if (problem != null) {
                report.problem(FsckReport.VERSION_MISSING, "the " + x.what() + " written by the log entry at lsn " + lsn + " (" + r.ns() + ") "
                        + problem, r.branchId(), lsn);
            }
        }
        int stored = wal.versionCount(lsn);
        if (stored > expected.size()) {
            report.problem(FsckReport.VERSION_EXTRA, "lsn " + lsn + " has " + stored + " versioned keys but its log entry (" + r.ns()
                    + ") writes " + expected.size(), r.branchId(), lsn);
        }
    }

    /**
     * An entry that keeps its images in its key's versions needs the version at its own LSN to be read at all: a
     * missing one is reported here, as the missing write it is, instead of as an entry whose keys cannot be derived.
     */
    private boolean imagePresent(LogRecord r) {
        byte[] key = r.imageKey();
        if (key == null) {
            return true;
        }
        if (in.version(key, r.branchId(), r.lsn()) != null) {
            return true;
        }
        String what = r.op().equals(LogEntry.CATALOG) ? "catalog entry (" + (r.id() != null && r.id().isString() ? r.id().asString().getValue() : "") + ")"
                : "document _id " + DocFields.shellForm(r.id());
        report.problem(FsckReport.VERSION_MISSING, "the " + what + " written by the log entry at lsn " + r.lsn() + " (" + r.ns() + ") is missing",
                r.branchId(), r.lsn());
        return false;
    }

    private static boolean samePayload(byte[] expected, byte[] stored) {
        if (Arrays.equals(expected, stored)) {
            return true;
        }
        if (expected.length == 0 || stored.length == 0) {
            return false;
        }
        try {
            return Bson.document(expected).equals(Bson.document(stored));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The key writes of a log entry, recomputed from its images and the catalog it was written against. */
    private List<Expected> expectedWrites(LogRecord r) {
        long lsn = r.lsn();
        ReadView at = in.view(r.branchId(), lsn);
        DataView v = new DataView(new WalKeyReader(in, at));
        List<Expected> out = new ArrayList<>();
        if (r.op().equals(LogEntry.CATALOG)) {
            String action = r.id() != null && r.id().isString() ? r.id().asString().getValue() : "";
            if (action.equals("drop") || action.equals("dropDatabase")) {
                out.add(new Expected(Keys.catalog(r.pre().getString("db").getValue(), r.pre().getString("name").getValue()), null, "catalog tombstone"));
            } else if (action.equals("buildIndex")) {
                CollectionInfo c = collectionAt(v, r);
                IndexInfo index = c == null ? null : c.index(r.post().getString("index").getValue());
                if (index == null) {
                    report.problem(FsckReport.DOCUMENT, "the index build at lsn " + lsn + " names an index " + r.ns() + " does not have", r.branchId(), lsn);
                    return null;
                }
                // The build indexed what its session saw just before it: every document up to lsn - 1, or, for an
                // entry of a build cut into pieces, those from its first to its last _id.
                DataView before = new DataView(new WalKeyReader(in, in.view(r.branchId(), lsn - 1)));
                BsonValue first = r.post().get("first");
                byte[] lastId = r.post().containsKey("last") ? KeyEncoder.encode(r.post().get("last")) : null;
                try (DataView.DocumentScan docs = first == null ? before.documents(c) : before.documentsFrom(c, KeyEncoder.encode(first))) {
                    while (docs.hasNext()) {
                        BsonDocument d = docs.next();
                        byte[] encId = KeyEncoder.encode(d.get("_id"));
                        if (lastId != null && Arrays.compareUnsigned(encId, lastId) > 0) {
                            break;
                        }
                        for (ByteBuffer k : keys(c, index, d)) {
                            out.add(new Expected(Keys.indexEntry(c.collectionId(), index.indexId(), k.array(), encId), NO_PAYLOAD,
                                    "entry of index '" + index.name() + "'"));
                        }
                    }
                }
            } else {
                out.add(new Expected(Keys.catalog(r.post().getString("db").getValue(), r.post().getString("name").getValue()),
                        Bson.bytes(r.post()), "catalog entry (" + action + ")"));
            }
            return out;
        }
        CollectionInfo c = collectionAt(v, r);
        if (c == null) {
            return null;
        }
        byte[] encId = KeyEncoder.encode(r.id());
        BsonDocument pre = r.op().equals(LogEntry.INSERT) ? null : r.pre();
        BsonDocument post = r.op().equals(LogEntry.DELETE) ? null : r.post();
        out.add(new Expected(Keys.document(c.collectionId(), encId), post == null ? null : Bson.bytes(post), "document _id " + DocFields.shellForm(r.id())));
        for (IndexInfo index : c.indexes()) {
            Set<ByteBuffer> before = keys(c, index, pre);
            Set<ByteBuffer> after = keys(c, index, post);
            for (ByteBuffer k : after) {
                if (!before.contains(k)) {
                    out.add(new Expected(Keys.indexEntry(c.collectionId(), index.indexId(), k.array(), encId), NO_PAYLOAD,
                            "entry of index '" + index.name() + "'"));
                }
            }
            for (ByteBuffer k : before) {
                if (!after.contains(k)) {
                    out.add(new Expected(Keys.indexEntry(c.collectionId(), index.indexId(), k.array(), encId), null,
                            "removed entry of index '" + index.name() + "'"));
                }
            }
        }
        return out;
    }

    /** The collection a log entry wrote to, as its branch saw it at that LSN; reports its absence. */
    private CollectionInfo collectionAt(DataView v, LogRecord r) {
        int dot = r.ns().indexOf('.');
        CollectionInfo c = dot < 0 ? null : v.collection(r.ns().substring(0, dot), r.ns().substring(dot + 1));
        if (c == null) {
            report.problem(FsckReport.DOCUMENT, "the log entry at lsn " + r.lsn() + " writes to " + r.ns() + ", which has no catalog entry there",
                    r.branchId(), r.lsn());
        }
        return c;
    }

    private static String show(BsonValue id) {
        return id == null ? "(none)" : DocFields.shellForm(id);
    }

    private Set<ByteBuffer> keys(CollectionInfo c, IndexInfo index, BsonDocument doc) {
        Matcher partial = null;
        if (index.partialFilter() != null) {
            partial = partials.computeIfAbsent(c.collectionId() + "/" + index.indexId(), k -> Matcher.compile(index.partialFilter()));
        }
        return IndexKeys.of(index, partial, doc);
    }

    // ---- documents and indexes of a live head ----

    private void head(Branch b) {
        ReadView view = in.view(b.id(), b.headLsn());
        DataView v = new DataView(new WalKeyReader(in, view));
        report.count("branchHeadsChecked", 1);
        for (String db : v.databases()) {
            for (CollectionInfo c : v.collections(db)) {
                collection(b, view, c);
            }
        }
    }

    private void collection(Branch b, ReadView view, CollectionInfo c) {
        String where = c.ns() + " on branch '" + b.name() + "'";
        KeyReader reader = new WalKeyReader(in, view);
        // expected index entry -> the _id of the document that produces it, per index id
        Map<Integer, Map<ByteBuffer, BsonValue>> expected = new LinkedHashMap<>();
        for (IndexInfo index : c.indexes()) {
            expected.put(index.indexId(), new HashMap<>());
        }
        long docs = 0;
        try (KeyReader.Scan s = reader.scan(Keys.collectionPrefix(c.collectionId()), null)) {
            while (s.hasNext()) {
                KeyReader.Entry e = s.next();
                docs++;
                BsonDocument d;
                try {
                    d = Bson.document(e.payload());
                } catch (RuntimeException ex) {
                    report.problem(FsckReport.DOCUMENT, "a document of " + where + " does not decode: " + WalChecker.hex(e.key()), b.id(), -1);
                    continue;
                }
                BsonValue id = d.get("_id");
                if (id == null || !Arrays.equals(e.key(), Keys.document(c.collectionId(), id))) {
                    report.problem(FsckReport.DOCUMENT, "the document _id " + show(id) + " of " + where + " is stored under another key: "
                            + WalChecker.hex(e.key()), b.id(), -1);
                    continue;
                }
                byte[] encId = KeyEncoder.encode(id);
                for (IndexInfo index : c.indexes()) {
                    try {
                        for (ByteBuffer k : keys(c, index, d)) {
                            expected.get(index.indexId()).put(ByteBuffer.wrap(Keys.indexEntry(c.collectionId(), index.indexId(), k.array(), encId)), id);
                        }
                    } catch (RuntimeException ex) {
                        report.problem(FsckReport.DOCUMENT, "the document _id " + show(id) + " of " + where + " cannot be indexed by '" + index.name()
                                + "': " + ex.getMessage(), b.id(), -1);
                    }
                }
            }
        }
        report.count("documents", docs);
        for (IndexInfo index : c.indexes()) {
            Map<ByteBuffer, BsonValue> want = expected.get(index.indexId());
            long entries = 0;
            try (KeyReader.Scan s = reader.scan(Keys.indexPrefix(c.collectionId(), index.indexId()), null)) {
                while (s.hasNext()) {
                    byte[] key = s.next().key();
                    entries++;
                    if (want.remove(ByteBuffer.wrap(key)) == null) {
                        report.problem(FsckReport.INDEX_STALE, "index '" + index.name() + "' of " + where
                                + " has an entry no visible document produces: " + WalChecker.hex(key), b.id(), b.headLsn());
                    }
                }
            }
            report.count("indexEntries", entries);
            for (BsonValue id : want.values()) {
                report.problem(FsckReport.INDEX_MISSING, "the document _id " + show(id) + " of " + where + " lacks an entry in index '"
                        + index.name() + "'", b.id(), b.headLsn());
            }
        }
    }

    private static void closeOwned(dev.argon.wal.TierConfig tier) {
        if (tier.ownsStore() && tier.store() != null) {
            tier.store().close();
        }
    }
}
