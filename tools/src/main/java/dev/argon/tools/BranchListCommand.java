package dev.argon.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code argon branch list}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List branches.")
public final class BranchListCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Override
    public Integer call() {
        Document r = client.admin(new Document("listBranches", 1));
        if (client.json) {
            r.remove("ok");
            Output.json(System.out, r);
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Document b : r.getList("branches", Document.class)) {
            rows.add(List.of(b.getString("name"), Output.str(b.get("parent")), Output.str(b.get("baseLsn")),
                    Output.str(b.get("headLsn")), b.getBoolean("protected", false) ? "yes" : "", Output.str(b.get("createdAt"))));
        }
        Output.table(System.out, List.of("NAME", "PARENT", "BASE LSN", "HEAD LSN", "PROTECTED", "CREATED"), rows);
        return 0;
    }
}
