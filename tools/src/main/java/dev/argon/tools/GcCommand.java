package dev.argon.tools;

import dev.argon.storage.manifest.ManifestFormatException;
import dev.argon.storage.object.ObjectStore;
import dev.argon.storage.object.ObjectStoreException;
import dev.argon.storage.segment.SegmentCorruptException;
import dev.argon.wal.archive.ArchiveCompact;
import dev.argon.wal.archive.ArchiveGc;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code argon gc [--dry-run] [--tier-grace D]}: one history GC pass on the running server ({@code gc} admin command),
 * which then removes the tier's unnamed segments older than the grace period and retires old tier manifests; with
 * {@code --archive URL}, a GC of the archive's objects instead, offline on the object store like a restore
 * ({@link ArchiveGc}).
 */
@Command(name = "gc", mixinStandardHelpOptions = true,
        description = "Reclaim history no name can reach (dropped branches, old resets, dropped collections, time travel "
                + "older than --history-retention) and the tier's segments no tier manifest names once older than --tier-grace, "
                + "or with --dry-run count what would go. With --archive, remove instead "
                + "the archive's segments that no manifest names (a failed backup's leftovers) once older than --grace.")
public final class GcCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Mixin
    ArchiveOptions archiveOptions;

    @Option(names = "--dry-run", description = "count what a pass would reclaim; delete nothing")
    boolean dryRun;

    @Option(names = "--no-merge", description = "do not merge the tier's segments after the pass (by default a pass on "
            + "a server with compacted history rewrites small and sparse segments, reading every segment)")
    boolean noMerge;

    @Option(names = "--archive", description = "GC this archive (s3://bucket/prefix, file:///path or a folder path) "
            + "instead of the server's history; works on the object store, no server needed")
    String archive;

    @Option(names = "--grace", description = "with --archive: keep unreferenced objects younger than this (a backup still "
            + "uploading, a reader); longer than the longest backup (default: 1h)")
    String grace;

    @Option(names = "--tier-grace", description = "keep tier segments no catalog or kept manifest names until they are "
            + "this old (default: the server's --tier-grace, 1h)")
    String tierGrace;

    @Option(names = "--compact", description = "with --archive: first merge the newest manifest's small segments into "
            + "larger ones under a new manifest (the replaced ones go once --keep-manifests retires the older manifests)")
    boolean compact;

    @Option(names = "--keep-manifests", description = "with --archive: keep only the newest N manifests "
            + "(each older one once its successor is older than --grace); 0 keeps every manifest (default: 0)")
    Integer keepManifests;

    @Override
    public Integer call() {
        if (archive != null) {
            if (tierGrace != null) {
                throw new CliException(CliException.USAGE, "--tier-grace is for the server's tier; an archive's GC takes --grace");
            }
            return archiveGc();
        }
        if (grace != null || compact || keepManifests != null) {
            throw new CliException(CliException.USAGE, "--grace, --compact and --keep-manifests are for an archive's GC: give --archive URL");
        }
        Document cmd = new Document("gc", 1).append("dryRun", dryRun);
        if (noMerge) {
            cmd.append("mergeSegments", false);
        }
        if (tierGrace != null) {
            cmd.append("tierGraceSeconds", Durations.millis("--tier-grace", tierGrace) / 1000.0);
        }
        Document r = client.admin(cmd);
        r.remove("ok");
        if (client.json) {
            Output.json(System.out, r);
            return 0;
        }
        if (Boolean.TRUE.equals(r.getBoolean("deferred"))) {
            System.out.println("deferred: reads that began before the pass are still open (long commands or cursors); nothing deleted yet");
        }
        Output.table(System.out, List.of(dryRun ? "WOULD RECLAIM" : "RECLAIMED", "VERSIONS", "LOG ENTRIES", "COMMITS", "BRANCH RECORDS", "BYTES",
                        "HORIZON LSN"),
                List.of(List.of(dryRun ? "(dry run)" : "", Output.str(r.get("versions")), Output.str(r.get("logEntries")),
                        Output.str(r.get("commits")), Output.str(r.get("branchRecords")), Output.str(r.get("bytes")),
                        Output.str(r.get("horizonLsn")))));
        CompactCommand.printMerge(r);
        if (r.get("tierError") != null) {
            System.out.println("tier: not collected: " + r.get("tierError"));
        } else if (r.get("tierSkipped") != null) {
            System.out.println("tier: nothing deleted: " + r.get("tierSkipped"));
        } else if (r.get("tierObjectsRemoved") != null) {
            Output.table(System.out, List.of("TIER", "OBJECTS", "BYTES", "KEPT (YOUNG)", "MANIFESTS RETIRED", "MANIFESTS KEPT", "GRACE (S)"),
                    List.of(List.of(dryRun ? "would remove" : "removed", Output.str(r.get("tierObjectsRemoved")),
                            Output.str(r.get("tierBytesRemoved")), Output.str(r.get("tierObjectsKeptYoung")),
                            Output.str(r.get("tierManifestsRetired")), Output.str(r.get("tierManifests")), Output.str(r.get("tierGraceSeconds")))));
        }
        return 0;
    }

    private int archiveGc() {
        if (grace == null) {
            grace = "1h";
        }
        long graceMillis = Durations.millis("--grace", grace);
        int keep = keepManifests == null ? 0 : keepManifests;
        if (keep < 0) {
            throw new CliException(CliException.USAGE, "--keep-manifests takes 0 (keep all) or more, not " + keepManifests);
        }
        if (compact && dryRun) {
            throw new CliException(CliException.USAGE, "--compact writes new segments and a manifest; it has no --dry-run");
        }
        ArchiveGc.Report r;
        ArchiveCompact.Report c = null;
        try (ObjectStore store = archiveOptions.location(archive).open(false)) {
            if (compact) {
                ByteProgress bar = ByteProgress.onTerminal("compact");
                java.nio.file.Path tmp = Files.createTempDirectory("argon-compact-");
                try {
                    c = ArchiveCompact.run(store, tmp, ArchiveCompact.SMALL_BYTES, bar::update);
                } finally {
                    bar.finish();
                    try {
                        Files.deleteIfExists(tmp); // its segment files are removed as each one is stored
                    } catch (IOException leftBehind) {
                        // a temporary folder left behind is harmless
                    }
                }
            }
            r = ArchiveGc.run(store, graceMillis, System.currentTimeMillis(), dryRun, keep);
        } catch (IOException e) {
            throw new CliException(CliException.USAGE, "cannot make a temporary folder for the compaction: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, e.getMessage());
        } catch (IllegalStateException | ObjectStoreException | ManifestFormatException | SegmentCorruptException
                 | java.io.UncheckedIOException e) {
            throw new CliException(CliException.SERVER, "cannot GC the archive " + archive + ": " + e.getMessage());
        }
        if (client.json) {
            Document d = new Document("archive", r.target()).append("dryRun", r.dryRun()).append("graceMillis", r.graceMillis())
                    .append("manifests", r.manifests()).append("referencedSegments", r.referenced())
                    .append("referencedBytes", r.referencedBytes()).append(r.dryRun() ? "wouldRemove" : "removed", items(r.removed()))
                    .append("removedBytes", r.removedBytes()).append("keptYoung", items(r.young()))
                    .append("keptYoungBytes", r.youngBytes()).append(r.dryRun() ? "wouldRetireManifests" : "retiredManifests", r.retired())
                    .append("millis", r.millis());
            if (c != null) {
                d.append("compaction", new Document("sequence", c.sequence()).append("from", c.from())
                        .append("segmentsMerged", c.segmentsMerged()).append("bytesMerged", c.bytesMerged())
                        .append("segmentsStored", c.segmentsStored()).append("bytesStored", c.bytesStored()).append("millis", c.millis()));
            }
            Output.json(System.out, d);
            return 0;
        }
        if (c != null) {
            System.out.println(c.sequence() == 0 ? "compaction: nothing to merge (no kind has two small segments)"
                    : String.format("compaction: merged %d small segment(s), %s, into %d under manifest %d (from %d)", c.segmentsMerged(),
                    ByteProgress.mb(c.bytesMerged()), c.segmentsStored(), c.sequence(), c.from()));
        }
        if (!r.retired().isEmpty()) {
            System.out.println((r.dryRun() ? "would retire" : "retired") + " manifest(s) " + r.retired());
        }
        System.out.printf("%s %d unreferenced segment(s), %s, of %s; kept %d younger than %s; %d manifest(s) name %d segment(s), %s%n",
                r.dryRun() ? "would remove" : "removed", r.removed().size(), ByteProgress.mb(r.removedBytes()), r.target(),
                r.young().size(), grace, r.manifests(), r.referenced(), ByteProgress.mb(r.referencedBytes()));
        List<List<String>> rows = new ArrayList<>();
        for (ArchiveGc.Item i : r.removed()) {
            rows.add(List.of(r.dryRun() ? "would remove" : "removed", i.key(), Long.toString(i.size()), Instant.ofEpochMilli(i.modifiedMillis()).toString()));
        }
        for (ArchiveGc.Item i : r.young()) {
            rows.add(List.of("kept (young)", i.key(), Long.toString(i.size()), Instant.ofEpochMilli(i.modifiedMillis()).toString()));
        }
        if (!rows.isEmpty()) {
            Output.table(System.out, List.of("ACTION", "OBJECT", "BYTES", "WRITTEN"), rows);
        }
        return 0;
    }

    private static List<Document> items(List<ArchiveGc.Item> items) {
        List<Document> out = new ArrayList<>();
        for (ArchiveGc.Item i : items) {
            out.add(new Document("key", i.key()).append("size", i.size()).append("modified", Instant.ofEpochMilli(i.modifiedMillis()).toString()));
        }
        return out;
    }
}
