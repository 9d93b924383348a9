package dev.argon.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code argon} command line: {@code serve} runs a server, {@code fsck} checks a stopped data directory;
 * the other verbs talk to a running one.
 */
@Command(name = "argon", mixinStandardHelpOptions = true, version = "argon " + dev.argon.engine.Engine.VERSION,
        description = "Git for MongoDB data: a MongoDB-compatible server with branches, history and time travel.",
        subcommands = {ServeCommand.class, BenchCommand.class, BranchCommand.class, StatusCommand.class, LogCommand.class, DiffCommand.class,
                MergeCommand.class, TagCommand.class, ResetCommand.class, RevertCommand.class, FsckCommand.class, GcCommand.class, CompactCommand.class, BackupCommand.class,
                RestoreCommand.class, CloneCommand.class, CommandLine.HelpCommand.class})
public final class ArgonCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code (for tests). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new ArgonCli());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof CliException c) {
                line.getErr().println("argon: " + c.getMessage());
                return c.exitCode();
            }
            throw e;
        });
        return cl.execute(args);
    }
}
