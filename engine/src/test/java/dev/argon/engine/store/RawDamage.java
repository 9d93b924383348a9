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
 * Damages the versions and latest families of a closed data directory with RocksDB directly (the same way in
 * both, so reads see the damage). It relies only on a stored key starting with its user key (user keys are
 * prefix-free), not on what follows, so it holds for any suffix layout. Not thread-safe; close it before
 * checking.
 */
final class RawDamage implements AutoCloseable {
    private static final String[] FAMILIES = {"default", "log", "versions", "commits", "times", "latest"};

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

    private ColumnFamilyHandle latest() {
        return handles.get(5);
    }

    /** Deletes every stored version of userKey (and its latest entries); returns how many versions there were. */
    int deleteAllVersions(byte[] userKey) throws RocksDBException {
        deleteAll(latest(), userKey);
        return deleteAll(versions(), userKey);
    }

    private int deleteAll(ColumnFamilyHandle cf, byte[] userKey) throws RocksDBException {
        int n = 0;
        try (RocksIterator it = db.newIterator(cf)) {
            for (it.seek(userKey); it.isValid() && startsWith(it.key(), userKey); it.next()) {
                db.delete(cf, it.key());
                n++;
            }
        }
        return n;
    }

    /**
     * Stores a copy of each version (and latest entry) of existing under another user key, as if it had been
     * written too; returns how many versions were copied.
     */
    int copyVersions(byte[] existing, byte[] other) throws RocksDBException {
        copyAll(latest(), existing, other);
        return copyAll(versions(), existing, other);
    }

    private int copyAll(ColumnFamilyHandle cf, byte[] existing, byte[] other) throws RocksDBException {
        int n = 0;
        try (RocksIterator it = db.newIterator(cf)) {
            for (it.seek(existing); it.isValid() && startsWith(it.key(), existing); it.next()) {
                byte[] k = it.key();
                byte[] copy = Arrays.copyOf(other, other.length + k.length - existing.length);
                System.arraycopy(k, existing.length, copy, other.length, k.length - existing.length);
                db.put(cf, copy, it.value());
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
