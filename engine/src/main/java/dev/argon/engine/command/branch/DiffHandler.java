package dev.argon.engine.command.branch;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.vc.Differ;
import dev.argon.wal.VersionStore;
import org.bson.BsonDocument;
import org.bson.BsonInt32;

/**
 * {@code {diff: refA, to: refB, [ns], [full: true], [cursor: {batchSize}]}} &rarr; a cursor
 * ({@code ns: "<db>.$cmd.diff"}) of changes {@code {ns, id, kind, fields}}: the two states compared as
 * {@code git diff A B}, computed as the client pages through them. With {@code full}, each change carries both
 * versions as {@code from} and {@code to}. {@code entriesRead} says how many log entries were read to find them.
 */
public final class DiffHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        VersionStore wal = ctx.engine().store().versions();
        Refs.Point a = Refs.resolve(wal, Args.string(ctx, ctx.name(), true));
        Refs.Point b = Refs.resolve(wal, Args.string(ctx, "to", true));
        String ns = Args.string(ctx, "ns", false);
        boolean full = ctx.bool("full", false);
        long batchSize = Args.batchSize(ctx);
        Differ.Changes changes = Differ.diff(ctx.engine().store(), wal.viewAt(a.branch().id(), a.lsn()), wal.viewAt(b.branch().id(), b.lsn()),
                ns, full);
        BsonDocument reply = ctx.engine().cursors().firstBatch(ctx.db() + ".$cmd.diff", changes, changes, batchSize, false,
                ctx.sessionId());
        return reply.append("entriesRead", new BsonInt32(changes.entriesRead()));
    }
}
