package dev.argon.wal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

/**
 * A consistent, read-only view of every column family at one moment (a RocksDB snapshot), for archiving: it holds
 * every batch written before it was taken and none after, so a backup made from it is never torn while writes
 * run. Raw entries in key order per family; what they mean is docs/FORMATS.md. The {@code latest} family is not
 * offered: it is a copy of the first version of each group, which a restore rebuilds ({@link WalLoader}).
 *
 * <p>Thread-safe for concurrent iterators; close it (after its iterators) to release the snapshot, which pins
 * the files RocksDB would otherwise compact away.
 */
public final class WalSnapshot implements AutoCloseable {

    /** The families an archive holds, in the order a restore wants them (metadata first, versions last). */
    public static final List<String> FAMILIES = List.of("default", "commits", "times", "log", "versions");

    private final WalDb db;
    private final Snapshot snapshot;
    private final long lastLsn;
    private final long lastTime;
    private final List<AutoCloseable> open = Collections.synchronizedList(new ArrayList<>());

    WalSnapshot(WalDb db) {
        this.db = db;
        this.snapshot = db.db().getSnapshot();
        try (ReadOptions ro = new ReadOptions().setSnapshot(snapshot)) {
            byte[] l = db.db().get(db.meta(), ro, CommitWriter.LAST_LSN);
            byte[] t = db.db().get(db.meta(), ro, CommitWriter.LAST_TIME);
            lastLsn = l == null ? 0 : Bytes.getLong(l, 0);
            lastTime = t == null ? 0 : Bytes.getLong(t, 0);
        } catch (org.rocksdb.RocksDBException e) {
            db.db().releaseSnapshot(snapshot);
            throw new WalException("cannot read the snapshot's last LSN: " + e.getMessage(), -1, -1, e);
        }
    }

    /** The last LSN handed out before the snapshot: every commit up to it is in the snapshot, none after. */
    public long lastLsn() {
        return lastLsn;
    }

    /** The time of the newest commit in the snapshot (milliseconds), 0 for none. */
    public long lastTime() {
        return lastTime;
    }

