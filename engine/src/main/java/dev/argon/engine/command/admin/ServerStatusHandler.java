package dev.argon.engine.command.admin;

import dev.argon.engine.Engine;
import dev.argon.engine.ServerStats;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.wal.GroupCommitStats;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;

/**
 * {@code serverStatus}: true figures for uptime, connections, operation counters, open and timed-out cursors,
 * retryable writes answered from their records ({@code transactions}), network bytes and memory (resident and
 * virtual size from {@code /proc/self/status} where it exists, the JVM heap otherwise).
 */
public final class ServerStatusHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        Engine engine = ctx.engine();
        ServerStats s = engine.stats();
        long uptimeMillis = (System.nanoTime() - s.startNanos) / 1_000_000;
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        Runtime rt = Runtime.getRuntime();
        long residentMb = procStatusMb("VmRSS:", (rt.totalMemory() - rt.freeMemory()) >> 20);
        long virtualMb = procStatusMb("VmSize:", rt.totalMemory() >> 20);
        return new BsonDocument("host", new BsonString(host))
                .append("version", new BsonString(Engine.MONGO_VERSION))
                .append("process", new BsonString("argon"))
                .append("pid", new BsonInt64(ProcessHandle.current().pid()))
                .append("uptime", new BsonDouble(uptimeMillis / 1000.0))
                .append("uptimeMillis", new BsonInt64(uptimeMillis))
                .append("uptimeEstimate", new BsonInt64(uptimeMillis / 1000))
                .append("localTime", new BsonDateTime(System.currentTimeMillis()))
                .append("connections", new BsonDocument("current", new BsonInt32((int) s.connectionsCurrent.get()))
                        .append("available", new BsonInt32(Math.max(0, 1_000_000 - (int) s.connectionsCurrent.get())))
                        .append("totalCreated", new BsonInt64(s.connectionsTotal.get()))
                        .append("active", new BsonInt32((int) s.connectionsCurrent.get())))
                .append("network", new BsonDocument("bytesIn", new BsonInt64(s.bytesIn.get()))
                        .append("bytesOut", new BsonInt64(s.bytesOut.get()))
                        .append("numRequests", new BsonInt64(s.requests.get())))
                .append("opcounters", new BsonDocument("insert", new BsonInt64(s.opInsert.get()))
                        .append("query", new BsonInt64(s.opQuery.get()))
                        .append("update", new BsonInt64(s.opUpdate.get()))
                        .append("delete", new BsonInt64(s.opDelete.get()))
                        .append("getmore", new BsonInt64(s.opGetMore.get()))
                        .append("command", new BsonInt64(s.opCommand.get())))
                .append("mem", new BsonDocument("bits", new BsonInt32(64))
                        .append("resident", new BsonInt64(residentMb))
                        .append("virtual", new BsonInt64(virtualMb))
                        .append("supported", BsonBoolean.TRUE)
                        .append("heapUsedMB", new BsonInt64((rt.totalMemory() - rt.freeMemory()) >> 20)))
                .append("metrics", new BsonDocument("cursor", new BsonDocument("timedOut", new BsonInt64(engine.cursors().timedOutCount()))
                        .append("totalOpened", new BsonInt64(engine.cursors().totalOpened()))
                        .append("open", new BsonDocument("total", new BsonInt64(engine.cursors().openCount()))
                                .append("noTimeout", new BsonInt64(0))
                                .append("pinned", new BsonInt64(engine.cursors().pinnedCount()))))
                        .append("ttl", new BsonDocument("passes", new BsonInt64(engine.ttl().passes()))
                                .append("deletedDocuments", new BsonInt64(engine.ttl().deletedDocuments()))))
                .append("transactions", new BsonDocument("retriedCommandsCount", new BsonInt64(engine.sessions().retriedCommands()))
                        .append("retriedStatementsCount", new BsonInt64(engine.sessions().retriedStatements()))
                        .append("currentSessions", new BsonInt64(engine.sessions().size()))
                        .append("totalStarted", new BsonInt64(engine.sessions().transactionsStarted()))
                        .append("totalCommitted", new BsonInt64(engine.sessions().transactionsCommitted()))
                        .append("totalAborted", new BsonInt64(engine.sessions().transactionsAborted())))
                .append("argon", new BsonDocument("headLsn", new BsonInt64(engine.store().versions().lastLsn()))
                        .append("walSyncs", new BsonInt64(engine.store().versions().syncCount()))
                        .append("walSyncGathers", new BsonDocument("rounds", new BsonInt64(engine.store().versions().syncGathers().rounds()))
                                .append("timeouts", new BsonInt64(engine.store().versions().syncGathers().timeouts())))
                        .append("groupCommit", groupCommit(engine.store().versions().groupCommitStats()))
                        .append("staging", staging(engine.store().versions().stagingStats()))
                        .append("commandThreads", new BsonDocument("quick", new BsonInt64(engine.stats().quickCommands.get()))
                                .append("quickFallbacks", new BsonInt64(engine.stats().quickFallbacks.get()))
                                .append("deferredDurableReplies", new BsonInt64(engine.stats().deferredDurableReplies.get()))));
    }

    /**
     * Streamed commits (large writes written in chunks above the published head): chunks staged, commits
     * published, aborted ones, and unpublished ones retired when the data directory was opened.
     */
    static BsonDocument staging(dev.argon.wal.StagingStats s) {
        return new BsonDocument("chunks", new BsonInt64(s.chunks())).append("published", new BsonInt64(s.published()))
                .append("aborted", new BsonInt64(s.aborted())).append("recovered", new BsonInt64(s.recovered()));
    }

    /** Group commit figures: RocksDB writes ({@code groups}), commits they carried, and why each group ended. */
    static BsonDocument groupCommit(GroupCommitStats g) {
        return new BsonDocument("groups", new BsonInt64(g.groups()))
                .append("commits", new BsonInt64(g.commits()))
                .append("batchBreaks", new BsonDocument("full", new BsonInt64(g.full())).append("idle", new BsonInt64(g.idle())));
    }

    static long procStatusMb(String field, long fallbackMb) {
        Path p = Path.of("/proc/self/status");
        try {
            for (String line : Files.readAllLines(p)) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return fallbackMb;
        }
        return fallbackMb;
    }

    static long totalMemoryMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the JVM's view
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax() >> 20;
    }
}
