package dev.argon.engine.command.admin;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.wal.StorageUsage;
import dev.argon.wal.TierReport;
import dev.argon.wal.TierUsage;
import java.util.Map;
import java.util.TreeMap;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonNull;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt64;
import org.bson.BsonString;

/**
 * {@code {argonStorage: 1, [flush: true]}}: where the data directory's bytes are — RocksDB per column family (live
 * SST files and memtables), the local object folder ({@code <data-dir>/objects}: segments and their cache), the
 * bucket of the history tier ({@code argon serve --tier s3://...}; else {@code configured: false, bytes: 0}), the tier
 * (segments, bytes in its store, the segment cache's bytes and limit, stubs, cutoff, the last pass), stored versions raw against on disk (the
 * compression ratio), and per branch the raw bytes of the versions it stores and of those only it reaches. It
 * scans every stored version, so it takes time in proportion to the data (about a second per few million
 * versions); {@code flush: true} flushes memtables first, so that the ratio describes compressed files.
 * Stateless.
 */
public final class ArgonStorageHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        StorageUsage u = ctx.engine().store().versions().storageUsage(ctx.bool("flush", false));
        TierUsage t = ctx.engine().store().versions().tierUsage().withStubs(u.stubs());
        boolean inBucket = t.location().startsWith("s3://");
        BsonDocument families = new BsonDocument();
        for (Map.Entry<String, StorageUsage.FamilyBytes> e : u.families().entrySet()) {
            families.append(e.getKey(), new BsonDocument("sstBytes", new BsonInt64(e.getValue().sstBytes()))
                    .append("memtableBytes", new BsonInt64(e.getValue().memtableBytes())));
        }
        BsonArray branches = new BsonArray();
        for (Map.Entry<String, StorageUsage.BranchBytes> e : new TreeMap<>(u.branches()).entrySet()) {
            StorageUsage.BranchBytes b = e.getValue();
            branches.add(new BsonDocument("name", new BsonString(e.getKey()))
                    .append("versions", new BsonInt64(b.versions()))
                    .append("bytes", new BsonInt64(b.bytes()))
                    .append("uniqueVersions", new BsonInt64(b.uniqueVersions()))
                    .append("uniqueBytes", new BsonInt64(b.uniqueBytes())));
        }
        return new BsonDocument("rocksdb", new BsonDocument("bytes", new BsonInt64(u.rocksdbBytes()))
                        .append("fileBytes", new BsonInt64(u.rocksdbFileBytes()))
                        .append("families", families))
                .append("localObjects", new BsonDocument("folder", new BsonString(StorageUsage.OBJECT_FOLDER))
                        .append("bytes", new BsonInt64(u.objectFolderBytes()))
                        .append("files", new BsonInt64(u.objectFolderFiles())))
                // The server's bucket is its history tier's (argon serve --tier s3://...); backups name theirs per command.
                .append("bucket", inBucket
                        ? new BsonDocument("configured", BsonBoolean.TRUE).append("url", new BsonString(t.location()))
                                .append("bytes", new BsonInt64(t.storeBytes()))
                        : new BsonDocument("configured", BsonBoolean.FALSE).append("bytes", new BsonInt64(0)))
                .append("tier", tier(t))
                .append("versions", new BsonDocument("count", new BsonInt64(u.versionCount()))
                        .append("rawBytes", new BsonInt64(u.rawVersionBytes()))
                        .append("storedBytes", new BsonInt64(u.storedVersionBytes()))
                        .append("compressionRatio", new BsonDouble(Math.round(u.compressionRatio() * 1000) / 1000.0)))
                .append("branches", branches)
                .append("unownedBytes", new BsonInt64(u.unownedBytes()));
    }

    private static BsonDocument tier(TierUsage t) {
        BsonDocument d = new BsonDocument("location", new BsonString(t.location()))
                .append("segments", new BsonInt64(t.segments()))
                .append("segmentBytes", new BsonInt64(t.segmentBytes()))
                .append("storeObjects", new BsonInt64(t.storeObjects()))
                .append("storeBytes", new BsonInt64(t.storeBytes()))
                .append("cache", new BsonDocument("bytes", new BsonInt64(t.cacheBytes()))
                        .append("limit", new BsonInt64(t.cacheLimit()))
                        .append("reads", new BsonInt64(t.cacheReads()))
                        .append("misses", new BsonInt64(t.cacheMisses())))
                .append("stubs", new BsonInt64(t.stubs()))
                .append("cutoffLsn", new BsonInt64(t.cutoffLsn()));
        TierReport p = t.lastPass();
        if (p == null) {
            return d.append("lastPass", BsonNull.VALUE);
        }
        return d.append("lastPass", new BsonDocument("at", new BsonDateTime(t.lastPassMillis()))
                .append("millis", new BsonInt64(p.millis()))
                .append("cutoffLsn", new BsonInt64(p.cutoffLsn()))
                .append("versions", new BsonInt64(p.versions()))
                .append("segments", new BsonInt64(p.segments()))
                .append("segmentBytes", new BsonInt64(p.segmentBytes())));
    }
}
