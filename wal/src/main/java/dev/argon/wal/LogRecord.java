package dev.argon.wal;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * A log entry read back: its LSN, branch, namespace, operation and {@code _id}, read eagerly, and its images,
 * time, actor and comment, read on first use. An entry with versioned images (see {@link LogEntry.Images}) finds
 * its post-image in its key's version at exactly (branch, LSN), one point read, and its pre-image in the version
 * its branch saw at LSN - 1, one versioned read whose cost does not depend on history; time, actor and comment are
 * the commit record's (one read per commit when scanned, see {@link LogScan}). The answers are the ones the entry
 * was written with. Needs its WAL open while an image is still to be read. Not thread-safe.
 */
public final class LogRecord {
    private final long lsn;
    private final int branchId;
    private final String ns;
    private final String op;
    private final BsonValue id;
    private final byte[] imageKey;
    private final boolean versionedPre;
    private final LogImages images;
    private final boolean replacement;
    private BsonDocument pre;
    private BsonDocument post;
    private boolean preRead;
    private boolean postRead;
    private LogImages.Commit commit;

    private LogRecord(long lsn, BsonDocument d, LogImages images, LogImages.Commit commit) {
        this.lsn = lsn;
        this.branchId = LogCodec.branchId(d);
        this.ns = d.getString("ns").getValue();
        this.op = d.getString("op").getValue();
        this.id = d.get("id");
        this.replacement = d.getBoolean("r", org.bson.BsonBoolean.FALSE).getValue();
        this.images = images;
        this.commit = commit;
        if (d.isBinary("k")) {
            imageKey = d.getBinary("k").getData();
            versionedPre = d.getBoolean("p", org.bson.BsonBoolean.FALSE).getValue();
        } else {
            imageKey = null;
            versionedPre = false;
            pre = d.isDocument("pre") ? d.getDocument("pre") : null;
            post = d.isDocument("post") ? d.getDocument("post") : null;
            preRead = true;
            postRead = true;
        }
    }

    /** Decodes the entry at lsn; images and commit fields are read later through images. */
    static LogRecord decode(long lsn, BsonDocument d, LogImages images) {
        return decode(lsn, d, images, null);
    }

    /** As {@link #decode(long, BsonDocument, LogImages)}, with the commit record already known (a scan's cache). */
    static LogRecord decode(long lsn, BsonDocument d, LogImages images, LogImages.Commit commit) {
        return new LogRecord(lsn, d, images, commit != null && commit.contains(LogCodec.branchId(d), lsn) ? commit : null);
    }

    public long lsn() {
        return lsn;
    }

    public int branchId() {
        return branchId;
    }

    public String ns() {
        return ns;
    }

    public String op() {
        return op;
    }

    public BsonValue id() {
        return id;
    }

    /** True for an update whose client sent a replacement document (entries without the flag: false). */
    public boolean replacement() {
        return replacement;
    }

    /**
     * The user key whose versions hold this entry's images, or null when the log entry carries them itself. For
     * checks: the version at exactly ({@link #branchId}, {@link #lsn}) must exist.
     */
    public byte[] imageKey() {
        return imageKey == null ? null : imageKey.clone();
    }

    /** The document (or catalog entry) before the change, or null if there was none. */
    public BsonDocument pre() {
        if (!preRead) {
            pre = versionedPre ? images.visibleBefore(imageKey, branchId, lsn) : null;
            preRead = true;
        }
        return pre;
    }

    /**
     * The document (or catalog entry) after the change, or null for a delete.
     *
     * @throws WalException if the version that holds it is missing (a damaged directory)
     */
    public BsonDocument post() {
        if (!postRead) {
            post = images.writtenAt(imageKey, branchId, lsn);
            postRead = true;
        }
        return post;
    }

    /** When the commit holding this entry was written (epoch millis; 0 if the entry lies in no commit). */
    public long time() {
        return commit().time();
    }

    /** The commit's actor, or null. */
    public String actor() {
        return commit().actor();
    }

    /** The commit's comment, or null. */
    public String comment() {
        return commit().comment();
    }

    /** The commit record if this record has read it (or was given it), else previous: a scan's cache. */
    LogImages.Commit commitIfRead(LogImages.Commit previous) {
        return commit != null ? commit : previous;
    }

    LogImages.Commit commit() {
        if (commit == null) {
            commit = images.commitOf(branchId, lsn);
        }
        return commit;
    }

    @Override
    public String toString() {
        return "LogRecord[lsn=" + lsn + ", branchId=" + branchId + ", ns=" + ns + ", op=" + op + ", id=" + id + "]";
    }
}
