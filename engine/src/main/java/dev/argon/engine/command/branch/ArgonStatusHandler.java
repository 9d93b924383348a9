package dev.argon.engine.command.branch;

import dev.argon.engine.Engine;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.wal.VersionStore;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;

/** {@code {argonStatus: 1}}: version, last LSN and commit time, branch and tag counts, storage health. */
public final class ArgonStatusHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        VersionStore wal = ctx.engine().store().versions();
        long last = wal.lastCommitTime();
        return new BsonDocument("version", new BsonString(Engine.VERSION))
                .append("headLsn", new BsonInt64(wal.lastLsn()))
                .append("lastCommitTime", last == 0 ? BsonNull.VALUE : new BsonDateTime(last))
                .append("branches", new BsonInt32(wal.branches().size()))
                .append("tags", new BsonInt32(wal.tags().size()))
                // The oldest point time travel may ask for (0: all history kept); see the gc command.
                .append("horizonLsn", new BsonInt64(wal.horizonLsn()))
                .append("storage", new BsonDocument("engine", new BsonString("rocksdb"))
                        .append("healthy", BsonBoolean.valueOf(wal.healthy()))
                        // healthy | diskFull | failed, and why: see WalHealth for what each means to a user.
                        .append("state", new BsonString(stateName(wal.health().state())))
                        .append("reason", wal.health().reason() == null ? BsonNull.VALUE : new BsonString(wal.health().reason()))
                        .append("freeBytes", new BsonInt64(wal.health().freeBytes()))
                        .append("walSyncs", new BsonInt64(wal.syncCount())));
    }

    private static String stateName(dev.argon.wal.WalHealth.State s) {
        return switch (s) {
            case HEALTHY -> "healthy";
            case DISK_FULL -> "diskFull";
            case FAILED -> "failed";
        };
    }
}
