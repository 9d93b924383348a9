package dev.argon.engine.command;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The write refusal of a read-only node ({@code argon serve --from ... --read-only}): every command the table marks
 * as writing (CRUD writes, DDL, branch and tag operations, {@code gc}), an aggregate with a {@code $out} or
 * {@code $merge} stage and a {@code setParameter} of {@code ttlMonitorEnabled} (the TTL pass is off there) answer 10107 NotWritablePrimary, as a replica-set secondary does, with a message naming the
 * primary when the archive's manifest records it. Drivers treat 10107 as "this member is not the primary" and never
 * retry the write against this node forever: they retry once, then report the error. Immutable, so thread-safe.
 *
 * @param archive  the archive URL this node serves (for the message)
 * @param primary  the primary's host:port as the manifest records it, or null
 * @param sequence the manifest sequence served
 * @param lsn      the LSN the manifest covers up to
 */
public record ReadOnlyGate(String archive, String primary, long sequence, long lsn) {

    /** Whether a read-only node must refuse this command (looked up as {@code entry}). */
    public boolean refuses(CommandTable.Entry entry, BsonDocument command) {
        if (entry.writes()) {
            return true;
        }
        if (entry.name().equals("setParameter") && command.containsKey("ttlMonitorEnabled")) {
            return true; // the TTL pass deletes documents: it stays off on a read-only node
        }
        return entry.name().equals("aggregate") && writesOut(command.get("pipeline"));
    }

    /**
     * The error a refused command answers. It carries this process's {@code topologyVersion}, as mongod's
     * NotWritablePrimary does: a driver takes such an error as stale (not newer than the hello it knows), so it keeps
     * the node's description instead of marking it unknown and waiting a heartbeat before its one retry.
     */
    public ArgonException refusal(String command, BsonDocument topologyVersion) {
        String where = "this node serves the archive " + archive + " read-only (backup " + sequence + ", up to lsn " + lsn + ")";
        return new ArgonException(MongoErrorCode.NOT_WRITABLE_PRIMARY, "not primary: " + command + " refused: " + where
                + (primary == null ? "" : "; write to the primary at " + primary),
                new BsonDocument("topologyVersion", topologyVersion));
    }

    private static boolean writesOut(BsonValue pipeline) {
        if (pipeline == null || !pipeline.isArray()) {
            return false;
        }
        for (BsonValue stage : pipeline.asArray()) {
            if (stage.isDocument() && (stage.asDocument().containsKey("$out") || stage.asDocument().containsKey("$merge"))) {
                return true;
            }
        }
        return false;
    }
}
