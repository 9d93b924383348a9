package dev.argon.bench.harness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The machine and build a run happened on, so that two reports can be compared honestly.
 *
 * @param gitCommit {@code git rev-parse HEAD} of the working directory, or null outside a repository
 * @param gitDirty true when the working tree had uncommitted changes (the commit alone does not describe the build)
 */
public record MachineInfo(int cores, long memoryBytes, String cpu, String jvm, String os, String gitCommit, Boolean gitDirty) {
    public static MachineInfo collect() {
        long memory = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize();
        }
        String commit = git("rev-parse", "HEAD");
        String status = commit == null ? null : git("status", "--porcelain", "--untracked-files=no");
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), memory, cpuModel(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                commit, status == null ? null : !status.isBlank());
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: the field stays unknown
        }
        return null;
    }

    /** Output of a git command in the working directory, or null if git is missing or fails. */
    private static String git(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
