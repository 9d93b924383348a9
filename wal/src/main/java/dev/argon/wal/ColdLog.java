package dev.argon.wal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The part of the log that history compaction moved into log segments (every entry with LSN at or below the tier
 * catalog's {@code logCutoff}), read as {@code {key, value}} pairs of the {@code log} layout for an LSN range.
 * Forward reads stream each segment through the segment cache; backward reads hold one segment's entries of the
 * range at a time (a segment is about {@link TierRequest#segmentBytes()} of entries).
 *
 * <p>GC deletes the log entries it reclaims (those of a branch id above its ceiling) from RocksDB only: segments
 * are immutable (a segment rewrite pass, {@link TierMerger}, later writes new ones without them). So this leaves out
 * the cold entries GC has given up, as the metadata says when the first one is
 * read: of a branch id above its GC ceiling, or of one GC has forgotten (no branch record). Every log reader then
 * sees the log GC left, whichever part holds an entry. Not thread-safe.
 */
final class ColdLog implements Iterator<byte[][]> {
    private final ColdVersions cold;
    private final List<TierSegment> segments;
    private final long from;
    private final long to;
    private final boolean backward;
    private final int readahead;
    private int next;
    private Iterator<byte[][]> current = Collections.emptyIterator();
    private byte[][] ahead;
    private final WalDb db;
    private final org.rocksdb.ReadOptions at;
    private GcMarks marks;
    private java.util.Set<Integer> ids;

    /**
     * Entries with {@code from <= lsn <= to} of the catalog's log segments, oldest first or newest first.
     *
     * @param at the snapshot whose GC marks and branch records decide what GC reclaimed (null: now)
     */
    ColdLog(WalDb db, org.rocksdb.ReadOptions at, TierCatalog catalog, long from, long to, boolean backward) {
        this(db, at, catalog, from, to, backward, 0);
    }

    /**
     * @param readahead stored bytes per ranged read when streaming a segment, past the cache (a backup); 0 reads
     *                  block by block through the cache
     */
    ColdLog(WalDb db, org.rocksdb.ReadOptions at, TierCatalog catalog, long from, long to, boolean backward, int readahead) {
        this.readahead = readahead;
        this.db = db;
        this.at = at;
        this.cold = db.cold();
        List<TierSegment> in = new ArrayList<>();
        for (TierSegment s : catalog.logSegments()) {
            if (s.maxLsn() >= from && s.minLsn() <= to) {
                in.add(s);
            }
        }
        in.sort((a, b) -> Long.compare(a.minLsn(), b.minLsn()));
        if (backward) {
            Collections.reverse(in);
        }
        this.segments = in;
        this.from = from;
        this.to = to;
        this.backward = backward;
    }

    @Override
    public boolean hasNext() {
        while (ahead == null) {
            if (current.hasNext()) {
                byte[][] e = current.next();
                long lsn = Bytes.getLong(e[0], 0);
                if (lsn > to) {
                    current = Collections.emptyIterator();
                } else if (lsn >= from && !reclaimed(lsn, e[1])) {
                    ahead = e;
                }
                continue;
            }
            if (next == segments.size()) {
                return false;
            }
            TierSegment s = segments.get(next++);
            byte[] start = Bytes.longKey(Math.max(from, 0));
            Iterator<byte[][]> it = readahead > 0 ? cold.scan(s, start, readahead) : cold.scan(s, start);
            if (backward) {
                List<byte[][]> held = new ArrayList<>();
                while (it.hasNext()) {
                    byte[][] e = it.next();
                    if (Bytes.getLong(e[0], 0) > to) {
                        break;
                    }
                    held.add(e);
                }
                Collections.reverse(held);
                it = held.iterator();
            }
            current = it;
        }
        return true;
    }

    /** Whether GC gave the entry up; an entry that does not decode is kept for its reader to report. */
    private boolean reclaimed(long lsn, byte[] value) {
        int id;
        try {
            id = LogCodec.branchId(Bson.document(value));
        } catch (RuntimeException e) {
            return false;
        }
        if (marks == null) {
            loadGcState();
        }
        return !ids.contains(id) || lsn > marks.ceiling(id);
    }

    private void loadGcState() {
        java.util.Set<Integer> found = new java.util.HashSet<>();
        try (org.rocksdb.ReadOptions ro = at == null ? new org.rocksdb.ReadOptions() : null;
             org.rocksdb.RocksIterator it = db.db().newIterator(db.meta(), at == null ? ro : at)) {
            for (it.seek(WalInspector.BRANCH_PREFIX); it.isValid() && Bytes.startsWith(it.key(), WalInspector.BRANCH_PREFIX);
                    it.next()) {
                try {
                    found.add(BranchRegistry.decode(it.value()).id());
                } catch (RuntimeException e) {
                    // A damaged branch record is fsck's to report; its entries read as reclaimed here.
                }
            }
            WalInspector.status(it);
            byte[] m = at == null ? db.db().get(db.meta(), GcMarks.KEY) : db.db().get(db.meta(), at, GcMarks.KEY);
            marks = GcMarks.decode(m);
        } catch (org.rocksdb.RocksDBException e) {
            throw new WalException("cannot read the GC marks: " + e.getMessage(), -1, -1, e);
        }
        ids = found;
    }

    @Override
    public byte[][] next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        byte[][] e = ahead;
        ahead = null;
        return e;
    }
}
