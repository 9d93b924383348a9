package dev.argon.tools;

import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code argon branch unprotect NAME}. */
@Command(name = "unprotect", mixinStandardHelpOptions = true, description = "Allow direct writes to a branch again.")
public final class BranchUnprotectCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "branch to unprotect")
    String name;

    @Mixin
    ClientOptions client;

    @Override
    public Integer call() {
        return set(client, name, false);
    }

    static int set(ClientOptions client, String name, boolean protect) {
        Document r = client.admin(new Document("protectBranch", name).append("protect", protect));
        if (client.json) {
            r.remove("ok");
            Output.json(System.out, r);
        } else {
            System.out.println((protect ? "protected" : "unprotected") + " branch " + name);
        }
        return 0;
    }
}
