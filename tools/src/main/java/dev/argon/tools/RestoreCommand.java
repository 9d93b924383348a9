package dev.argon.tools;

import dev.argon.storage.manifest.ManifestFormatException;
import dev.argon.storage.object.ObjectStore;
import dev.argon.storage.object.ObjectStoreException;
import dev.argon.storage.segment.SegmentCorruptException;
import dev.argon.wal.BranchException;
import dev.argon.wal.WalException;
import dev.argon.wal.archive.Restore;
import dev.argon.wal.archive.RestoreReport;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code argon restore --from URL [--at <lsn|time|tag>] --data DIR}: builds a fresh data directory from an archive,
 * offline (this process reads the archive; no server is involved). Refuses a non-empty directory.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Build a new data directory from a backup (the newest manifest), optionally as it was at an LSN, "
                + "an ISO-8601 time or a tag. Offline; start a server on it with ./argon serve --data DIR.")
public final class RestoreCommand implements Callable<Integer> {
    @Mixin
    ArchiveOptions archive;

    @Option(names = "--from", required = true, description = "s3://bucket/prefix, file:///path or a folder path")
    String from;

    @Option(names = "--at", description = "restore every branch as it was at this LSN, time (2026-11-01T09:00:00Z) or tag")
    String at;

    @Option(names = "--data", required = true, description = "the new data directory (absent or empty)")
    Path data;

    @Option(names = "--json", description = "print a JSON summary")
    boolean json;

    @Override
    public Integer call() {
        return run(archive, from, at, null, data, json);
    }

    static int run(ArchiveOptions archive, String from, String at, String branch, Path data, boolean json) {
        ByteProgress bar = ByteProgress.onTerminal(branch == null ? "restore" : "clone");
        RestoreReport r;
        try (ObjectStore store = archive.location(from).open(false)) {
            r = Restore.run(store, data, at, branch, bar::update);
        } catch (IllegalArgumentException | WalException | BranchException e) {
            throw new CliException(CliException.USAGE, e.getMessage());
        } catch (ObjectStoreException | ManifestFormatException | SegmentCorruptException e) {
            throw new CliException(CliException.SERVER, "cannot read the archive " + from + ": " + e.getMessage());
        } finally {
            bar.finish();
        }
        long millis = Math.max(1, r.millis());
        Document d = new Document("from", r.source()).append("data", data.toString()).append("sequence", r.sequence())
                .append("coversLsn", r.coversLsn()).append("restoredLsn", r.restoredLsn()).append("branch", r.branch())
                .append("branches", r.branches()).append("entries", r.entries()).append("segments", r.segments())
                .append("bytesRead", r.bytesRead()).append("millis", r.millis());
        if (json) {
            Output.json(System.out, d);
            return 0;
        }
        System.out.printf("%s %s at lsn %d from backup %d of %s into %s%n", branch == null ? "restored" : "cloned",
                branch == null ? "every branch" : "branch " + branch, r.restoredLsn(), r.sequence(), r.source(), data);
        Output.table(System.out, List.of("BRANCHES", "ENTRIES", "SEGMENTS", "BYTES READ", "TIME", "RATE"),
                List.of(List.of(Integer.toString(r.branches()), Long.toString(r.entries()), Integer.toString(r.segments()),
                        ByteProgress.mb(r.bytesRead()), millis + " ms", ByteProgress.mb(r.bytesRead() * 1000 / millis) + "/s")));
        System.out.println("start a server on it: ./argon serve --data " + data);
        return 0;
    }
}