    /** Named branches as of the snapshot (their records in the metadata), by id. */
    public List<Branch> branches() {
        List<Branch> out = new ArrayList<>();
        byte[] prefix = "branch/".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (ReadOptions ro = new ReadOptions().setSnapshot(snapshot); RocksIterator it = db.db().newIterator(db.meta(), ro)) {
            for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                Branch b = BranchRegistry.decode(it.value());
                if (b.name() != null) {
                    out.add(b);
                }
            }
        }
        return out;
    }

    /** Tags as of the snapshot, by name. */
    public List<Tag> tags() {
        List<Tag> out = new ArrayList<>();
        byte[] prefix = "tag/".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (ReadOptions ro = new ReadOptions().setSnapshot(snapshot); RocksIterator it = db.db().newIterator(db.meta(), ro)) {
            for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                org.bson.BsonDocument d = Bson.document(it.value());
                String name = new String(it.key(), prefix.length, it.key().length - prefix.length, java.nio.charset.StandardCharsets.UTF_8);
                out.add(new Tag(name, d.getInt32("branchId").getValue(), d.getInt64("lsn").getValue(),
                        d.getInt64("createdAt").getValue(), d.isString("createdBy") ? d.getString("createdBy").getValue() : null));
            }
        }
        return out;
    }

    /** Bytes of the SST files of the archived families: a rough total for a progress bar. */
    public long estimatedBytes() {
        long n = 0;
        for (Map.Entry<String, Long> e : db.liveSstBytes().entrySet()) {
            if (FAMILIES.contains(e.getKey())) {
                n += e.getValue();
            }
        }
        return n;
    }

    /** One raw entry. */
    public record Entry(byte[] key, byte[] value) {}

    /**
     * Every entry of {@code family} in key order (unsigned bytes), as it would be had history never been
     * compacted: in {@code versions} each stub is replaced by the versions it stands for, read from the tier's
     * segments (they sort just before the stub's key, after the local entry before it), and the metadata leaves
     * out the tier catalog, which describes this directory's tier and not a copy's.
     */
    public java.util.Iterator<Entry> scan(String family) {
        return scan(family, 0);
    }

    /**
     * As {@link #scan(String)}, except that entries of the {@code log} and {@code versions} families with an LSN at
     * or below {@code skipUpTo} may be left out, and are where leaving them out saves reading: the log starts above
     * it, and segments holding no version above it are not read. An incremental backup, which ships only entries
     * above its previous manifest's LSN, passes that LSN.
     *
     * <p>The compacted versions are read segment by segment, in bulk ({@link ColdMerge}: one ranged read per
     * {@link ColdMerge#READAHEAD} bytes, merged in key order), not looked up stub by stub: the stubs and the merged
     * segments both come in key order, so each stub takes the merged entries in its range as they come by.
     */
    public java.util.Iterator<Entry> scan(String family, long skipUpTo) {
        if (family.equals("default")) {
            return filter(rawScan(family, null));
        }
        if (family.equals("log")) {
            return withColdLog(rawScan(family, skipUpTo > 0 ? Bytes.longKey(skipUpTo + 1) : null), skipUpTo);
        }
        java.util.Iterator<Entry> raw = rawScan(family, null);
        if (!family.equals("versions")) {
            return raw;
        }
        ReadOptions ro = new ReadOptions().setSnapshot(snapshot);
        open.add(ro);
        List<TierSegment> wanted = new ArrayList<>();
        for (TierSegment s : TierCatalog.read(db, ro).segments()) {
            if (s.maxLsn() > skipUpTo) {
                wanted.add(s);
            }
        }
        ColdMerge merged = new ColdMerge(db.cold(), wanted);
        return new java.util.Iterator<>() {
            private final java.util.ArrayDeque<Entry> pending = new java.util.ArrayDeque<>();

            @Override
            public boolean hasNext() {
                while (pending.isEmpty() && raw.hasNext()) {
                    Entry e = raw.next();
                    if (!VersionKeys.isStub(e.value())) {
                        pending.add(e);
                        continue;
                    }
                    long high = VersionKeys.stubHigh(e.value());
                    if (high <= skipUpTo) {
                        continue; // every version it stands for is at or below skipUpTo
                    }
                    byte[] uk = VersionKeys.userKey(e.key());
                    byte[] from = VersionKeys.key(uk, VersionKeys.branchId(e.key()), high);
                    // Merged entries before the stub's range belong to no stub (or to skipped ones): passed over.
                    while (merged.peek() != null && java.util.Arrays.compareUnsigned(merged.peek()[0], from) < 0) {
                        merged.next();
                    }
                    while (merged.peek() != null && java.util.Arrays.compareUnsigned(merged.peek()[0], e.key()) <= 0) {
                        byte[][] c = merged.next();
                        pending.add(new Entry(c[0], c[1]));
                    }
                    if (pending.isEmpty()) {
                        // Its newest version (LSN high, above skipUpTo) lives in a segment with maxLsn >= high: wanted.
                        throw new WalException("the compacted versions a stub names are missing from the tier's segments",
                                VersionKeys.branchId(e.key()), VersionKeys.lsn(e.key()), null);
                    }
                }
                return !pending.isEmpty();
            }

            @Override
            public Entry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return pending.poll();
            }
        };
    }

    private static java.util.Iterator<Entry> filter(java.util.Iterator<Entry> raw) {
        return new java.util.Iterator<>() {
            private Entry next;

            @Override
            public boolean hasNext() {
                while (next == null && raw.hasNext()) {
                    Entry e = raw.next();
                    if (!java.util.Arrays.equals(e.key(), TierCatalog.KEY)) {
                        next = e;
                    }
                }
                return next != null;
            }

            @Override
            public Entry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Entry e = next;
                next = null;
                return e;
            }
        };
    }

    /**
     * The log segments' entries above {@code skipUpTo} (all at or below the snapshot's logCutoff, below every local
     * one), streamed in bulk, then raw.
     */
    private java.util.Iterator<Entry> withColdLog(java.util.Iterator<Entry> raw, long skipUpTo) {
        ReadOptions ro = new ReadOptions().setSnapshot(snapshot);
        open.add(ro);
        TierCatalog catalog = TierCatalog.read(db, ro);
        if (catalog.logCutoff() <= skipUpTo) {
            return raw;
        }
        ColdLog cold = new ColdLog(db, ro, catalog, skipUpTo > 0 ? skipUpTo + 1 : 0, catalog.logCutoff(), false,
                ColdMerge.READAHEAD);
        return new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                return cold.hasNext() || raw.hasNext();
            }

            @Override
            public Entry next() {
                if (cold.hasNext()) {
                    byte[][] e = cold.next();
                    return new Entry(e[0], e[1]);
                }
                return raw.next();
            }
        };
    }

    /** The family's entries from {@code seek} on (null: the first). */
    private java.util.Iterator<Entry> rawScan(String family, byte[] seek) {
        ColumnFamilyHandle h = db.archivedFamily(family);
        ReadOptions ro = new ReadOptions().setSnapshot(snapshot).setFillCache(false).setReadaheadSize(2L << 20);
        RocksIterator it = db.db().newIterator(h, ro);
        open.add(it);
        open.add(ro);
        if (seek == null) {
            it.seekToFirst();
        } else {
            it.seek(seek);
        }
        return new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.isValid();
            }

            @Override
            public Entry next() {
                if (!it.isValid()) {
                    throw new NoSuchElementException();
                }
                Entry e = new Entry(it.key(), it.value());
                it.next();
                return e;
            }
        };
    }

    @Override
    public void close() {
        synchronized (open) {
            for (AutoCloseable c : open) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            open.clear();
        }
        db.db().releaseSnapshot(snapshot);
    }
}
