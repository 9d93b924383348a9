package dev.argon.engine.command.catalog;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.cursor.DocSize;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.DataView;
import java.io.File;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;

/**
 * {@code dbStats}: collection, object and index counts of a database on the selected branch. Counting walks
 * the documents (there is no per-branch counter yet), so it costs a scan of the database.
 */
public final class DbStatsHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        DataView view = ctx.readView();
        long objects = 0;
        long bytes = 0;
        int indexes = 0;
        int collections = 0;
        for (CollectionInfo c : view.collections(ctx.db())) {
            collections++;
            indexes += 1 + c.indexes().size();
            try (DataView.DocumentScan s = view.documents(c)) {
                while (s.hasNext()) {
                    bytes += DocSize.estimate(s.next());
                    objects++;
                }
            }
        }
        File root = new File(".").getAbsoluteFile();
        return new BsonDocument("db", new BsonString(ctx.db()))
                .append("collections", new BsonInt32(collections))
                .append("views", new BsonInt32(0))
                .append("objects", new BsonInt64(objects))
                .append("avgObjSize", new BsonDouble(objects == 0 ? 0 : (double) bytes / objects))
                .append("dataSize", new BsonDouble(bytes))
                .append("storageSize", new BsonDouble(bytes))
                .append("indexes", new BsonInt32(indexes))
                .append("indexSize", new BsonDouble(0))
                .append("totalSize", new BsonDouble(bytes))
                .append("scaleFactor", new BsonInt32(1))
                .append("fsUsedSize", new BsonDouble(root.getTotalSpace() - root.getFreeSpace()))
                .append("fsTotalSize", new BsonDouble(root.getTotalSpace()));
    }
}
