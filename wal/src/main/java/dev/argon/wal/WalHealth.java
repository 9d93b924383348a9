package dev.argon.wal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failed write or fsync of the data directory is reported, and the one place that
 * decides whether the store may still write (as Kafka's {@code LogDirFailureChannel} does for a log
 * directory). Three states, as a user sees them:
 * <ul>
 *   <li><b>healthy</b>: reads and writes work.</li>
 *   <li><b>disk full</b>: the disk holding the data directory has less free space than
 *       {@code argon.wal.minFreeBytes}, or RocksDB reported {@code ENOSPC}. Writes are refused with
 *       {@link WalException.Kind#DISK_FULL}, reads keep working, and writes are accepted again as soon as
 *       space is back: the free-space check runs before every write while the disk is full. The reserve is
 *       refused <em>before</em> RocksDB itself runs out, because RocksDB (11.x) cannot always leave its own
 *       out-of-space state in-process: after a failed WAL append its resume fails with "Writer has previous
 *       error" and only a reopen clears it. Nothing already written is lost either way.</li>
 *   <li><b>failed</b>: an fsync failed, or a write failed for any reason but a full disk. Every later write
 *       is refused with {@link WalException.Kind#UNHEALTHY} until the server is restarted. This is permanent
 *       on purpose: after a failed fsync the kernel may have dropped the dirty pages it could not write, and a
 *       later fsync can succeed without them, so no later write could honestly be acknowledged as durable.
 *       Restarting replays RocksDB's WAL from what actually reached the disk.</li>
 * </ul>
 * Thread-safe.
 */
public final class WalHealth {
    private static final Logger LOG = LoggerFactory.getLogger(WalHealth.class);
    /**
     * Default free-space reserve. RocksDB preallocates its WAL files, so a disk fills in steps: when memtables
     * (64 MiB write buffer each; the log and versions families fill together) are flushed to table files and a
     * new WAL file (about 70 MiB) is preallocated. 256 MiB covers two flushes and a WAL file; refusing writes
     * before that point keeps RocksDB out of an error state it may not leave without a restart.
     */
    public static final long DEFAULT_MIN_FREE_BYTES = 256L << 20;
    /** How often free space is checked while there is enough: a statvfs per commit would be wasted work. */
    private static final long CHECK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** ... or after this many bytes written, whichever comes first, so a burst cannot overrun the reserve. */
    private static final long CHECK_EVERY_BYTES = 4L << 20;

    /** What a user can do about the store's state. */
    public enum State { HEALTHY, DISK_FULL, FAILED }

    private final FileStore fileStore;
    private final long minFreeBytes;
    private volatile boolean failed;
    private volatile String failure;
    /** RocksDB itself reported ENOSPC; cleared by the next write it accepts. */
    private volatile boolean engineDiskFull;
    private volatile boolean lowOnSpace;
    private volatile long lastFreeBytes = -1;
    private volatile long nextCheckNanos;
    private volatile long bytesSinceCheck;
    /** Every batch's data size since the directory was opened: what Argon asked RocksDB to store. */
    private final java.util.concurrent.atomic.LongAdder bytesWritten = new java.util.concurrent.atomic.LongAdder();

    WalHealth(Path dir, long minFreeBytes) {
        FileStore fs = null;
        try {
            fs = Files.getFileStore(dir);
        } catch (IOException e) {
            LOG.warn("cannot watch free space of {}; the disk-full check is off", dir, e);
        }
        this.fileStore = fs;
        this.minFreeBytes = minFreeBytes;
    }

    public State state() {
        if (failed) {
            return State.FAILED;
        }
        return engineDiskFull || lowOnSpace ? State.DISK_FULL : State.HEALTHY;
    }

    /** Why the store is not healthy, or null. */
    public String reason() {
        return switch (state()) {
            case FAILED -> failure;
            case DISK_FULL -> diskFullMessage();
            case HEALTHY -> null;
        };
    }

    /** The data size of every batch written since the directory was opened. */
    long bytesWritten() {
        return bytesWritten.sum();
    }

    /** Free bytes on the data directory's disk at the last check (-1 if unknown). */
    public long freeBytes() {
        return lastFreeBytes;
    }

    public long minFreeBytes() {
        return minFreeBytes;
    }

    boolean failed() {
        return failed;
    }

    boolean engineDiskFull() {
        return engineDiskFull;
    }

    /** Throws unless a write may be attempted now. Called before every RocksDB write. */
    void checkWritable(int branchId, long lsn) {
        if (failed) {
            throw new WalException(WalException.Kind.UNHEALTHY, failure, branchId, lsn, null);
        }
        if (lowOnSpace()) {
            throw new WalException(WalException.Kind.DISK_FULL, diskFullMessage(), branchId, lsn, null);
        }
    }

    /** Throws unless an fsync may be attempted (no earlier fsync or write has failed). */
    void checkSyncable(long lsn) {
        if (failed) {
            throw new WalException(WalException.Kind.UNHEALTHY, failure, -1, lsn, null);
        }
    }

    void written(long bytes) {
        bytesSinceCheck += bytes;
        bytesWritten.add(bytes);
        if (engineDiskFull) {
            engineDiskFull = false;
            LOG.info("RocksDB accepts writes again; the disk-full state is over");
        }
    }

    /** Records a failed write and returns the exception to throw to its caller. */
    WalException writeFailed(Exception e, String what, int branchId, long lsn) {
        if (isNoSpace(e) || (engineDiskFull && !failed)) {
            // After ENOSPC RocksDB keeps refusing writes with follow-up errors ("Writer has previous error");
            // those are the same condition, not a new failure.
            if (!engineDiskFull) {
                LOG.error("{} failed: the disk is full; refusing writes until space is freed", what, e);
            }
            engineDiskFull = true;
            return new WalException(WalException.Kind.DISK_FULL, diskFullMessage() + " (" + what + ": " + e.getMessage() + ")",
                    branchId, lsn, e);
        }
        fail(what + " failed: " + e.getMessage(), e);
        return new WalException(WalException.Kind.UNHEALTHY, failure, branchId, lsn, e);
    }

    /** Records a failed fsync (always permanent, see the class comment) and returns the exception to throw. */
    WalException syncFailed(Exception e, long lsn) {
        fail("WAL fsync failed: " + e.getMessage(), e);
        return new WalException(WalException.Kind.UNHEALTHY, failure, -1, lsn, e);
    }

    /** Marks the store failed for a reason found by a caller (for example an inconsistent tail after ENOSPC). */
    synchronized void fail(String why, Throwable cause) {
        if (failed) {
            return;
        }
        failure = "the data directory is unhealthy since an earlier storage failure (" + why + "); writes are refused"
                + " and nothing written after it can be acknowledged as durable; reads still work; restart the server"
                + " to recover from what reached the disk";
        failed = true;
        LOG.error("storage failure, refusing all writes until restart: {}", why, cause);
    }

    private String diskFullMessage() {
        String free = lastFreeBytes >= 0 ? (lastFreeBytes >> 20) + " MiB free" : "free space unknown";
        return "the disk holding the data directory is full (" + free + ", " + (minFreeBytes >> 20)
                + " MiB reserve): writes are refused until space is freed; reads still work and nothing written"
                + " before is lost" + (engineDiskFull ? "; if space has been freed and writes still fail, restart the server" : "");
    }

    private boolean lowOnSpace() {
        if (fileStore == null || minFreeBytes <= 0) {
            return false;
        }
        long now = System.nanoTime();
        if (!lowOnSpace && now - nextCheckNanos < 0 && bytesSinceCheck < CHECK_EVERY_BYTES) {
            return false;
        }
        long free;
        try {
            free = fileStore.getUsableSpace();
        } catch (IOException e) {
            return false;
        }
        lastFreeBytes = free;
        nextCheckNanos = now + CHECK_INTERVAL_NANOS;
        bytesSinceCheck = 0;
        boolean low = free < minFreeBytes;
        if (low != lowOnSpace) {
            if (low) {
                LOG.error("only {} MiB free for the data directory (reserve {} MiB): refusing writes", free >> 20, minFreeBytes >> 20);
            } else {
                LOG.info("{} MiB free for the data directory again: accepting writes", free >> 20);
            }
            lowOnSpace = low;
        }
        return low;
    }

    static boolean isNoSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RocksDBException r && r.getStatus() != null && r.getStatus().getSubCode() == Status.SubCode.NoSpace) {
                return true;
            }
            if (t.getMessage() != null && t.getMessage().contains("No space left on device")) {
                return true;
            }
        }
        return false;
    }
}
