package dev.argon.engine.command.branch;

import dev.argon.engine.ArgonException;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.wal.VersionStore;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/** {@code {dropBranch: "exp"}}: refused for {@code main} and for a branch with children. */
public final class DropBranchHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        BsonValue v = ctx.command().get(ctx.name());
        if (!v.isString()) {
            throw ArgonException.typeMismatch("dropBranch takes a branch name as a string");
        }
        VersionStore wal = ctx.engine().store().versions();
        int id = Refs.branch(wal, v.asString().getValue()).id();
        // Under the branch's write lock, so writes in progress on it commit first; later ones are refused.
        ctx.engine().store().underWriteLock(id, () -> {
            wal.dropBranch(id);
            return null;
        });
        return new BsonDocument();
    }
}
