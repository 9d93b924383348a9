package dev.argon.tools;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code argon clone --from URL --branch NAME --data DIR}: a new data directory holding one branch of an archive and
 * the part of its ancestry it reads through (its parents up to the fork points; {@code main} keeps its name there).
 * Offline, like {@code restore}.
 */
@Command(name = "clone", mixinStandardHelpOptions = true,
        description = "Build a new data directory holding one branch of a backup (and what it needs of its ancestry).")
public final class CloneCommand implements Callable<Integer> {
    @Mixin
    ArchiveOptions archive;

    @Option(names = "--from", required = true, description = "s3://bucket/prefix, file:///path or a folder path")
    String from;

    @Option(names = "--branch", required = true, description = "the branch to clone")
    String branch;

    @Option(names = "--at", description = "the branch as it was at this LSN, time or tag")
    String at;

    @Option(names = "--data", required = true, description = "the new data directory (absent or empty)")
    Path data;

    @Option(names = "--json", description = "print a JSON summary")
    boolean json;

    @Override
    public Integer call() {
        return RestoreCommand.run(archive, from, at, branch, data, json);
    }
}
