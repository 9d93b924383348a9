package dev.argon.engine.command.branch;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.wal.Branch;
import dev.argon.wal.Tag;
import dev.argon.wal.VersionStore;
import org.bson.BsonArray;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;

/** {@code {listTags: 1}} &rarr; {@code {tags: [{name, branch, lsn, createdAt}]}}, by name. */
public final class ListTagsHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        VersionStore wal = ctx.engine().store().versions();
        BsonArray out = new BsonArray();
        for (Tag t : wal.tags()) {
            out.add(of(wal, t));
        }
        return new BsonDocument("tags", out);
    }

    static BsonDocument of(VersionStore wal, Tag t) {
        Branch b = wal.branch(t.branchId());
        return new BsonDocument("name", new BsonString(t.name()))
                .append("branch", b != null && b.name() != null ? new BsonString(b.name()) : BsonNull.VALUE)
                .append("lsn", new BsonInt64(t.lsn()))
                .append("createdAt", new BsonDateTime(t.createdAt()));
    }
}
