package dev.argon.tools;

import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code argon branch rename OLD NEW}. */
@Command(name = "rename", mixinStandardHelpOptions = true, description = "Rename a branch.")
public final class BranchRenameCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "current name")
    String name;

    @Parameters(index = "1", description = "new name")
    String to;

    @Mixin
    ClientOptions client;

    @Override
    public Integer call() {
        Document r = client.admin(new Document("renameBranch", name).append("to", to));
        if (client.json) {
            r.remove("ok");
            Output.json(System.out, r);
        } else {
            System.out.println("renamed branch " + name + " to " + to);
        }
        return 0;
    }
}
