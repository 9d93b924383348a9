package dev.argon.engine.command.catalog;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.query.Matcher;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.DataView;
import dev.argon.engine.store.IndexInfo;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonString;

/** {@code listCollections}: with {@code filter} (over the full entry) and {@code nameOnly}. */
public final class ListCollectionsHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        DataView view = ctx.readView();
        BsonDocument filter = ctx.document("filter");
        Matcher matcher = filter == null ? null : Matcher.compile(filter);
        boolean nameOnly = ctx.bool("nameOnly", false);
        List<BsonDocument> out = new ArrayList<>();
        for (CollectionInfo c : view.collections(ctx.db())) {
            BsonDocument full = new BsonDocument("name", new BsonString(c.name()))
                    .append("type", new BsonString("collection"))
                    .append("options", c.options())
                    .append("info", new BsonDocument("readOnly", BsonBoolean.valueOf(ctx.target().readOnly())).append("uuid", c.uuid()))
                    .append("idIndex", IndexInfo.idIndexSpec());
            if (matcher != null && !matcher.matches(full)) {
                continue;
            }
            out.add(nameOnly ? new BsonDocument("name", full.get("name")).append("type", full.get("type")) : full);
        }
        BsonDocument cursor = ctx.document("cursor");
        long batchSize = cursor != null && cursor.containsKey("batchSize") ? cursor.get("batchSize").asNumber().longValue() : -1;
        return ctx.engine().cursors().firstBatch(ctx.db() + ".$cmd.listCollections", out.iterator(), null, batchSize, false,
                ctx.sessionId());
    }
}
