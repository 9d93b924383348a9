package dev.argon.tools;

import dev.argon.engine.store.StoreChecker;
import dev.argon.wal.DataDirInUseException;
import dev.argon.wal.FsckReport;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bson.Document;
import dev.argon.engine.gc.TierSettings;
import dev.argon.wal.archive.ArchiveLocation;
import dev.argon.storage.object.ObjectStoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code argon fsck --data DIR}: checks a stopped data directory offline (it opens it read-only and
 * changes nothing). Exit 0 when clean, 5 when damage was found, 6 when the directory cannot be checked
 * (in use by a running server, or not a data directory).
 */
@Command(name = "fsck", mixinStandardHelpOptions = true,
        description = "Check a stopped data directory: log, commits, branch heads, versions, indexes and checksums.")
public final class FsckCommand implements Callable<Integer> {
    @Option(names = "--data", description = "data directory (default: ${DEFAULT-VALUE})", defaultValue = "./argon-data")
    Path data;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Option(names = "--tier", description = "where the directory's compacted history lives, as given to argon serve --tier "
            + "(s3://bucket/prefix with --endpoint and the keys or AWS_* variables, file:///path or a folder; default: <data>/objects)")
    String tierUrl;

    @Mixin
    ArchiveOptions archive;

    @Override
    public Integer call() {
        FsckReport report;
        try {
            report = tierUrl == null ? StoreChecker.check(data) : StoreChecker.check(data, tier());
        } catch (DataDirInUseException | IllegalArgumentException e) {
            throw new CliException(CliException.CANNOT_CHECK, e.getMessage());
        } catch (ObjectStoreException e) {
            throw new CliException(CliException.CANNOT_CHECK, "cannot reach the tier " + tierUrl + ": " + e.getMessage());
        }
        if (json) {
            Output.json(System.out, Document.parse(report.toBson().toJson()));
        } else {
            human(report);
        }
        return report.clean() ? 0 : CliException.DAMAGE;
    }

    /** The tier as given, never creating a bucket (a check only reads). */
    private dev.argon.wal.TierConfig tier() {
        ArchiveLocation l = archive.location(tierUrl);
        l = new ArchiveLocation(l.url(), l.endpoint(), l.region(), l.accessKeyId(), l.secretAccessKey(), false);
        return TierSettings.DEFAULTS.withTier(l).walConfig(data);
    }

    private void human(FsckReport report) {
        Map<String, Long> c = report.counts();
        System.out.println("checked " + data + ": " + n(c, "logEntries") + " log entries, " + n(c, "commits") + " commits, "
                + n(c, "versions") + " versions, " + n(c, "branches") + " branch records, " + n(c, "tags") + " tags; "
                + n(c, "documents") + " documents and " + n(c, "indexEntries") + " index entries on " + n(c, "branchHeadsChecked")
                + " live branch heads");
        for (FsckReport.Problem p : report.problems()) {
            System.out.println("  " + p);
        }
        long unlisted = report.problemCount() - report.problems().size();
        if (unlisted > 0) {
            System.out.println("  ... and " + unlisted + " more");
        }
        System.out.println(report.clean() ? "clean" : report.problemCount() + " problem(s) found");
    }

    private static long n(Map<String, Long> counts, String key) {
        return counts.getOrDefault(key, 0L);
    }
}
