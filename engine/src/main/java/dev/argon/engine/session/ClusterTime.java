package dev.argon.engine.session;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.wal.VersionStore;
import java.util.function.LongSupplier;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonTimestamp;

/**
 * The cluster time: a BSON Timestamp for an LSN that orders exactly as LSNs do and whose seconds are the
 * wall-clock second of the commit that wrote the LSN. {@code Timestamp(t, i)} names the {@code i}-th LSN written
 * in second {@code t}: {@code lsn = last LSN committed before second t + i}. Commit times never go back (the WAL
 * takes the maximum of the clock and the last commit time), so a later LSN never has an earlier second, and within
 * one second the increment grows with the LSN. {@code Timestamp(t, 0)} is the state just before second {@code t};
 * a timestamp made from a wall-clock time alone ({@code startAtOperationTime}, {@code afterClusterTime} given by
 * hand) therefore names the state at that time. Mapping: docs/FORMATS.md, "Cluster time".
 *
 * <p>Replies carry {@code $clusterTime} with the zero signature a replica set without keyfile authentication
 * sends ({@code hash} of 20 zero bytes, {@code keyId} 0); drivers store and gossip it back, and it is accepted
 * and ignored when it comes back. Thread-safe: the per-second base is cached in one immutable pair, so a reply
 * costs one WAL time-index seek per second of commits, not one per reply.
 */
public final class ClusterTime {
    private static final BsonDocument SIGNATURE = new BsonDocument("hash", new BsonBinary(new byte[20]))
            .append("keyId", new BsonInt64(0));

    private final VersionStore wal;
    private final LongSupplier clock;
    /** The last second asked for and the last LSN committed before it. */
    private volatile long[] base = {-1, 0};

    public ClusterTime(VersionStore wal) {
        this(wal, System::currentTimeMillis);
    }

    ClusterTime(VersionStore wal, LongSupplier clock) {
        this.wal = wal;
        this.clock = clock;
    }

    /** The time of the newest LSN. */
    public BsonTimestamp current() {
        // LSN first: the WAL sets the last LSN before the last commit time, so this pair is never (new LSN, old
        // second). An (old LSN, new second) pair yields Timestamp(newSecond, 0), which names the same state.
        long lsn = wal.lastLsn();
        long time = wal.lastCommitTime();
        return of(lsn, time / 1000);
    }

    /** The time of an LSN written in the given second. */
    BsonTimestamp of(long lsn, long second) {
        long inc = Math.max(0, lsn - baseOf(second));
        return new BsonTimestamp((int) second, (int) inc);
    }

    /**
     * The LSN a cluster time names: the LSN written as that one, or for a timestamp made from a wall-clock time the
     * last LSN committed at that time. A second after the present answers 72 InvalidOptions, as mongod refuses an
     * {@code afterClusterTime} greater than its cluster time.
     */
    public long lsnOf(BsonTimestamp ts, String field) {
        long second = ts.getTime() & 0xFFFFFFFFL;
        long inc = ts.getInc() & 0xFFFFFFFFL;
        BsonTimestamp now = current();
        if (second > clock.getAsLong() / 1000 && compare(ts, now) > 0) {
            throw new ArgonException(MongoErrorCode.INVALID_OPTIONS, field + " value must not be greater than the current "
                    + "clusterTime. Requested clusterTime: " + format(ts) + "; current clusterTime: " + format(now));
        }
        long lo = baseOf(second);
        // The last LSN committed in that second bounds it: an increment past it names no LSN yet written then.
        long hi = wal.lsnAtTime(second * 1000 + 999);
        return Math.min(lo + inc, Math.max(lo, hi));
    }

    /**
     * {@code {clusterTime, signature}}, the {@code $clusterTime} of a reply. Every reply shares the one signature
     * document (replies are encoded, never edited, once stamped), which saves copying it per reply.
     */
    public BsonDocument gossip(BsonTimestamp ts) {
        return new BsonDocument("clusterTime", ts).append("signature", SIGNATURE);
    }

    /** Adds {@code $clusterTime} and {@code operationTime} to a reply that has neither; returns it. */
    public BsonDocument stamp(BsonDocument reply) {
        if (!reply.containsKey("$clusterTime")) {
            BsonTimestamp ts = current();
            reply.append("$clusterTime", gossip(ts));
            if (!reply.containsKey("operationTime")) {
                reply.append("operationTime", ts);
            }
        }
        return reply;
    }

    /** The last LSN committed before second s (0 for the epoch itself), cached for the newest second asked for. */
    private long baseOf(long second) {
        if (second <= 0) {
            return 0;
        }
        long[] b = base;
        if (b[0] == second) {
            return b[1];
        }
        long lsn = wal.lsnAtTime(second * 1000 - 1);
        if (second > b[0] && second <= wal.lastCommitTime() / 1000) {
            // Final once a commit of that second exists: commit times never go back, so every earlier one is written.
            base = new long[] {second, lsn};
        }
        return lsn;
    }

    /** Timestamps compare as unsigned (seconds, increment) pairs. */
    static int compare(BsonTimestamp a, BsonTimestamp b) {
        int c = Long.compare(a.getTime() & 0xFFFFFFFFL, b.getTime() & 0xFFFFFFFFL);
        return c != 0 ? c : Long.compare(a.getInc() & 0xFFFFFFFFL, b.getInc() & 0xFFFFFFFFL);
    }

    static String format(BsonTimestamp ts) {
        return "Timestamp(" + (ts.getTime() & 0xFFFFFFFFL) + ", " + (ts.getInc() & 0xFFFFFFFFL) + ")";
    }

    /** The cluster time of an LSN committed at {@code millis} (a change event's {@code clusterTime}). */
    public BsonTimestamp at(long lsn, long millis) {
        return of(lsn, millis / 1000);
    }
}
