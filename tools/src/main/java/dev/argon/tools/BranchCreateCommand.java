package dev.argon.tools;

import java.util.List;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code argon branch create NAME [--from REF] [--at LSN|TIME]}. */
@Command(name = "create", mixinStandardHelpOptions = true, description = "Create a branch (one metadata write, whatever the data size).")
public final class BranchCreateCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "name of the new branch")
    String name;

    @Option(names = "--from", description = "ref to fork from: a branch, tag, or NAME@LSN / NAME@TIME (default: main)")
    String from;

    @Option(names = "--at", description = "fork point: an LSN or an ISO-8601 UTC time such as 2026-11-01T09:00:00Z")
    String at;

    @Mixin
    ClientOptions client;

    @Override
    public Integer call() {
        Document cmd = new Document("createBranch", name);
        if (from != null) {
            cmd.append("from", from);
        }
        if (at != null) {
            cmd.append("at", at.chars().allMatch(Character::isDigit) ? (Object) Long.parseLong(at) : at);
        }
        Document r = client.admin(cmd);
        if (client.json) {
            r.remove("ok");
            Output.json(System.out, r);
        } else {
            Output.table(System.out, List.of("NAME", "PARENT", "BASE LSN"),
                    List.of(List.of(r.getString("name"), Output.str(r.get("parent")), Output.str(r.get("baseLsn")))));
        }
        return 0;
    }
}
