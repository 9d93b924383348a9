package dev.argon.tools;

import java.util.List;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code argon gc [--dry-run]}: one history GC pass on the running server ({@code gc} admin command). */
@Command(name = "gc", mixinStandardHelpOptions = true,
        description = "Reclaim history no name can reach (dropped branches, old resets, dropped collections, time travel "
                + "older than --history-retention), or with --dry-run count what would go.")
public final class GcCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = "--dry-run", description = "count what a pass would reclaim; delete nothing")
    boolean dryRun;

    @Override
    public Integer call() {
        Document r = client.admin(new Document("gc", 1).append("dryRun", dryRun));
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
        return 0;
    }
}
