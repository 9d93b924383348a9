package dev.argon.engine.command.admin;

import dev.argon.engine.ArgonException;
import dev.argon.engine.Engine;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.storage.manifest.ManifestFormatException;
import dev.argon.storage.object.ObjectStore;
import dev.argon.storage.object.ObjectStoreException;
import dev.argon.wal.archive.ArchiveLocation;
import dev.argon.wal.archive.Backup;
import dev.argon.wal.archive.BackupReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * {@code {argonBackup: 1, to: "s3://bucket/prefix" | "file:///path", [endpoint], [region], [accessKeyId,
 * secretAccessKey], [createBucket: true]}}: backs the data directory up into that archive (consistent as of the
 * command's start, incremental when the archive has a manifest) and answers the summary. The server does the
 * upload with the S3 settings the command carries (the CLI passes on what it was given or has in its environment);
 * settings left out fall back to the server's environment. {@code {argonBackup: 1, progress: true}} answers how
 * far a running backup is (for progress bars, from another connection). One backup at a time.
 *
 * <p>Thread-safe: the running backup's progress is held in atomics.
 */
public final class ArgonBackupHandler implements CommandHandler {
    private record Running(String target, AtomicLong done, AtomicLong total, long startNanos) {}

    /** The manifest property naming the primary's host:port. */
    public static final String PRIMARY_PROPERTY = "primary";

    private final AtomicReference<Running> running = new AtomicReference<>();

    @Override
    public BsonDocument handle(CommandContext ctx) {
        BsonDocument cmd = ctx.command();
        if (cmd.getBoolean("progress", BsonBoolean.FALSE).getValue()) {
            return progress();
        }
        ArchiveLocation where = new ArchiveLocation(required(cmd, "to"), optional(cmd, "endpoint"), optional(cmd, "region"),
                optional(cmd, "accessKeyId"), optional(cmd, "secretAccessKey"),
                cmd.getBoolean("createBucket", BsonBoolean.TRUE).getValue());
        if ((where.accessKeyId() == null) != (where.secretAccessKey() == null)) {
            throw ArgonException.badValue("give both 'accessKeyId' and 'secretAccessKey', or neither");
        }
        Running r = new Running(where.url(), new AtomicLong(), new AtomicLong(), System.nanoTime());
        if (!running.compareAndSet(null, r)) {
            throw new ArgonException(MongoErrorCode.CONFLICTING_OPERATION_IN_PROGRESS,
                    "a backup to " + running.get().target() + " is running; wait for it to finish");
        }
        Path tmp = null;
        try (ObjectStore store = open(where)) {
            // In the data directory's temporary folder, which the next start clears: a backup killed midway leaves
            // up to three sealed segments per kind there, which the system's temporary folder would keep for good.
            Path spill = ctx.engine().spill().folder();
            tmp = spill == null ? Files.createTempDirectory("argon-backup-")
                    : Files.createTempDirectory(Files.createDirectories(spill), "backup-");
            BackupReport rep = Backup.run(ctx.engine().store()::snapshot, store, tmp,
                    properties(ctx), (done, total) -> {
                        r.done().set(done);
                        r.total().set(total);
                    });
            return summary(rep);
        } catch (ObjectStoreException e) {
            throw storeError(where, e);
        } catch (ManifestFormatException e) {
            throw new ArgonException(MongoErrorCode.OPERATION_FAILED, "cannot back up to " + where.url() + ": " + e.getMessage());
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            throw new ArgonException(MongoErrorCode.OPERATION_FAILED, "backup to " + where.url() + " failed: " + e.getMessage());
        } catch (IOException e) {
            throw new ArgonException(MongoErrorCode.OPERATION_FAILED, "backup failed: cannot create a temporary folder: " + e.getMessage());
        } finally {
            running.set(null);
            removeQuietly(tmp);
        }
    }

    /**
     * The manifest's properties: the server version and, as {@code primary}, the host:port the client reached this
     * server at, so that a read-only node serving the archive can name where writes go.
     */
    private static Map<String, String> properties(CommandContext ctx) {
        Map<String, String> p = new java.util.TreeMap<>(Map.of("argon.version", Engine.VERSION));
        if (ctx.client() != null && ctx.client().localHost() != null) {
            p.put(PRIMARY_PROPERTY, ctx.client().localHost() + ":" + ctx.client().localPort());
        }
        return p;
    }

    private static ObjectStore open(ArchiveLocation where) {
        try {
            return where.open(true);
        } catch (IllegalArgumentException e) {
            throw ArgonException.badValue(e.getMessage());
        }
    }

    private static ArgonException storeError(ArchiveLocation where, ObjectStoreException e) {
        String hint = switch (e.kind()) {
            case ACCESS_DENIED -> " (check the credentials: flags, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or a profile)";
            case NOT_FOUND -> " (does the bucket exist? createBucket: true creates it when the credentials allow)";
            default -> "";
        };
        MongoErrorCode code = e.kind() == ObjectStoreException.Kind.ACCESS_DENIED ? MongoErrorCode.UNAUTHORIZED : MongoErrorCode.OPERATION_FAILED;
        return new ArgonException(code, "backup to " + where + " failed: " + e.getMessage() + hint
                + (e.isPermanent() ? "" : " (a transient failure: trying again may work)"));
    }

    private BsonDocument progress() {
        Running r = running.get();
        if (r == null) {
            return new BsonDocument("running", BsonBoolean.FALSE);
        }
        return new BsonDocument("running", BsonBoolean.TRUE).append("to", new BsonString(r.target()))
                .append("bytesDone", new BsonInt64(r.done().get())).append("bytesTotal", new BsonInt64(r.total().get()))
                .append("millis", new BsonInt64((System.nanoTime() - r.startNanos()) / 1_000_000));
    }

    static BsonDocument summary(BackupReport r) {
        return new BsonDocument("to", new BsonString(r.target())).append("sequence", new BsonInt64(r.sequence()))
                .append("parent", new BsonInt64(r.parent())).append("coversLsn", new BsonInt64(r.coversLsn()))
                .append("sinceLsn", new BsonInt64(r.sinceLsn())).append("entries", new BsonInt64(r.entries()))
                .append("rawBytes", new BsonInt64(r.rawBytes())).append("segmentsStored", new BsonInt32(r.segmentsStored()))
                .append("bytesStored", new BsonInt64(r.bytesStored())).append("segmentsReused", new BsonInt32(r.segmentsReused()))
                .append("segmentsTotal", new BsonInt32(r.segmentsTotal())).append("archiveBytes", new BsonInt64(r.archiveBytes()))
                .append("millis", new BsonInt64(r.millis()));
    }

    private static String required(BsonDocument cmd, String field) {
        String v = optional(cmd, field);
        if (v == null || v.isBlank()) {
            throw ArgonException.badValue("argonBackup needs '" + field + "': file:///path or s3://bucket/prefix");
        }
        return v;
    }

    private static String optional(BsonDocument cmd, String field) {
        BsonValue v = cmd.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            throw ArgonException.typeMismatch("'" + field + "' must be a string");
        }
        return v.asString().getValue();
    }

    private static void removeQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
