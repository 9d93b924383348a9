package dev.argon.tools;

import dev.argon.wal.archive.ArchiveLocation;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code argon backup --to s3://bucket/prefix|file:///path}: the running server backs its data directory up
 * ({@code argonBackup}); this command passes on the S3 settings it was given or has in its environment and draws
 * a progress bar from the server's progress answers.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Back the server's data directory up to an S3 bucket or a folder: consistent as of the start, "
                + "incremental when the target already holds a backup (only new segments and a new manifest travel). "
                + "A folder is written by the server, on its machine.")
public final class BackupCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Mixin
    ArchiveOptions archive;

    @Option(names = "--to", required = true, description = "s3://bucket/prefix, file:///path or a folder path")
    String to;

    @Override
    public Integer call() {
        ArchiveLocation where = archive.location(to);
        Document cmd = new Document("argonBackup", 1).append("to", where.url());
        cmd.putAll(ArchiveOptions.fields(where));
        ByteProgress bar = ByteProgress.onTerminal("backup");
        CompletableFuture<Document> run = CompletableFuture.supplyAsync(() -> client.admin(cmd));
        Document r = await(run, bar);
        bar.finish();
        r.remove("ok");
        if (client.json) {
            Output.json(System.out, r);
            return 0;
        }
        long millis = Math.max(1, ((Number) r.get("millis")).longValue());
        long raw = ((Number) r.get("rawBytes")).longValue();
        System.out.printf("backup %d of lsn %d to %s (%s)%n", ((Number) r.get("sequence")).longValue(),
                ((Number) r.get("coversLsn")).longValue(), r.getString("to"),
                ((Number) r.get("parent")).longValue() == 0 ? "full" : "incremental since lsn " + r.get("sinceLsn"));
        Output.table(System.out, List.of("ENTRIES", "RAW", "SEGMENTS STORED", "BYTES STORED", "REUSED", "ARCHIVE", "TIME", "RATE"),
                List.of(List.of(Output.str(r.get("entries")), ByteProgress.mb(raw), Output.str(r.get("segmentsStored")),
                        ByteProgress.mb(((Number) r.get("bytesStored")).longValue()), Output.str(r.get("segmentsReused")),
                        ByteProgress.mb(((Number) r.get("archiveBytes")).longValue()), millis + " ms",
                        ByteProgress.mb(raw * 1000 / millis) + "/s")));
        return 0;
    }

    /** Waits for the backup, polling the server's progress for the bar meanwhile (only when one is shown). */
    private Document await(CompletableFuture<Document> run, ByteProgress bar) {
        try {
            while (true) {
                try {
                    return run.get(500, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (System.console() != null) {
                        Document p = client.admin(new Document("argonBackup", 1).append("progress", true));
                        if (Boolean.TRUE.equals(p.getBoolean("running"))) {
                            bar.update(((Number) p.get("bytesDone")).longValue(), ((Number) p.get("bytesTotal")).longValue());
                        }
                    }
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new CliException(CliException.SERVER, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.SERVER, "interrupted");
        }
    }
}
