package dev.argon.tools;

import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code argon branch protect NAME}: direct writes are refused; merge, reset and revert still work. */
@Command(name = "protect", mixinStandardHelpOptions = true, description = "Protect a branch from direct writes.")
public final class BranchProtectCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "branch to protect")
    String name;

    @Mixin
    ClientOptions client;

    @Override
    public Integer call() {
        return BranchUnprotectCommand.set(client, name, true);
    }
}
