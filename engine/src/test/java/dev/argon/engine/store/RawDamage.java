package dev.argon.engine.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Damages the versions family of a closed data directory with RocksDB directly. It relies only on a stored
 * version's key starting with its user key (user keys are prefix-free), not on what follows, so it holds
 * for any version suffix layout. Not thread-safe; close it before checking.
 */
final class RawDamage implements AutoCloseable {
    private static final String[] FAMILIES = {"default", "log", "versions", "commits", "times"};

    private final DBOptions options = new DBOptions();
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final RocksDB db;

    RawDamage(Path dir) throws RocksDBException {
        List<ColumnFamilyDescriptor> d = new ArrayList<>();
        for (String f : FAMILIES) {
            d.add(new ColumnFamilyDescriptor(f.getBytes(StandardCharsets.UTF_8)));
        }
        db = RocksDB.open(options, dir.toString(), d, handles);
    }

    private ColumnFamilyHandle versions() {
        return handles.get(2);
    }

    /** Deletes every stored version of userKey; returns how many there were. */
    int deleteAllVersions(byte[] userKey) throws RocksDBException {
        int n = 0;
        try (RocksIterator it = db.newIterator(versions())) {
            for (it.seek(userKey); it.isValid() && startsWith(it.key(), userKey); it.next()) {
                db.delete(versions(), it.key());
                n++;
            }
        }
        return n;
    }

    /** Stores a copy of each version of existing under another user key, as if it had been written too. */
    int copyVersions(byte[] existing, byte[] other) throws RocksDBException {
        int n = 0;
        try (RocksIterator it = db.newIterator(versions())) {
            for (it.seek(existing); it.isValid() && startsWith(it.key(), existing); it.next()) {
                byte[] k = it.key();
                byte[] copy = Arrays.copyOf(other, other.length + k.length - existing.length);
                System.arraycopy(k, existing.length, copy, other.length, k.length - existing.length);
                db.put(versions(), copy, it.value());
                n++;
            }
        }
        return n;
    }

    private static boolean startsWith(byte[] k, byte[] p) {
        return k.length >= p.length && Arrays.equals(k, 0, p.length, p, 0, p.length);
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
