package dev.argon.engine.command.catalog;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.query.Matcher;
import dev.argon.engine.store.DataView;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;

/** {@code listDatabases}: the databases of the selected branch that hold at least one collection. */
public final class ListDatabasesHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        DataView view = ctx.readView();
        boolean nameOnly = ctx.bool("nameOnly", false);
        BsonDocument filter = ctx.document("filter");
        Matcher matcher = filter == null ? null : Matcher.compile(filter);
        BsonArray dbs = new BsonArray();
        for (String name : view.databases()) {
            BsonDocument d = nameOnly ? new BsonDocument("name", new BsonString(name))
                    : new BsonDocument("name", new BsonString(name)).append("sizeOnDisk", new BsonInt64(0))
                            .append("empty", BsonBoolean.FALSE);
            if (matcher == null || matcher.matches(d)) {
                dbs.add(d);
            }
        }
        BsonDocument r = new BsonDocument("databases", dbs);
        if (!nameOnly) {
            r.append("totalSize", new BsonInt64(0)).append("totalSizeMb", new BsonInt64(0));
        }
        return r;
    }
}
