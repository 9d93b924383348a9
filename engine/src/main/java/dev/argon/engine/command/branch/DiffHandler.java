package dev.argon.engine.command.branch;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.vc.Differ;
import dev.argon.wal.Wal;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;

/**
 * {@code {diff: refA, to: refB, [ns], [full: true]}} &rarr; {@code {changes: [{ns, id, kind, fields}]}}: the
 * two states compared as {@code git diff A B}. With {@code full}, each change carries both versions as
 * {@code from} and {@code to}.
 */
public final class DiffHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        Wal wal = ctx.engine().store().wal();
        Refs.Point a = Refs.resolve(wal, Args.string(ctx, ctx.name(), true));
        Refs.Point b = Refs.resolve(wal, Args.string(ctx, "to", true));
        Differ.Result r = Differ.diff(ctx.engine().store(), wal.viewAt(a.branch().id(), a.lsn()), wal.viewAt(b.branch().id(), b.lsn()),
                Args.string(ctx, "ns", false), ctx.bool("full", false));
        return new BsonDocument("changes", new BsonArray(r.changes())).append("entriesRead", new BsonInt32(r.entriesRead()));
    }
}
