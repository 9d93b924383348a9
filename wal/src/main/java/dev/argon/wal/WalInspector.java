package dev.argon.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Read-only access to a stopped data directory, for offline checks ({@code argon fsck}). Opening takes
 * RocksDB's {@code LOCK} file the way RocksDB does (an fcntl lock), so a directory another process has open
 * is refused and no server can start on it while the check runs; the database itself is opened read-only,
 * replaying RocksDB's WAL in memory, so nothing on disk changes. Reads see the directory as a server would
 * after a restart. Not thread-safe: one check at a time.
 */
public final class WalInspector implements VersionSource, AutoCloseable {
    /** One stored version of a user key. */
    public record Version(int branchId, boolean tombstone, byte[] payload) {}

    static final byte[] LAST_LSN = "lastLsn".getBytes(StandardCharsets.UTF_8);
    static final byte[] BRANCH_PREFIX = "branch/".getBytes(StandardCharsets.UTF_8);

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final WalDb db;
    private final ReadOptions reads = new ReadOptions();
    private final BranchRegistry branches = new BranchRegistry();
    private final LogImages images;

    private final TierConfig tier;

    private WalInspector(Path dir, FileChannel lockChannel, FileLock lock, WalDb db, TierConfig tier) {
        this.dir = dir;
        this.tier = tier;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.db = db;
        this.images = new LogImages(db, branches, this);
        TierCatalog catalog = TierCatalog.read(db);
        if (catalog.tiered()) {
            // Compacted history is read from the tier given (by default the folder <data-dir>/objects); a directory
            // whose tier is elsewhere is refused by the check rather than reported as missing data.
            try {
                TierConfig.check(tier, catalog);
            } catch (TierMismatchException e) {
                db.close();
                throw e;
            }
            db.cold(TierConfig.attach(tier, db.dir(), catalog.segments()));
        }
        try (RocksIterator it = db.db().newIterator(db.meta())) {
            for (it.seek(BRANCH_PREFIX); it.isValid() && Bytes.startsWith(it.key(), BRANCH_PREFIX); it.next()) {
                try {
                    branches.apply(BranchRegistry.decode(it.value()));
                } catch (RuntimeException e) {
                    // reported by WalChecker; a view simply lacks this branch
                }
            }
        }
    }

    /**
     * Opens a stopped data directory read-only.
     *
     * @throws IllegalArgumentException if there is no data directory there
     * @throws DataDirInUseException if another process (or this one) has it open
     * @throws WalException if RocksDB cannot open it (a damaged directory)
     */
    public static WalInspector open(Path dir) {
        return open(dir, TierConfig.DEFAULT);
    }

