package dev.argon.wal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Statistics;
import org.rocksdb.StatsLevel;
import org.rocksdb.TickerType;

/**
 * The RocksDB handle and its column families. Owns every native object so that {@link #close()} frees them in
 * the right order. Thread-safe (RocksDB is).
 */
final class WalDb implements AutoCloseable {
    static {
        NativeLibrary.load();
    }

    /**
     * The on-disk format this build reads and writes, kept under {@link #FORMAT_KEY} in the metadata. 3: versions
     * keyed {@code userKey | ~branchId | ~lsn} plus the {@code latest} family (2 had no {@code latest}; 1,
     * unrecorded, had {@code userKey | ~lsn} with the branch id in the value). See docs/FORMATS.md.
     */
    static final int FORMAT_VERSION = 3;
    static final byte[] FORMAT_KEY = "formatVersion".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    /**
     * Metadata key a restore writes (synced) before it loads anything and deletes (synced) once everything is on
     * disk: a directory that still has it was left by a restore that died midway, and no open accepts it.
     */
    static final byte[] RESTORING_KEY = "restoring".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final byte[] ANY_BRANCH = "branch/".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final RocksDB db;
    private final DBOptions dbOptions;
    private final List<ColumnFamilyOptions> cfOptions = new ArrayList<>();
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final LRUCache cache;
    /** RocksDB's own counters, only when {@link #STATISTICS_PROPERTY} is set (they cost a little on every write). */
    private final Statistics statistics;

    /** JVM system property: "true" turns RocksDB's statistics on (bytes written by its log, flushes, compactions). */
    static final String STATISTICS_PROPERTY = "argon.wal.statistics";
    /**
     * JVM system property choosing the compression of the {@code versions} family, which holds the documents:
     * {@code lz4+zstd} (LZ4 in the upper levels, zstd in the bottommost), {@code zstd} (zstd in every level) or
     * {@code none}. For measurements (docs/PERFORMANCE.md, "Write amplification"). The default is {@code zstd}: measured
     * on 1 KB documents it kept the upper levels at 0.61 of the raw size where LZ4 kept 1.06, for the same CPU time
     * per write (compression runs in the background flushes and compactions).
     */
    static final String VERSIONS_COMPRESSION_PROPERTY = "argon.wal.versionsCompression";
    /** RocksDB log files kept for reuse (see the constructor); {@code argon.wal.recycledLogs} overrides it. */
    static final long RECYCLED_LOGS = Long.getLong("argon.wal.recycledLogs", 4);
    /**
     * zstd level of the {@code versions} and {@code latest} files above the bottommost level, flushes included
     * (JVM property {@code argon.wal.upperZstdLevel}; RocksDB's default is 3). A load of 1 KB documents spent about
     * half of the server's CPU in the flush's zstd at level 3 (docs/PERFORMANCE.md, "Sixth round").
     */
    static final int UPPER_ZSTD_LEVEL = Integer.getInteger("argon.wal.upperZstdLevel", 1);
    static final String[] FAMILY_NAMES = {"default", "log", "versions", "commits", "times", "latest"};

    /** Directories this process has open, so a read-only check refuses them too (a file lock cannot tell). */
    private static final java.util.Set<Path> OPEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final boolean readOnly;
    /** The tier's segments, read behind stubs in {@code versions}; {@link ColdVersions#NONE} until attached. */
    private volatile ColdVersions cold = ColdVersions.NONE;

    WalDb(Path dir) {
        this(dir, false);
    }

    /**
     * Opens the database; read-only replays the RocksDB WAL in memory and writes nothing (for {@code fsck}),
     * and needs an existing Argon data directory.
     */
    WalDb(Path dir, boolean readOnly) {
        this(dir, readOnly, true);
    }

