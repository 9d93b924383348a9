package dev.argon.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code argon diff A B [--ns DB.COLL] [--full]}: as {@code git diff A B}. */
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

    @Override
    public Integer call() {
        Document cmd = new Document("diff", a).append("to", b).append("full", full);
        if (ns != null) {
            cmd.append("ns", ns);
        }
        Document r = Progress.around("diffing " + a + " and " + b, () -> client.admin(cmd));
        if (client.json) {
            r.remove("ok");
            Output.json(System.out, r);
            return 0;
        }
        List<Document> changes = r.getList("changes", Document.class);
        List<List<String>> rows = new ArrayList<>();
        for (Document c : changes) {
            String kind = c.getString("kind");
            String k = kind.equals("added") ? Style.green("+ added") : kind.equals("removed") ? Style.red("- removed") : Style.yellow("~ changed");
            rows.add(List.of(k, c.getString("ns"), Output.json(c.get("id")), String.join(",", c.getList("fields", String.class))));
        }
        Output.table(System.out, List.of("KIND", "NS", "ID", "FIELDS"), rows);
        if (full) {
            for (Document c : changes) {
                System.out.println(Style.bold(c.getString("ns") + " " + Output.json(c.get("id"))));
                System.out.println(Style.red("  - " + Output.json(c.get("from"))));
                System.out.println(Style.green("  + " + Output.json(c.get("to"))));
            }
        }
        System.out.println(changes.size() + " document(s) differ");
        return 0;
    }
}
