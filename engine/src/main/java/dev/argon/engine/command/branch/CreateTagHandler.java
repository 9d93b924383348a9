package dev.argon.engine.command.branch;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.wal.Tag;
import dev.argon.wal.VersionStore;
import org.bson.BsonDocument;

/** {@code {createTag: "v1", ref: "main"}}: an immutable name for a branch at a point, readable as {@code db~v1}. */
public final class CreateTagHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        VersionStore wal = ctx.engine().store().versions();
        String ref = Args.string(ctx, "ref", false);
        Refs.Point p = Refs.resolve(wal, ref == null ? dev.argon.wal.Branch.MAIN : ref);
        Tag t = wal.createTag(Args.string(ctx, ctx.name(), true), p.branch().id(), p.lsn(), ctx.actor());
        return ListTagsHandler.of(wal, t);
    }
}
