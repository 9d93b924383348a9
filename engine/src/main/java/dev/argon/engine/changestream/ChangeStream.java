package dev.argon.engine.changestream;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.aggregate.Pipeline;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.Target;
import dev.argon.wal.Branch;
import dev.argon.wal.VersionStore;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * {@code aggregate} with a leading {@code $changeStream}: checks the stage, its options and the later stages,
 * picks the start point and opens a tailable cursor ({@link ChangeStreamCursor}) on the command's branch. A
 * collection stream watches one collection, {@code aggregate: 1} a database, and {@code aggregate: 1} on
 * {@code admin} with {@code allChangesForCluster} every database of the branch. Stateless.
 */
public final class ChangeStream {
    /** The stages mongod allows after $changeStream; each sees one event at a time. */
    private static final Set<String> ALLOWED_AFTER = Set.of("$match", "$project", "$addFields", "$set", "$unset",
            "$replaceRoot", "$replaceWith", "$redact");

    private ChangeStream() {
    }

    /** Whether the pipeline holds a $changeStream stage anywhere (only the first place is valid). */
    public static boolean appearsIn(List<BsonDocument> stages) {
        return stages.stream().anyMatch(s -> s.containsKey("$changeStream"));
    }

    /** Runs the command: the first batch of a new change stream's cursor. */
    public static BsonDocument aggregate(CommandContext ctx, List<BsonDocument> stages) {
        for (int i = 1; i < stages.size(); i++) {
            if (stages.get(i).containsKey("$changeStream")) {
                throw new ArgonException(MongoErrorCode.LOCATION_40602, "$changeStream is only valid as the first stage in a pipeline");
            }
        }
        if (ctx.transaction() != null) {
            throw new ArgonException(MongoErrorCode.OPERATION_NOT_SUPPORTED_IN_TRANSACTION,
                    "$changeStream is not allowed in a multi-document transaction");
        }
        ChangeStreamOptions opts = ChangeStreamOptions.parse(stages.get(0).get("$changeStream"));
        Target t = ctx.target();
        if (t.readOnly()) {
            throw new ArgonException(MongoErrorCode.ILLEGAL_OPERATION, "a change stream follows a branch head, but '"
                    + ctx.dbField() + "' is a read-only point in time; watch '" + t.db() + "~" + t.branchName() + "' instead");
        }
        String db = t.db();
        BsonValue target = ctx.command().get("aggregate");
        String coll;
        String cursorNs;
        if (target != null && target.isString()) {
            coll = target.asString().getValue();
            cursorNs = db + "." + coll;
            if (opts.allChangesForCluster()) {
                throw new ArgonException(MongoErrorCode.INVALID_NAMESPACE,
                        "A $changeStream with 'allChangesForCluster:true' may only be opened on the 'admin' database, and with {aggregate: 1}");
            }
        } else if (target != null && target.isNumber() && target.asNumber().intValue() == 1) {
            coll = null;
            cursorNs = db + ".$cmd.aggregate";
            if (opts.allChangesForCluster() != db.equals("admin")) {
                throw new ArgonException(MongoErrorCode.INVALID_NAMESPACE, opts.allChangesForCluster()
                        ? "A $changeStream with 'allChangesForCluster:true' may only be opened on the 'admin' database"
                        : "$changeStream may not be opened on the internal admin database");
            }
        } else {
            throw new ArgonException(MongoErrorCode.FAILED_TO_PARSE, "Invalid value for aggregate: must be a collection name or 1");
        }
        List<BsonDocument> after = stages.subList(1, stages.size());
        Pipeline rest = after.isEmpty() ? null : compileRest(after);
        long start = startLsn(ctx, t, opts);
        ChangeStreamCursor source = new ChangeStreamCursor(ctx.engine().store(), ctx.engine().clusterTime(), t.branchId(),
                opts.allChangesForCluster() ? null : db, coll, opts, rest, start);
        BsonDocument cursor = ctx.document("cursor");
        long batchSize = cursor != null && cursor.containsKey("batchSize") ? cursor.get("batchSize").asNumber().longValue() : -1;
        return ctx.engine().cursors().firstBatch(cursorNs, source, null, batchSize, false, ctx.sessionId());
    }

    private static Pipeline compileRest(List<BsonDocument> after) {
        Pipeline.CollectionResolver none = name -> Collections.emptyIterator();
        for (BsonDocument s : after) {
            String name = s.isEmpty() ? "" : s.getFirstKey();
            if (!ALLOWED_AFTER.contains(name)) {
                // An unknown stage answers as anywhere else (40324); a known one is not allowed here.
                Pipeline.compile(List.of(s), none);
                throw new ArgonException(MongoErrorCode.ILLEGAL_OPERATION, name + " is not permitted in a $changeStream pipeline");
            }
        }
        return Pipeline.compile(after, none);
    }

    /**
     * The position lsn, if the history the stream still has to read (above lsn, up to the branch's head) is kept;
     * else 286 ChangeStreamHistoryLost. GC keeps every version at and above its horizon, not the images below it.
     */
    static long kept(VersionStore wal, int branchId, long lsn) {
        long horizon = wal.horizonLsn();
        Branch b = wal.branch(branchId);
        if (lsn < horizon && b != null && lsn < b.headLsn()) {
            throw historyLost(lsn, horizon);
        }
        return lsn;
    }

    static ArgonException historyLost(long lsn, long horizon) {
        return new ArgonException(MongoErrorCode.CHANGE_STREAM_HISTORY_LOST, "Resume of change stream was not possible, as"
                + " the resume point may no longer be in the log: it is at LSN " + lsn + ", below the history horizon "
                + horizon + " (argon serve --history-retention); open a new stream without a resume point");
    }

    /** The position the stream starts after: the head now, or what a resume option names. */
    private static long startLsn(CommandContext ctx, Target t, ChangeStreamOptions opts) {
        VersionStore wal = ctx.engine().store().versions();
        ResumeToken token = opts.resumeAfter() != null ? opts.resumeAfter() : opts.startAfter();
        if (token != null) {
            if (token.branchId() != t.branchId()) {
                Branch other = wal.branch(token.branchId());
                String what = other == null ? "an unknown branch id " + token.branchId()
                        : other.name() == null ? "a range of branch '" + t.branchName() + "' abandoned by a reset or delete (id "
                        + token.branchId() + ")"
                        : "branch '" + other.name() + "'";
                throw ResumeToken.invalid("cannot resume this change stream on branch '" + t.branchName() + "': the resume token"
                        + " belongs to " + what);
            }
            return kept(wal, t.branchId(), token.entryLsn());
        }
        if (opts.startAtOperationTime() != null) {
            long lsn = ctx.engine().clusterTime().lsnOf(opts.startAtOperationTime(), "startAtOperationTime");
            // The operation time is inclusive: report its own entry.
            return kept(wal, t.branchId(), Math.max(0, lsn - 1));
        }
        Branch b = wal.branch(t.branchId());
        return b == null ? 0 : b.headLsn();
    }
}
