package dev.argon.wal;

import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * One physical change to one document (or one catalog object): the namespace, the operation, the {@code _id},
 * the images and the versioned keys it writes. Each entry gets its own LSN.
 *
 * <p>Where the images live is {@link #images}: {@link Images#INLINE} entries carry their pre- and post-image
 * (null where absent) and the log stores them; the others name the document's own versioned key instead
 * ({@code writes().get(0)}), whose version at the entry's LSN is the post-image, so the log stores no copy of a
 * document (see {@link LogRecord} for how they are read back).
 *
 * @param op {@link #INSERT}, {@link #UPDATE}, {@link #DELETE} or {@link #CATALOG}
 * @param pre the pre-image of an {@link Images#INLINE} entry; null otherwise
 * @param post the post-image of an {@link Images#INLINE} entry; null otherwise
 * @param replacement true on an {@link #UPDATE} whose client sent a whole replacement document (change streams
 *                    report it as {@code replace}); false otherwise
 */
public record LogEntry(String ns, String op, BsonValue id, BsonDocument pre, BsonDocument post, List<KeyWrite> writes,
                       Images images, boolean replacement) {
    public static final String INSERT = "i";
    public static final String UPDATE = "u";
    public static final String DELETE = "d";
    public static final String CATALOG = "c";

    /** Where an entry's pre- and post-image are kept. */
    public enum Images {
        /** In the log entry itself (entries whose images are not the payload of a key they write, such as an index build). */
        INLINE,
        /** The post-image is the payload of the first key write (none for a tombstone); there is no pre-image. */
        POST,
        /**
         * As {@link #POST}, and the pre-image is the version of the same key that the entry's branch saw just before
         * the entry's LSN (none if there was none, or a tombstone).
         */
        PRE_AND_POST
    }

    public LogEntry {
        if (images != Images.INLINE && (writes.isEmpty() || pre != null || post != null)) {
            throw new IllegalArgumentException("an entry with versioned images names them by its first key write and carries none");
        }
    }

    public LogEntry(String ns, String op, BsonValue id, BsonDocument pre, BsonDocument post, List<KeyWrite> writes,
                    Images images) {
        this(ns, op, id, pre, post, writes, images, false);
    }

    /** An entry that carries its images in the log. */
    public LogEntry(String ns, String op, BsonValue id, BsonDocument pre, BsonDocument post, List<KeyWrite> writes) {
        this(ns, op, id, pre, post, writes, Images.INLINE);
    }

    /**
     * An entry whose images are versions of its first key write (the document's own key): its payload is the
     * post-image, and with {@code withPre} the version visible on the branch just before is the pre-image. The
     * caller guarantees both: the payload is the document as written, and the pre-image it means is the version its
     * branch held when it evaluated the write (the engine's write lock on the branch makes that so).
     */
    public static LogEntry versioned(String ns, String op, BsonValue id, boolean withPre, List<KeyWrite> writes) {
        return new LogEntry(ns, op, id, null, null, writes, withPre ? Images.PRE_AND_POST : Images.POST);
    }

    /** This entry, marked as an update that replaced the whole document ({@link #replacement}). */
    public LogEntry asReplacement() {
        return new LogEntry(ns, op, id, pre, post, writes, images, true);
    }
}
