package dev.argon.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code argon branch ...}: the branch verbs. */
@Command(name = "branch", mixinStandardHelpOptions = true, description = "Create, list, delete, rename and protect branches.",
        subcommands = {BranchCreateCommand.class, BranchListCommand.class, BranchDeleteCommand.class, BranchRenameCommand.class,
                BranchProtectCommand.class, BranchUnprotectCommand.class})
public final class BranchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
