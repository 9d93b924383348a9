package dev.argon.engine.command;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.command.branch.Refs;
import dev.argon.engine.store.Namespaces;
import dev.argon.wal.Branch;
import dev.argon.wal.VersionStore;

/**
 * Parses {@code $db} of the forms {@code shop}, {@code shop~branch}, {@code shop~branch@<lsn>} and
 * {@code shop~branch@<ISO-8601 UTC time>} and {@code shop~tag} (a read-only view); with no branch, the connection's default branch (from
 * {@code appName=branch:NAME}) or {@code main}. Stateless.
 */
public final class TargetResolver {
    private TargetResolver() {}

    public static Target resolve(VersionStore wal, String dbField, ClientContext client) {
        String db = dbField;
        String ref = null;
        int tilde = dbField.indexOf('~');
        if (tilde >= 0) {
            db = dbField.substring(0, tilde);
            ref = dbField.substring(tilde + 1);
        }
        Namespaces.validateDb(db);
        if (ref == null) {
            String name = client != null && client.defaultBranch() != null ? client.defaultBranch() : Branch.MAIN;
            Branch b = wal.branch(name);
            if (b == null) {
                throw new ArgonException(MongoErrorCode.BRANCH_NOT_FOUND, "branch '" + name + "' does not exist");
            }
            return new Target(db, b.id(), b.name(), -1, b.name());
        }
        Refs.Point p = Refs.resolve(wal, ref);
        return new Target(db, p.branch().id(), p.branch().name() != null ? p.branch().name() : ref, p.readOnly() ? p.lsn() : -1, ref);
    }
}
