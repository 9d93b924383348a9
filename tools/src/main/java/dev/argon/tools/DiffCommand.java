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
 * {@code argon diff A B [--ns DB.COLL] [--full]}: as {@code git diff A B}. The changes arrive through the
 * server's cursor and are printed batch by batch, so a diff of any size starts printing at once.
 */
@Command(name = "diff", mixinStandardHelpOptions = true, description = "Show the documents that differ between two refs (added = only in the second).")
public final class DiffCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "first ref (branch, tag, NAME@LSN or NAME@TIME)")
    String a;

    @Parameters(index = "1", description = "second ref")
    String b;

    @Option(names = "--ns", description = "only this namespace (db.collection)")
    String ns;

    @Option(names = "--full", description = "show both versions of each changed document")
    boolean full;

    @Mixin
    ClientOptions client;

    @Mixin
    PagingOptions paging;

    @Override
    public Integer call() {
        Document cmd = new Document("diff", a).append("to", b).append("full", full);
        if (ns != null) {
            cmd.append("ns", ns);
        }
        String progress = "diffing " + a + " and " + b;
        if (client.json) {
            Output.JsonStream[] json = new Output.JsonStream[1];
            try {
                client.cursor(cmd, paging.batchSize, progress, head -> json[0] = new Output.JsonStream(System.out, head, "changes"),
                        batch -> batch.forEach(json[0]::add));
            } finally {
                if (json[0] != null) {
                    json[0].close();
                }
            }
            return 0;
        }
        Output.StreamTable table = new Output.StreamTable(System.out, List.of("KIND", "NS", "ID", "FIELDS"));
        long[] count = new long[1];
        client.cursor(cmd, paging.batchSize, progress, head -> { }, batch -> {
            count[0] += batch.size();
            if (full) {
                batch.forEach(DiffCommand::printFull);
                return;
            }
            List<List<String>> rows = new ArrayList<>();
            for (Document c : batch) {
                rows.add(List.of(kind(c), c.getString("ns"), Output.json(c.get("id")), String.join(",", c.getList("fields", String.class))));
            }
            table.print(rows);
        });
        System.out.println(count[0] + " document(s) differ");
        return 0;
    }

    private static String kind(Document c) {
        String kind = c.getString("kind");
        return kind.equals("added") ? Style.green("+ added") : kind.equals("removed") ? Style.red("- removed") : Style.yellow("~ changed");
    }

    private static void printFull(Document c) {
        String fields = String.join(",", c.getList("fields", String.class));
        System.out.println(kind(c) + "  " + Style.bold(c.getString("ns") + " " + Output.json(c.get("id"))) + (fields.isEmpty() ? "" : "  " + fields));
        System.out.println(Style.red("  - " + Output.json(c.get("from"))));
        System.out.println(Style.green("  + " + Output.json(c.get("to"))));
    }
}
