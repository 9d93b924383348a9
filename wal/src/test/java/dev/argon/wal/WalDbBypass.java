package dev.argon.wal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/** A raw RocksDB handle on a data directory, bypassing every check of WalDb, for tests that damage metadata. */
final class WalDbBypass implements AutoCloseable {
    private final RocksDB db;
    private final DBOptions options = new DBOptions();
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();

    WalDbBypass(Path dir) throws RocksDBException {
        List<byte[]> names;
        try (Options o = new Options()) {
            names = RocksDB.listColumnFamilies(o, dir.toString());
        }
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (byte[] n : names) {
            descriptors.add(new ColumnFamilyDescriptor(n));
        }
        db = RocksDB.open(options, dir.toString(), descriptors, handles);
    }

    /** Puts a key in the metadata (default) family; a null value deletes it. */
    void put(byte[] key, byte[] value) throws RocksDBException {
        if (value == null) {
            db.delete(handles.get(0), key);
        } else {
            db.put(handles.get(0), key, value);
        }
    }

    @Override
    public void close() {
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        db.close();
        options.close();
    }
}
