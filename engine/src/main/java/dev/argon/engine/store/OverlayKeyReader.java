package dev.argon.engine.store;

import dev.argon.wal.Bytes;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * A write's pending changes laid over a base reader, so that each statement of a write command sees the
 * statements before it (a duplicate {@code _id} inside one insertMany, a unique key taken by an earlier
 * update) although nothing is committed until the whole command is. Once a large write stages a chunk, the
 * base becomes the branch as that write sees it (published state plus its chunks) and the overlay holds only
 * the changes since. Not thread-safe: one per write.
 */
final class OverlayKeyReader implements KeyReader {
    /** Marks a pending delete; compared by identity. */
    private static final byte[] TOMBSTONE = new byte[0];

    private KeyReader base;
    private final NavigableMap<byte[], byte[]> pending;
    /**
     * The smallest and largest pending key (null when none): a point read outside them goes straight to the base.
     * An insertMany's keys are mostly new and ascending, and the queued commits it reads through hold other key
     * ranges, so most of its duplicate checks skip every overlay's tree walk (docs/PERFORMANCE.md, "Load path").
     */
    private byte[] low;
    private byte[] high;

    OverlayKeyReader(KeyReader base) {
        this(base, new TreeMap<>(Arrays::compareUnsigned));
    }

    /**
     * A fixed overlay: {@code changes} (from {@link #changesOf}) over base, never changed afterwards. A queued
     * but unwritten commit is read this way by the next writer of its branch ({@link CommitPipeline}).
     */
    OverlayKeyReader(KeyReader base, NavigableMap<byte[], byte[]> changes) {
        this.base = base;
        this.pending = changes;
        bounds();
    }

    private void bounds() {
        low = pending.isEmpty() ? null : pending.firstKey();
        high = pending.isEmpty() ? null : pending.lastKey();
    }

    private void widen(byte[] key) {
        if (low == null) {
            low = key;
            high = key;
        } else if (Arrays.compareUnsigned(key, low) < 0) {
            low = key;
        } else if (Arrays.compareUnsigned(key, high) > 0) {
            high = key;
        }
    }

    /** The key changes of a commit's entries in key order (a later write of a key wins), deletes marked as such. */
    static NavigableMap<byte[], byte[]> changesOf(java.util.List<dev.argon.wal.LogEntry> entries) {
        NavigableMap<byte[], byte[]> m = new TreeMap<>(Arrays::compareUnsigned);
        for (dev.argon.wal.LogEntry e : entries) {
            for (dev.argon.wal.KeyWrite w : e.writes()) {
                m.put(w.userKey(), w.payload() == null ? TOMBSTONE : w.payload());
            }
        }
        return m;
    }

    /** The reader under the pending changes. */
    KeyReader base() {
        return base;
    }

    /**
     * Lays the overlay over a new base and forgets every pending change: called once those changes are part of
     * the new base (a streamed write's chunk was staged). No scan of this overlay may be open.
     */
    void rebase(KeyReader newBase) {
        base = newBase;
        pending.clear();
        bounds();
    }

    /**
     * A reader of the current state that later changes to this one do not affect: the same base, a copy of the
     * pending changes. A transaction's reads take one, so that a cursor left open by one statement never meets
     * the writes of the next (and never iterates a map that is being changed).
     */
    OverlayKeyReader copy() {
        OverlayKeyReader c = new OverlayKeyReader(base);
        c.pending.putAll(pending);
        c.bounds();
        return c;
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    void put(byte[] key, byte[] payload) {
        pending.put(key, payload);
        widen(key);
    }

    void delete(byte[] key) {
        pending.put(key, TOMBSTONE);
        widen(key);
    }

    @Override
    public byte[] get(byte[] userKey) {
        if (low == null || Arrays.compareUnsigned(userKey, low) < 0 || Arrays.compareUnsigned(userKey, high) > 0) {
            return base.get(userKey);
        }
        byte[] p = pending.get(userKey);
        if (p != null) {
            return p == TOMBSTONE ? null : p;
        }
        return base.get(userKey);
    }

    @Override
    public boolean noneBetween(byte[] from, byte[] to) {
        // Any pending change in the range, a delete too, leaves the question to the reads key by key.
        boolean outside = low == null || Arrays.compareUnsigned(to, low) < 0 || Arrays.compareUnsigned(from, high) > 0;
        if (!outside && !pending.subMap(from, true, to, true).isEmpty()) {
            return false;
        }
        return base.noneBetween(from, to);
    }

    @Override
    public Scan scan(byte[] prefix, byte[] startUserKey) {
        byte[] from = startUserKey != null ? startUserKey : prefix;
        byte[] end = Bytes.prefixEnd(prefix);
        NavigableMap<byte[], byte[]> range = end == null ? pending.tailMap(from, true) : pending.subMap(from, true, end, false);
        Scan b = base.scan(prefix, startUserKey);
        if (range.isEmpty()) {
            return b;
        }
        return new Merged(b, range.entrySet().iterator(), 1);
    }

    @Override
    public Scan scanBackward(byte[] prefix, byte[] beforeUserKey) {
        byte[] end = beforeUserKey != null ? beforeUserKey : Bytes.prefixEnd(prefix);
        NavigableMap<byte[], byte[]> range = end == null ? pending.tailMap(prefix, true) : pending.subMap(prefix, true, end, false);
        Scan b = base.scanBackward(prefix, beforeUserKey);
        if (range.isEmpty()) {
            return b;
        }
        return new Merged(b, range.descendingMap().entrySet().iterator(), -1);
    }

    /**
     * Merges the base scan with the pending range, both in the same direction (1 ascending, -1 descending); the
     * pending side wins on equal keys.
     */
    private static final class Merged implements Scan {
        private final int direction;
        private final Scan base;
        private final Iterator<Map.Entry<byte[], byte[]>> over;
        private Entry b;
        private Map.Entry<byte[], byte[]> o;
        private Entry next;

        Merged(Scan base, Iterator<Map.Entry<byte[], byte[]>> over, int direction) {
            this.direction = direction;
            this.base = base;
            this.over = over;
            b = base.hasNext() ? base.next() : null;
            o = over.hasNext() ? over.next() : null;
            advance();
        }

        private void advance() {
            next = null;
            while (next == null && (b != null || o != null)) {
                int c = b == null ? 1 : o == null ? -1 : direction * Arrays.compareUnsigned(b.key(), o.getKey());
                if (c < 0) {
                    next = b;
                    b = base.hasNext() ? base.next() : null;
                } else {
                    if (o.getValue() != TOMBSTONE) {
                        next = new Entry(o.getKey(), o.getValue());
                    }
                    if (c == 0) {
                        b = base.hasNext() ? base.next() : null;
                    }
                    o = over.hasNext() ? over.next() : null;
                }
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Entry next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            Entry e = next;
            advance();
            return e;
        }

        @Override
        public void close() {
            base.close();
        }
    }
}
