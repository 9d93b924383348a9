package dev.argon.engine.session;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;

/**
 * A read with {@code readConcern: {level: "snapshot"}} outside a transaction: {@code find}, {@code aggregate} and
 * {@code distinct} read the branch as of one LSN, named by {@code atClusterTime} or else the newest LSN when the
 * command starts, and answer that time as {@code atClusterTime} (in {@code cursor} for find and aggregate, at the top
 * level for distinct) so that a driver's snapshot session sends it with its later reads. The cursor keeps reading
 * the same view, so {@code getMore} sees the same state (a snapshot session sends the read concern with
 * {@code getMore} too; it is accepted there and changes nothing). Any other command with snapshot read concern, writes
 * included, is refused with 72 InvalidOptions, as mongod refuses it outside a transaction; so is
 * {@code afterClusterTime} next to snapshot. The view lasts as long as its LSN is kept: below the GC horizon the
 * WAL refuses it and the read answers 239 SnapshotTooOld. Immutable; thread-safe.
 *
 * @param lsn the LSN read at
 * @param atClusterTime its cluster time, as answered
 */
public record SnapshotRead(long lsn, BsonTimestamp atClusterTime) {
    /** The commands mongod runs with snapshot read concern outside a transaction. */
    static final Set<String> READS = Set.of("aggregate", "distinct", "find");
    /**
     * Commands that go on with a snapshot read's cursor: drivers' snapshot sessions send the read concern with them
     * too, and the cursor already reads at its snapshot.
     */
    static final Set<String> CURSOR_COMMANDS = Set.of("getMore", "killCursors");

    /**
     * The snapshot a command outside a transaction reads at, or null when it does not ask for one. Refuses
     * {@code atClusterTime} without level snapshot, snapshot on commands other than the reads, and snapshot with
     * {@code afterClusterTime} (72 InvalidOptions), and a time after the present (72, see {@link ClusterTime#lsnOf}).
     *
     * @param command the canonical command name
     */
    public static SnapshotRead of(ReadConcern rc, String command, ClusterTime clock) {
        if (!"snapshot".equals(rc.level())) {
            if (rc.atClusterTime() != null) {
                throw new ArgonException(MongoErrorCode.INVALID_OPTIONS,
                        "atClusterTime is only allowed with readConcern level 'snapshot'");
            }
            return null;
        }
        if (CURSOR_COMMANDS.contains(command)) {
            return null;
        }
        if (!READS.contains(command)) {
            throw new ArgonException(MongoErrorCode.INVALID_OPTIONS, "Command " + command + " does not support "
                    + "{ readConcern: { level: \"snapshot\" } } outside a multi-document transaction (only find, aggregate "
                    + "and distinct read at a snapshot)");
        }
        if (rc.afterClusterTime() != null) {
            throw new ArgonException(MongoErrorCode.INVALID_OPTIONS, "afterClusterTime is not allowed with readConcern level "
                    + "'snapshot' outside a transaction; use atClusterTime");
        }
        // The time first, then its LSN: a pair read as one value, so the answered time names exactly the LSN read.
        BsonTimestamp ts = rc.atClusterTime() != null ? rc.atClusterTime() : clock.current();
        long lsn = clock.lsnOf(ts, "readConcern atClusterTime");
        return new SnapshotRead(lsn, ts);
    }

    /** Adds {@code atClusterTime} to a successful reply: in its {@code cursor}, or at the top level (distinct). */
    public BsonDocument stamp(BsonDocument reply) {
        BsonValue cursor = reply.get("cursor");
        if (cursor != null && cursor.isDocument()) {
            cursor.asDocument().put("atClusterTime", atClusterTime);
        } else if (reply.containsKey("values")) {
            reply.put("atClusterTime", atClusterTime);
        }
        return reply;
    }
}
