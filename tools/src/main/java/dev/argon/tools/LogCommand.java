package dev.argon.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code argon log [REF] [--limit N] [--skip N] [--ns DB.COLL] [--actor A] [--from-lsn N] [--to-lsn N]}. Commits
 * arrive through the server's cursor and are printed batch by batch.
 */
@Command(name = "log", mixinStandardHelpOptions = true, description = "Show the commits of a branch, newest first.")
public final class LogCommand implements Callable<Integer> {
    @Parameters(index = "0", defaultValue = "main", description = "branch, tag or ref (default: ${DEFAULT-VALUE})")
    String ref;

    @Option(names = "--limit", defaultValue = "20", description = "commits to show, 0 for all (default: ${DEFAULT-VALUE})")
    long limit;

    @Option(names = "--skip", defaultValue = "0", description = "commits to skip first")
    long skip;

    @Option(names = "--ns", description = "only commits touching this namespace (db.collection)")
    String ns;

    @Option(names = "--actor", description = "only commits by this actor (user or appName)")
    String actor;

    @Option(names = "--from-lsn", description = "lowest commit LSN (inclusive)")
    Long fromLsn;

    @Option(names = "--to-lsn", description = "highest commit LSN (inclusive)")
    Long toLsn;

    @Mixin
    ClientOptions client;

    @Mixin
    PagingOptions paging;

    @Override
    public Integer call() {
        Document cmd = new Document("branchLog", ref).append("limit", limit).append("skip", skip);
        if (ns != null) {
            cmd.append("ns", ns);
        }
        if (actor != null) {
            cmd.append("actor", actor);
        }
        if (fromLsn != null) {
            cmd.append("fromLsn", fromLsn);
        }
        if (toLsn != null) {
            cmd.append("toLsn", toLsn);
        }
        String progress = "reading the log of " + ref;
        if (client.json) {
            Output.JsonStream[] json = new Output.JsonStream[1];
            try {
                client.cursor(cmd, paging.batchSize, progress, head -> json[0] = new Output.JsonStream(System.out, head, "commits"),
                        batch -> batch.forEach(json[0]::add));
            } finally {
                if (json[0] != null) {
                    json[0].close();
                }
            }
            return 0;
        }
        Output.StreamTable table = new Output.StreamTable(System.out, List.of("LSN", "TIME", "ACTOR", "CHANGES", "COMMENT"));
        client.cursor(cmd, paging.batchSize, progress, head -> { }, batch -> {
            List<List<String>> rows = new ArrayList<>();
            for (Document c : batch) {
                rows.add(List.of(Style.yellow(Output.str(c.get("lsn"))), Output.str(c.get("time")), Output.str(c.get("actor")),
                        counts(c.get("counts", Document.class)), Output.str(c.get("comment"))));
            }
            table.print(rows);
        });
        return 0;
    }

    static String counts(Document counts) {
        StringBuilder sb = new StringBuilder();
        for (String ns : counts.keySet()) {
            Document c = counts.get(ns, Document.class);
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(ns).append(' ');
            List<String> parts = new ArrayList<>();
            for (String k : c.keySet()) {
                parts.add((k.equals("insert") ? "+" : k.equals("delete") ? "-" : k.equals("update") ? "~" : k + " ") + c.get(k));
            }
            sb.append(String.join(" ", parts));
        }
        return sb.toString();
    }
}
