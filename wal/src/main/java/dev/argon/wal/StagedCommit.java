package dev.argon.wal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One commit written in chunks, for changes too large to hold in memory (an {@code updateMany} over a whole
 * collection, an index build, a big merge). Each {@link #stage} writes a chunk of log entries and versions at
 * fresh LSNs through the WAL's group commit, but moves no branch head and writes no commit record: every
 * reader is bounded by published heads, so staged LSNs are invisible to everyone but {@link #view()}.
 * {@link #publish} writes the last entries with the commit record (its {@code startLsn} is the first staged
 * LSN), the commit indexes, metadata and the new head in one small batch, so the whole change becomes visible
 * at once. The first chunk also writes a {@code staging/<branchId>} marker that the publishing batch deletes; a
 * marker found when the data directory is opened, or an {@link #abort}, retires the branch id (as a reset does)
 * so that the orphaned chunks stay above the old id's head forever, where no view can reach them.
 *
 * <p>The caller must hold the branch's write lock from the first chunk to publish or abort, so that no other
 * commit of the branch interleaves. Commits of other branches do interleave, so the LSN range of a published
 * streamed commit holds other branches' entries too; each entry's branch id tells them apart, and rounding a
 * point to a commit boundary is per branch ({@link Wal#roundToCommit(int, long)}). Not thread-safe.
 */
public final class StagedCommit {
    static final byte[] STAGING_PREFIX = "staging/".getBytes(StandardCharsets.UTF_8);
    static final byte[] ABANDONED_PREFIX = "abandoned/".getBytes(StandardCharsets.UTF_8);

    /** What a queued request of this commit carries to the group-commit leader: a chunk, or the publishing batch. */
    record Part(boolean publish, long firstLsn, Map<String, int[]> counts, boolean catalog, int chunks) {}

    private final Staging staging;
    private final int branchId;
    private final String actor;
    private final String comment;
    private final Map<String, int[]> counts = new LinkedHashMap<>();
    private long firstLsn;
    private long lastLsn;
    private int chunks;
    private boolean catalog;
    private boolean finished;

    StagedCommit(Staging staging, int branchId, String actor, String comment) {
        this.staging = staging;
        this.branchId = branchId;
        this.actor = actor;
        this.comment = comment;
    }

    public int branchId() {
        return branchId;
    }

    /** Chunks written so far. */
    public int chunks() {
        return chunks;
    }

    /** The first staged LSN (0 before the first chunk). */
    public long firstLsn() {
        return firstLsn;
    }

    /** The last staged LSN (0 before the first chunk). */
    public long lastStagedLsn() {
        return lastLsn;
    }

    /**
     * Writes entries as one chunk above the branch's published head and returns the LSN range they got. Nothing
     * of it is visible until {@link #publish}. A failed chunk wrote nothing; earlier chunks stay staged.
     */
    public CommitResult stage(List<LogEntry> entries) {
        checkOpen();
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a chunk needs at least one entry");
        }
        CommitResult r = staging.writeStaged(new CommitRequest(branchId, actor, comment, false, entries),
                new Part(false, firstLsn, Map.of(), false, chunks));
        if (firstLsn == 0) {
            firstLsn = r.startLsn();
        }
        lastLsn = r.endLsn();
        chunks++;
        for (LogEntry e : entries) {
            counts.computeIfAbsent(e.ns(), k -> new int[4])["iudc".indexOf(e.op())]++;
            catalog |= LogEntry.CATALOG.equals(e.op());
        }
        return r;
    }

    /**
     * The branch as this commit sees it: its published state plus every staged chunk. Other readers never see
     * the chunks, because their views stop at the published head.
     */
    public ReadView view() {
        return staging.stagedView(branchId, lastLsn);
    }

    /**
     * Publishes the staged chunks and the last entries (may be empty) as one commit, with metadata in the same
     * batch. The commit record always takes a fresh LSN at the end, so its end lies above every point handed out
     * before it became visible; when there are no last entries, that LSN has no log entry of its own.
     *
     * @param sync fsync before returning (shared with concurrent writers)
     */
    public CommitResult publish(List<LogEntry> entries, List<KeyWrite> metaWrites, boolean sync) {
        return publish(entries, metaWrites, sync, null);
    }

    /** As {@link #publish(List, List, boolean)}, with the commit's session ({@link CommitRequest#origin}) or null. */
    public CommitResult publish(List<LogEntry> entries, List<KeyWrite> metaWrites, boolean sync, org.bson.BsonDocument origin) {
        checkOpen();
        if (chunks == 0) {
            throw new IllegalStateException("nothing staged: commit directly");
        }
        CommitResult r = staging.writeStaged(new CommitRequest(branchId, actor, comment, sync, entries, metaWrites, origin),
                new Part(true, firstLsn, counts, catalog, chunks));
        finished = true;
        return r;
    }

    /**
     * Gives up: the staged chunks must never become visible. The branch name moves to a new id whose parent is
     * the old id at its published head (as a reset does); the chunks stay with the old id above that point. If
     * the write fails (full disk), the WAL refuses the branch's commits until a retry succeeds or the directory
     * is reopened, which retires it then.
     */
    public void abort() {
        if (finished) {
            return;
        }
        finished = true;
        if (chunks > 0) {
            staging.abandonStaged(branchId, firstLsn, lastLsn);
        }
    }

    /** True once published or aborted. */
    public boolean finished() {
        return finished;
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("the staged commit on branch id " + branchId + " is already finished");
        }
    }

    static byte[] stagingKey(int branchId) {
        byte[] k = java.util.Arrays.copyOf(STAGING_PREFIX, STAGING_PREFIX.length + 4);
        Bytes.putInt(k, STAGING_PREFIX.length, branchId);
        return k;
    }

    static byte[] abandonedKey(int branchId) {
        byte[] k = java.util.Arrays.copyOf(ABANDONED_PREFIX, ABANDONED_PREFIX.length + 4);
        Bytes.putInt(k, ABANDONED_PREFIX.length, branchId);
        return k;
    }

    /** The value of an {@code abandoned/} record: the staged range, inclusive at both ends. */
    static byte[] abandonedValue(long fromLsn, long toLsn) {
        byte[] v = new byte[16];
        Bytes.putLong(v, 0, fromLsn);
        Bytes.putLong(v, 8, toLsn);
        return v;
    }
}
