package dev.argon.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code argon merge BRANCH --into TARGET [--preview] [--strategy fail|ours|theirs] [--message M]}. */
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

    @Override
    public Integer call() {
        Document cmd = new Document("mergeBranch", source).append("into", into).append("strategy", strategy).append("preview", preview);
        if (message != null) {
            cmd.append("comment", message);
        }
        if (expectHead != null) {
            cmd.append("expectHeadLsn", expectHead);
        }
        Document r = Progress.around((preview ? "planning merge of " : "merging ") + source + " into " + into, () -> client.admin(cmd));
        if (client.json) {
            r.remove("ok");
            Output.json(System.out, r);
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        Document counts = r.get("counts", Document.class);
        for (String ns : counts.keySet()) {
            Document c = counts.get(ns, Document.class);
            rows.add(List.of(ns, Output.str(c.getOrDefault("insert", 0)), Output.str(c.getOrDefault("update", 0)),
                    Output.str(c.getOrDefault("delete", 0))));
        }
        Output.table(System.out, List.of("NS", "INSERT", "UPDATE", "DELETE"), rows);
        List<Document> conflicts = r.getList("conflicts", Document.class);
        for (Document c : conflicts) {
            System.out.println(Style.red("conflict") + " " + c.getString("ns") + " " + Output.json(c.get("id")) + " fields "
                    + String.join(",", c.getList("fields", String.class)));
            System.out.println("  base:   " + Output.json(c.get("base")));
            System.out.println("  ours:   " + Output.json(c.get("ours")));
            System.out.println("  theirs: " + Output.json(c.get("theirs")));
        }
        if (preview) {
            System.out.println("preview: " + conflicts.size() + " conflict(s); target head " + r.get("headLsn")
                    + " (apply with: argon merge " + source + " --into " + into + " --expect-head " + r.get("headLsn") + ")");
        } else {
            System.out.println(Style.green("merged") + " " + source + " into " + into + " at lsn " + r.get("headLsn"));
        }
        return 0;
    }
}