    /**
     * As {@link #open(Path)}, reading compacted history from the given tier ({@code argon fsck --tier}); an owned
     * store is closed with the inspector (and left to the caller when opening fails).
     *
     * @throws TierMismatchException if the tier catalog lists segments of another tier
     */
    public static WalInspector open(Path dir, TierConfig tier) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no data directory at " + dir);
        }
        if (!Files.isRegularFile(dir.resolve("CURRENT"))) {
            throw new IllegalArgumentException(dir + " is not an Argon data directory (it has no RocksDB CURRENT file)");
        }
        if (WalDb.openHere(dir)) {
            throw new DataDirInUseException(dir, "this process has it open");
        }
        FileChannel channel = null;
        FileLock lock = null;
        try {
            Path lockFile = dir.resolve("LOCK");
            if (Files.exists(lockFile)) {
                channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock == null) {
                    channel.close();
                    throw new DataDirInUseException(dir, "another process holds its LOCK file");
                }
            }
            return new WalInspector(dir, channel, lock, new WalDb(dir, true), tier);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new WalException("cannot lock the data directory " + dir + ": " + e.getMessage(), -1, -1, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing to do: the lock goes with the channel
            }
        }
    }

    public Path dir() {
        return dir;
    }

    WalDb db() {
        return db;
    }

    /** The last LSN recorded in the metadata (0 for an empty directory). */
    public long lastLsn() {
        try {
            byte[] v = db.db().get(db.meta(), LAST_LSN);
            return v == null || v.length != 8 ? 0 : Bytes.getLong(v, 0);
        } catch (RocksDBException e) {
            throw new WalException("cannot read the last LSN: " + e.getMessage(), -1, -1, e);
        }
    }

    /** A metadata value, or null. */
    public byte[] meta(byte[] key) {
        try {
            return db.db().get(db.meta(), key);
        } catch (RocksDBException e) {
            throw new WalException("cannot read metadata: " + e.getMessage(), -1, -1, e);
        }
    }

    /** What GC has given up (none if it never ran); see {@link GcMarks}. */
    public GcMarks gcMarks() {
        return GcMarks.decode(meta(GcMarks.KEY));
    }

    /** Every branch record that decodes, live or not (deleted and reset ones keep nameless records). */
    public List<Branch> allBranches() {
        return new ArrayList<>(branches.all());
    }

    /** Named branches (what {@code listBranches} shows). */
    public List<Branch> liveBranches() {
        return branches.named();
    }

    public Branch branch(int id) {
        return branches.get(id);
    }

    /** The view of a branch at lsn: itself up to lsn, each ancestor up to the next fork point. */
    public ReadView view(int branchId, long lsn) {
        return branches.view(branchId, lsn);
    }

    /** The visible payload of userKey in view, or null if absent or deleted. */
    @Override
    public byte[] get(ReadView view, byte[] userKey) {
        try (RocksIterator latest = db.db().newIterator(db.latest(), reads); RocksIterator it = db.db().newIterator(db.versions(), reads)) {
            byte[] v = new VersionCursor(latest, it, db::cold).read(view, userKey);
            return v == null || VersionKeys.isTombstone(v) ? null : VersionKeys.payload(v);
        }
    }

    /** Visible live keys under prefix in key order; close the scan. */
    @Override
    public VersionScan scan(ReadView view, byte[] prefix, byte[] startUserKey) {
        return new VersionScan(db, view, prefix, startUserKey);
    }

    /** The version of userKey that branchId wrote at exactly lsn, or null. */
    public Version version(byte[] userKey, int branchId, long lsn) {
        try {
            byte[] v = LogImages.exact(db, VersionKeys.key(userKey, branchId, lsn));
            if (v == null || v.length < 1) {
                return null;
            }
            return new Version(branchId, VersionKeys.isTombstone(v), VersionKeys.isTombstone(v) ? null : VersionKeys.payload(v));
        } catch (RocksDBException e) {
            throw new WalException("cannot read a version: " + e.getMessage(), -1, lsn, e);
        }
    }

    /**
     * Every log entry that decodes, oldest first (undecodable ones are WalChecker's to report). Its images are
     * read when asked for, while this inspector is open.
     */
    public void forEachLogEntry(Consumer<LogRecord> action) {
        LogImages.Commit commit = null;
        TierCatalog catalog = TierCatalog.read(db);
        for (ColdLog cold = new ColdLog(db, null, catalog, 0, catalog.logCutoff(), false); cold.hasNext(); ) {
            byte[][] e = cold.next();
            LogRecord r;
            try {
                r = LogRecord.decode(Bytes.getLong(e[0], 0), Bson.document(e[1]), images, commit);
            } catch (RuntimeException x) {
                continue;
            }
            action.accept(r);
            commit = r.commitIfRead(commit);
        }
        try (RocksIterator it = db.db().newIterator(db.log())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (k.length != 8) {
                    continue;
                }
                LogRecord r;
                try {
                    r = LogRecord.decode(Bytes.getLong(k, 0), Bson.document(it.value()), images, commit);
                } catch (RuntimeException e) {
                    continue;
                }
                action.accept(r);
                commit = r.commitIfRead(commit);
            }
            status(it);
        }
    }

    static void status(RocksIterator it) {
        try {
            it.status();
        } catch (RocksDBException e) {
            throw new WalException("read failed: " + e.getMessage(), -1, -1, e);
        }
    }

    /** Tags that decode. */
    public List<Tag> tags() {
        List<Tag> out = new ArrayList<>();
        byte[] prefix = "tag/".getBytes(StandardCharsets.UTF_8);
        try (RocksIterator it = db.db().newIterator(db.meta())) {
            for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                try {
                    var d = Bson.document(it.value());
                    out.add(new Tag(new String(it.key(), prefix.length, it.key().length - prefix.length, StandardCharsets.UTF_8),
                            d.getInt32("branchId").getValue(), d.getInt64("lsn").getValue(), d.getInt64("createdAt").getValue(),
                            d.isString("createdBy") ? d.getString("createdBy").getValue() : null));
                } catch (RuntimeException e) {
                    // reported by WalChecker
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        reads.close();
        if (db.cold() != ColdVersions.NONE) {
            TierConfig.close(db.cold(), tier);
        } else if (tier != null && tier.ownsStore()) {
            tier.store().close();
        }
        db.close();
        try {
            if (lock != null) {
                lock.release();
            }
        } catch (IOException ignored) {
            // closing the channel releases it anyway
        }
        closeQuietly(lockChannel);
    }

    @Override
    public VersionScan scanBackward(ReadView view, byte[] prefix, byte[] beforeUserKey) {
        return VersionScan.backward(db, view, prefix, beforeUserKey);
    }
}
