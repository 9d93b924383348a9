package dev.argon.engine.store;

import dev.argon.wal.ReadView;
import dev.argon.wal.VersionScan;
import dev.argon.wal.VersionSource;

/**
 * A {@link KeyReader} over the WAL (live, or a read-only inspector for offline checks) at one {@link ReadView}.
 * Thread-safe (stateless over an immutable view).
 */
final class WalKeyReader implements KeyReader {
    private final VersionSource wal;
    private final ReadView view;

    WalKeyReader(VersionSource wal, ReadView view) {
        this.wal = wal;
        this.view = view;
    }

    @Override
    public byte[] get(byte[] userKey) {
        return wal.get(view, userKey);
    }

    @Override
    public boolean noneBetween(byte[] from, byte[] to) {
        // Answered for every branch at once: an entry of another branch in the range only makes it say nothing.
        return wal.noneBetween(from, to);
    }

    @Override
    public Scan scan(byte[] prefix, byte[] startUserKey) {
        return wrap(wal.scan(view, prefix, startUserKey));
    }

    @Override
    public Scan scanBackward(byte[] prefix, byte[] beforeUserKey) {
        return wrap(wal.scanBackward(view, prefix, beforeUserKey));
    }

    private static Scan wrap(VersionScan s) {
        return new Scan() {
            @Override
            public boolean hasNext() {
                return s.hasNext();
            }

            @Override
            public Entry next() {
                VersionScan.Entry e = s.next();
                return new Entry(e.userKey(), e.payload());
            }

            @Override
            public void close() {
                s.close();
            }
        };
    }
}
