package dev.argon.engine.command;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.store.Namespaces;
import dev.argon.wal.Branch;
import dev.argon.wal.Wal;

/**
 * Parses {@code $db} of the forms {@code shop}, {@code shop~branch}, {@code shop~branch@<lsn>} and
 * {@code shop~branch@<ISO-8601 UTC time>}; with no branch, the connection's default branch (from
 * {@code appName=branch:NAME}) or {@code main}. Stateless.
 */
public final class TargetResolver {
    private TargetResolver() {}

    public static Target resolve(Wal wal, String dbField, ClientContext client) {
        String db = dbField;
        String ref = null;
        int tilde = dbField.indexOf('~');
        if (tilde >= 0) {
            db = dbField.substring(0, tilde);
            ref = dbField.substring(tilde + 1);
        }
        Namespaces.validateDb(db);
        String branchName = ref;
        String point = null;
        if (ref != null) {
            int at = ref.indexOf('@');
            if (at >= 0) {
                branchName = ref.substring(0, at);
                point = ref.substring(at + 1);
            }
        }
        if (branchName == null) {
            branchName = client != null && client.defaultBranch() != null ? client.defaultBranch() : Branch.MAIN;
        }
        Branch b = wal.branch(branchName);
        if (b == null) {
            throw new ArgonException(MongoErrorCode.BRANCH_NOT_FOUND, "branch '" + branchName + "' does not exist");
        }
        long atLsn = -1;
        if (point != null) {
            atLsn = Math.min(b.headLsn(), wal.roundToCommit(dev.argon.engine.command.branch.Refs.point(wal, point, dbField)));
        }
        return new Target(db, b.id(), b.name(), atLsn, ref == null ? b.name() : ref);
    }

}
