package dev.argon.tools;

import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code argon branch delete NAME}. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a branch (refused for main and for branches with children).")
public final class BranchDeleteCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "branch to delete")
    String name;

    @Mixin
    ClientOptions client;

    @Override
    public Integer call() {
        client.admin(new Document("dropBranch", name));
        if (client.json) {
            Output.json(System.out, new Document("deleted", name));
        } else {
            System.out.println("deleted branch " + name);
        }
        return 0;
    }
}
