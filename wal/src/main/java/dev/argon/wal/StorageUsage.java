package dev.argon.wal;

import java.util.Map;

/**
 * Where the data directory's bytes are, measured when asked ({@link VersionStore#storageUsage(boolean)}): per RocksDB
 * column family, the local object folder, the stored versions against their raw size, and per branch the bytes
 * of versions it stores and of those no other name can reach. Immutable.
 *
 * @param families        per column family (in {@code docs/FORMATS.md} order): live SST bytes and memtable bytes
 * @param rocksdbFileBytes every file of the data directory outside the object folder (SSTs, RocksDB's log and
 *                        manifest, obsolete files not yet deleted): what RocksDB takes on disk
 * @param objectFolderBytes bytes of the files under {@code <data-dir>/objects} (segments, their local cache); 0
 *                        when the folder does not exist
 * @param objectFolderFiles files under it
 * @param stubs             stub entries among the versions (compacted history, counted in versionCount)
 * @param versionCount    stored versions (documents, index entries, catalog entries, tombstones), every branch
 * @param rawVersionBytes their keys and values as written, before compression
 * @param branches        per live branch name: see {@link BranchBytes}
 * @param unownedBytes    raw bytes of versions under branch ids no live name owns (a dropped branch not yet
 *                        collected, or the part of it a live child still reads)
 */
public record StorageUsage(Map<String, FamilyBytes> families, long rocksdbFileBytes, long objectFolderBytes,
                           long objectFolderFiles, long versionCount, long rawVersionBytes,
                           Map<String, BranchBytes> branches, long unownedBytes, long stubs) {
    /** The local object folder's name inside the data directory (LocalFolderStore's default root). */
    public static final String OBJECT_FOLDER = "objects";

    /** One column family: bytes in live SST files and in memtables (written, not yet flushed). */
    public record FamilyBytes(long sstBytes, long memtableBytes) {
        public long total() {
            return sstBytes + memtableBytes;
        }
    }

    /**
     * One branch name (its current id and, through resets, the ids it had before).
     *
     * @param versions      versions stored under those ids: its own writes, current and overwritten
     * @param bytes         their raw bytes
     * @param uniqueVersions those that no other branch or tag reaches at any point: dropping the branch (and
     *                      letting GC run) would free them
     * @param uniqueBytes   their raw bytes
     */
    public record BranchBytes(long versions, long bytes, long uniqueVersions, long uniqueBytes) {}

    public StorageUsage {
        families = Map.copyOf(families);
        branches = Map.copyOf(branches);
    }

    /** Live SST plus memtable bytes of every family. */
    public long rocksdbBytes() {
        return families.values().stream().mapToLong(FamilyBytes::total).sum();
    }

    /** Bytes the {@code versions} family takes in RocksDB (SSTs and memtables). */
    public long storedVersionBytes() {
        FamilyBytes f = families.get("versions");
        return f == null ? 0 : f.total();
    }

    /**
     * Raw version bytes per byte RocksDB holds for them; above 1 when compression pays. Memtables hold versions
     * uncompressed (with some overhead), so the ratio is settled only once they are flushed. 0 when nothing is
     * stored.
     */
    public double compressionRatio() {
        long stored = storedVersionBytes();
        return stored == 0 ? 0 : (double) rawVersionBytes / stored;
    }
}
