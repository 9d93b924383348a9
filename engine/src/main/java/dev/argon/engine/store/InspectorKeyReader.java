package dev.argon.engine.store;

import dev.argon.wal.ReadView;
import dev.argon.wal.VersionScan;
import dev.argon.wal.WalInspector;

/** A {@link KeyReader} over a read-only {@link WalInspector} at one view, for offline checks. Not thread-safe. */
final class InspectorKeyReader implements KeyReader {
    private final WalInspector in;
    private final ReadView view;

    InspectorKeyReader(WalInspector in, ReadView view) {
        this.in = in;
        this.view = view;
    }

    @Override
    public byte[] get(byte[] userKey) {
        return in.get(view, userKey);
    }

    @Override
    public Scan scan(byte[] prefix, byte[] startUserKey) {
        VersionScan s = in.scan(view, prefix, startUserKey);
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
