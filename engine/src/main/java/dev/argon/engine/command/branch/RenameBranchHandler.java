package dev.argon.engine.command.branch;

import dev.argon.engine.ArgonException;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.wal.VersionStore;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/** {@code {renameBranch: "exp", to: "exp2"}}. */
public final class RenameBranchHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        BsonValue v = ctx.command().get(ctx.name());
        BsonValue to = ctx.command().get("to");
        if (!v.isString() || to == null || !to.isString()) {
            throw ArgonException.typeMismatch("renameBranch takes {renameBranch: \"old\", to: \"new\"}");
        }
        VersionStore wal = ctx.engine().store().versions();
        return BranchDocs.of(wal, wal.renameBranch(Refs.branch(wal, v.asString().getValue()).id(), to.asString().getValue()));
    }
}
