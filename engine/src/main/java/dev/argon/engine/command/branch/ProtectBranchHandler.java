package dev.argon.engine.command.branch;

import dev.argon.engine.ArgonException;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.wal.VersionStore;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * {@code {protectBranch: "main", protect: true}}: a protected branch refuses direct writes. With
 * authentication off anyone may protect and unprotect.
 */
public final class ProtectBranchHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        BsonValue v = ctx.command().get(ctx.name());
        if (!v.isString()) {
            throw ArgonException.typeMismatch("protectBranch takes a branch name as a string");
        }
        boolean protect = ctx.bool("protect", true);
        VersionStore wal = ctx.engine().store().versions();
        int id = Refs.branch(wal, v.asString().getValue()).id();
        // Under the branch's write lock: see CommandContext.beginWrite.
        return BranchDocs.of(wal, ctx.engine().store().underWriteLock(id, () -> wal.protectBranch(id, protect)));
    }
}
