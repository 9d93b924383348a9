package dev.argon.engine.command.catalog;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.CollectionSizes;
import dev.argon.engine.store.DataView;
import java.io.File;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;

/**
 * {@code dbStats}: collection, object and index counts and sizes of a database on the selected branch, the sums of
 * each collection's {@link CollectionSizes} (the same figures as {@code collStats}). Counting walks the documents
 * and index keys (there is no per-branch counter yet), so it costs a scan of the database.
 */
public final class DbStatsHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        DataView view = ctx.readView().uncounted();
        long objects = 0;
        long bytes = 0;
        long storage = 0;
        long indexBytes = 0;
        int indexes = 0;
        int collections = 0;
        for (CollectionInfo c : view.collections(ctx.db())) {
            collections++;
            CollectionSizes s = CollectionSizes.of(view, c);
            indexes += s.indexBytes().size();
            objects += s.count();
            bytes += s.dataBytes();
            storage += s.storageBytes();
            indexBytes += s.totalIndexBytes();
        }
        File root = new File(".").getAbsoluteFile();
        return new BsonDocument("db", new BsonString(ctx.db()))
                .append("collections", new BsonInt32(collections))
                .append("views", new BsonInt32(0))
                .append("objects", new BsonInt64(objects))
                .append("avgObjSize", new BsonDouble(objects == 0 ? 0 : (double) bytes / objects))
                .append("dataSize", new BsonDouble(bytes))
                .append("storageSize", new BsonDouble(storage))
                .append("indexes", new BsonInt32(indexes))
                .append("indexSize", new BsonDouble(indexBytes))
                .append("totalSize", new BsonDouble(storage + indexBytes))
                .append("scaleFactor", new BsonInt32(1))
                .append("fsUsedSize", new BsonDouble(root.getTotalSpace() - root.getFreeSpace()))
                .append("fsTotalSize", new BsonDouble(root.getTotalSpace()));
    }
}