    /**
     * As {@link #WalDb(Path, boolean)}; {@code recycleLogs} false for a bulk load that writes without RocksDB's log
     * ({@link WalLoader}), which RocksDB refuses while log files are recycled.
     */
    WalDb(Path dir, boolean readOnly, boolean recycleLogs) {
        this.dir = dir.toAbsolutePath().normalize();
        this.readOnly = readOnly;
        try {
            if (!readOnly) {
                Files.createDirectories(dir);
            }
            // 256 MB of block cache: enough for the hot part of a working set on a laptop-size machine,
            // small next to the 24 GB the reference machine has.
            cache = new LRUCache(256L << 20);
            // Recycled RocksDB log files: a new log overwrites an old one in place instead of growing a fresh
            // file, so a journaled write's fdatasync flushes data blocks only, without an ext4 journal commit for
            // the file's new size. Measured on the reference machine's disk, an overwriting fdatasync took half
            // the time and two thirds of the CPU of an appending one (PERFORMANCE.md, "Sixth round").
            dbOptions = new DBOptions().setCreateIfMissing(!readOnly).setCreateMissingColumnFamilies(!readOnly)
                    .setMaxBackgroundJobs(2).setKeepLogFileNum(4).setRecycleLogFileNum(recycleLogs ? RECYCLED_LOGS : 0);
            statistics = Boolean.getBoolean(STATISTICS_PROPERTY) ? new Statistics() : null;
            if (statistics != null) {
                statistics.setStatsLevel(StatsLevel.EXCEPT_DETAILED_TIMERS);
                dbOptions.setStatistics(statistics);
            }
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            for (String name : FAMILY_NAMES) {
                ColumnFamilyOptions o = new ColumnFamilyOptions();
                BlockBasedTableConfig table = new BlockBasedTableConfig().setBlockCache(cache);
                // No Bloom filter yet: reads are bounded seeks over variable-length user keys, which a
                // whole-key filter cannot serve; a prefix filter needs a fixed-length prefix (see PERFORMANCE.md).
                o.setTableFormatConfig(table);
                o.setCompressionType(CompressionType.LZ4_COMPRESSION);
                o.setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION);
                if (name.equals("versions") || name.equals("latest")) {
                    compressVersions(o);
                }
                cfOptions.add(o);
                descriptors.add(new ColumnFamilyDescriptor(name.getBytes(java.nio.charset.StandardCharsets.UTF_8), o));
            }
            db = readOnly ? RocksDB.openReadOnly(dbOptions, dir.toString(), descriptors, handles)
                    : RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
            checkFormat();
            if (unfinishedRestore()) {
                throw new WalException("the data directory " + dir + " holds a restore that did not finish (the restoring"
                        + " process stopped midway): delete the directory and restore again", -1, -1, null);
            }
            if (!readOnly) {
                OPEN.add(this.dir);
            }
        } catch (WalException e) {
            closeHandles();
            throw e;
        } catch (UnsupportedFormatException e) {
            closeHandles();
            throw e;
        } catch (RocksDBException | java.io.IOException e) {
            throw new WalException("cannot open the data directory " + dir + ": " + e.getMessage(), -1, -1, e);
        }
    }

    /**
     * Refuses a directory of another format; records the format in a new one. A directory without a format
     * record but with branches was written by the first format (before the record existed).
     */
    private void checkFormat() throws RocksDBException {
        byte[] v;
        try {
            v = db.get(meta(), FORMAT_KEY);
        } catch (RocksDBException e) {
            if (readOnly) {
                // fsck opens damaged directories on purpose: the checker reports the damage itself.
                return;
            }
            throw e;
        }
        if (v != null) {
            int found = v.length == 4 ? Bytes.getInt(v, 0) : -1;
            if (found != FORMAT_VERSION) {
                throw new UnsupportedFormatException(dir, found);
            }
            return;
        }
        boolean empty;
        try (org.rocksdb.RocksIterator it = db.newIterator(meta())) {
            it.seek(ANY_BRANCH);
            empty = !(it.isValid() && Bytes.startsWith(it.key(), ANY_BRANCH));
        }
        if (!empty) {
            throw new UnsupportedFormatException(dir, 0);
        }
        if (!readOnly) {
            byte[] rec = new byte[4];
            Bytes.putInt(rec, 0, FORMAT_VERSION);
            try (org.rocksdb.WriteOptions wo = new org.rocksdb.WriteOptions().setSync(true)) {
                db.put(meta(), wo, FORMAT_KEY, rec);
            }
        }
    }

    /** Whether {@link #RESTORING_KEY} is there; fsck opens damaged directories on purpose, so it cannot always tell. */
    private boolean unfinishedRestore() throws RocksDBException {
        try {
            return db.get(meta(), RESTORING_KEY) != null;
        } catch (RocksDBException e) {
            if (readOnly) {
                return false; // the checker reports the damage itself
            }
            throw e;
        }
    }

    private static void compressVersions(ColumnFamilyOptions o) {
        String choice = System.getProperty(VERSIONS_COMPRESSION_PROPERTY, "zstd");
        switch (choice) {
            case "lz4+zstd" -> { }
            case "zstd" -> {
                o.setCompressionType(CompressionType.ZSTD_COMPRESSION);
                // Flushes (and compactions above the bottommost level) at a cheaper level; the bottommost level,
                // where the data ends up, keeps RocksDB's default. Once set, compression_opts would also stand for
                // the bottommost level, hence its own enabled options.
                try (org.rocksdb.CompressionOptions upper = new org.rocksdb.CompressionOptions().setLevel(UPPER_ZSTD_LEVEL);
                     org.rocksdb.CompressionOptions bottom = new org.rocksdb.CompressionOptions().setEnabled(true)) {
                    o.setCompressionOptions(upper);
                    o.setBottommostCompressionOptions(bottom);
                }
            }
            case "none" -> o.setCompressionType(CompressionType.NO_COMPRESSION).setBottommostCompressionType(CompressionType.NO_COMPRESSION);
            default -> throw new IllegalArgumentException(VERSIONS_COMPRESSION_PROPERTY + " must be lz4+zstd, zstd or none, not '" + choice + "'");
        }
    }

    /** RocksDB's counter, or -1 when statistics are off. */
    long ticker(TickerType t) {
        return statistics == null ? -1 : statistics.getTickerCount(t);
    }

    /** Per column family, the bytes of the SST files holding its current data. */
    java.util.Map<String, Long> liveSstBytes() {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        try {
            for (int i = 0; i < FAMILY_NAMES.length; i++) {
                out.put(FAMILY_NAMES[i], db.getLongProperty(handles.get(i), "rocksdb.live-sst-files-size"));
            }
        } catch (RocksDBException e) {
            throw new WalException("cannot read the SST sizes: " + e.getMessage(), -1, -1, e);
        }
        return out;
    }

    /** Per column family, live SST bytes and memtable bytes (active and immutable, not yet flushed). */
    java.util.Map<String, StorageUsage.FamilyBytes> familyBytes() {
        java.util.Map<String, StorageUsage.FamilyBytes> out = new java.util.LinkedHashMap<>();
        try {
            for (int i = 0; i < FAMILY_NAMES.length; i++) {
                out.put(FAMILY_NAMES[i], new StorageUsage.FamilyBytes(db.getLongProperty(handles.get(i), "rocksdb.live-sst-files-size"),
                        db.getLongProperty(handles.get(i), "rocksdb.cur-size-all-mem-tables")));
            }
        } catch (RocksDBException e) {
            throw new WalException("cannot read the family sizes: " + e.getMessage(), -1, -1, e);
        }
        return out;
    }

    ColdVersions cold() {
        return cold;
    }

    void cold(ColdVersions c) {
        this.cold = c;
    }

    Path dir() {
        return dir;
    }

    /** True while RocksDB has flushes or compactions pending or running on the versions family. */
    boolean backgroundWorkPending() {
        try {
            return db.getLongProperty(versions(), "rocksdb.compaction-pending") > 0
                    || db.getLongProperty(versions(), "rocksdb.num-running-compactions") > 0
                    || db.getLongProperty(versions(), "rocksdb.num-running-flushes") > 0
                    || db.getLongProperty(versions(), "rocksdb.mem-table-flush-pending") > 0;
        } catch (RocksDBException e) {
            throw new WalException("cannot read RocksDB's properties: " + e.getMessage(), -1, -1, e);
        }
    }

    /** Flushes every memtable to SST files, then, if asked, compacts every family into its bottommost level. */
    void flush(boolean compact) {
        // kForce: without it a compaction may move a lone file down unchanged, keeping its upper-level compression.
        try (org.rocksdb.FlushOptions f = new org.rocksdb.FlushOptions().setWaitForFlush(true);
             org.rocksdb.CompactRangeOptions c = new org.rocksdb.CompactRangeOptions()
                     .setBottommostLevelCompaction(org.rocksdb.CompactRangeOptions.BottommostLevelCompaction.kForce)) {
            db.flush(f, handles);
            if (compact) {
                for (ColumnFamilyHandle h : handles) {
                    db.compactRange(h, null, null, c);
                }
            }
        } catch (RocksDBException e) {
            throw new WalException("cannot flush: " + e.getMessage(), -1, -1, e);
        }
    }

    /**
     * zstd level of the SST files a restore writes. Measured on 200,000 documents of 1 KB (docs/PERFORMANCE.md):
     * level 1 costs the writers about 20% less CPU than RocksDB's default (3) for files about 2% larger; a
     * compaction that rewrites them later uses the family's own level.
     */
    static final int BULK_ZSTD_LEVEL = 1;

    /**
     * Options for an {@code SstFileWriter} making files of {@code family}: the family's own table format and
     * compression type (the writer applies the bottommost one, the level ingested files land in), at
     * {@link #BULK_ZSTD_LEVEL}. The caller closes them.
     */
    org.rocksdb.Options sstOptions(ColumnFamilyHandle family) {
        int i = handles.indexOf(family);
        if (i < 0) {
            throw new IllegalArgumentException("not a column family of " + dir);
        }
        org.rocksdb.Options o = new org.rocksdb.Options(dbOptions, cfOptions.get(i));
        try (org.rocksdb.CompressionOptions c = new org.rocksdb.CompressionOptions().setLevel(BULK_ZSTD_LEVEL).setEnabled(true)) {
            o.setBottommostCompressionOptions(c);
        }
        return o;
    }

    /** True if this process has the data directory open for writing. */
    static boolean openHere(Path dir) {
        return OPEN.contains(dir.toAbsolutePath().normalize());
    }

    RocksDB db() {
        return db;
    }

    /** The handle of an archived column family by its name (every family but {@code latest}, which is rebuilt). */
    ColumnFamilyHandle archivedFamily(String family) {
        return switch (family) {
            case "default" -> meta();
            case "log" -> log();
            case "versions" -> versions();
            case "commits" -> commits();
            case "times" -> times();
            default -> throw new IllegalArgumentException("no archived column family '" + family + "'");
        };
    }

    ColumnFamilyHandle meta() {
        return handles.get(0);
    }

    ColumnFamilyHandle log() {
        return handles.get(1);
    }

    ColumnFamilyHandle versions() {
        return handles.get(2);
    }

    ColumnFamilyHandle commits() {
        return handles.get(3);
    }

    ColumnFamilyHandle times() {
        return handles.get(4);
    }

    ColumnFamilyHandle latest() {
        return handles.get(5);
    }

    @Override
    public void close() {
        closeHandles();
        if (!readOnly) {
            OPEN.remove(dir);
        }
    }

    private void closeHandles() {
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        db.close();
        dbOptions.close();
        for (ColumnFamilyOptions o : cfOptions) {
            o.close();
        }
        cache.close();
        if (statistics != null) {
            statistics.close();
        }
    }
}
