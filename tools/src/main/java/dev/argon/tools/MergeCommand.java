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
 * {@code argon merge BRANCH --into TARGET [--preview] [--strategy fail|ours|theirs] [--message M]}. A preview's
 * conflicts arrive through the server's cursor and are printed batch by batch; an applied merge lists the
 * first conflicts it settled.
 */
@Command(name = "merge", mixinStandardHelpOptions = true, description = "Three-way merge of a branch into another (applies unless --preview).")
public final class MergeCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "branch to merge (theirs)")
    String source;

    @Option(names = "--into", required = true, description = "branch to merge into (ours)")
    String into;

    @Option(names = "--preview", description = "show the plan and conflicts without applying")
    boolean preview;

    @Option(names = "--strategy", defaultValue = "fail", description = "on conflicts: fail (default), ours (keep the target), theirs (take the source)")
    String strategy;

    @Option(names = {"-m", "--message"}, description = "commit message of the merge")
    String message;

    @Option(names = "--expect-head", description = "refuse if the target head is not this LSN (from a preview)")
    Long expectHead;

    @Mixin
    ClientOptions client;

    @Mixin
    PagingOptions paging;

    @Override
    public Integer call() {
        Document cmd = new Document("mergeBranch", source).append("into", into).append("strategy", strategy).append("preview", preview);
        if (message != null) {
            cmd.append("comment", message);
        }
        if (expectHead != null) {
            cmd.append("expectHeadLsn", expectHead);
        }
        return preview ? preview(cmd) : apply(cmd);
    }

    private int preview(Document cmd) {
        String progress = "planning merge of " + source + " into " + into;
        if (client.json) {
            Output.JsonStream[] json = new Output.JsonStream[1];
            try {
                client.cursor(cmd, paging.batchSize, progress, head -> json[0] = new Output.JsonStream(System.out, head, "conflicts"),
                        batch -> batch.forEach(json[0]::add));
            } finally {
                if (json[0] != null) {
                    json[0].close();
                }
            }
            return 0;
        }
        Document[] first = new Document[1];
        client.cursor(cmd, paging.batchSize, progress, head -> {
            first[0] = head;
            printCounts(head);
        }, batch -> batch.forEach(MergeCommand::printConflict));
        Object head = first[0].get("headLsn");
        System.out.println("preview: " + first[0].get("conflictCount") + " conflict(s); target head " + head
                + " (apply with: argon merge " + source + " --into " + into + " --expect-head " + head + ")");
        return 0;
    }

    private int apply(Document cmd) {
        Document r = Progress.around("merging " + source + " into " + into, () -> client.admin(cmd));
        if (client.json) {
            r.remove("ok");
            Output.json(System.out, r);
            return 0;
        }
        printCounts(r);
        List<Document> listed = r.getList("conflicts", Document.class);
        listed.forEach(MergeCommand::printConflict);
        long total = ((Number) r.get("conflictCount")).longValue();
        if (total > listed.size()) {
            System.out.println("... and " + (total - listed.size()) + " more conflict(s) settled by strategy " + strategy);
        }
        System.out.println(Style.green("merged") + " " + source + " into " + into + " at lsn " + r.get("headLsn"));
        return 0;
    }

    private static void printCounts(Document reply) {
        List<List<String>> rows = new ArrayList<>();
        Document counts = reply.get("counts", Document.class);
        for (String ns : counts.keySet()) {
            Document c = counts.get(ns, Document.class);
            List<String> catalog = new ArrayList<>();
            for (String k : List.of("create", "drop", "catalog")) {
                if (c.containsKey(k)) {
                    catalog.add(k.equals("catalog") ? "options/indexes" : k);
                }
            }
            rows.add(List.of(ns, Output.str(c.getOrDefault("insert", 0)), Output.str(c.getOrDefault("update", 0)),
                    Output.str(c.getOrDefault("delete", 0)), catalog.isEmpty() ? "-" : String.join(",", catalog)));
        }
        Output.table(System.out, List.of("NS", "INSERT", "UPDATE", "DELETE", "COLLECTION"), rows);
    }

    private static void printConflict(Document c) {
        String fields = String.join(",", c.getList("fields", String.class));
        if ("collection".equals(c.getString("kind"))) {
            System.out.println(Style.red("conflict") + " " + c.getString("ns") + " (collection: " + c.getString("reason") + ") " + fields);
        } else {
            System.out.println(Style.red("conflict") + " " + c.getString("ns") + " " + Output.json(c.get("id")) + " fields " + fields);
        }
        if (c.containsKey("base")) {
            System.out.println("  base:   " + Output.json(c.get("base")));
            System.out.println("  ours:   " + Output.json(c.get("ours")));
            System.out.println("  theirs: " + Output.json(c.get("theirs")));
        }
    }
}
