package dev.argon.proxy.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the spec test data. It is CC BY-NC-SA licensed, so it is never copied into this repository: the runner
 * reads it where it lies. Order of preference: the system property {@code argon.conformance.dir}, the environment
 * variable {@code ARGON_CONFORMANCE_DIR}, then {@code ../../shared/conformance/specs} from the proxy module
 * directory and {@code ../shared/conformance/specs} from the repository root (the shared folder next to the
 * checkout), whichever exists.
 */
final class SpecData {
    private SpecData() {
    }

    private static Path base() {
        // Surefire runs in the module directory and sets basedir; an IDE may run from the repository root.
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    }

    private static List<Path> candidates() {
        List<Path> out = new ArrayList<>();
        String configured = System.getProperty("argon.conformance.dir");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("ARGON_CONFORMANCE_DIR");
        }
        if (configured != null && !configured.isBlank()) {
            out.add(Path.of(configured));
            return out; // an explicit location is not second-guessed
        }
        out.add(base().resolve("../../shared/conformance/specs"));
        out.add(base().resolve("../shared/conformance/specs"));
        return out;
    }

    /** The data directory, or null when none of the candidates exists. */
    static Path locate() {
        for (Path p : candidates()) {
            if (Files.isDirectory(p)) {
                return p.normalize();
            }
        }
        return null;
    }

    static String describeSearch() {
        return "looked in " + candidates().stream().map(p -> p.toAbsolutePath().normalize().toString()).toList();
    }

    /**
     * The directories to run: {@code -Dargon.conformance.dirs=crud,sessions}, or those of the defaults present in
     * the data (an older or partial copy simply has fewer rows).
     */
    static List<String> directories(Path root, List<String> defaults) {
        String s = System.getProperty("argon.conformance.dirs");
        if (s != null && !s.isBlank()) {
            return ConformanceTest.split(s);
        }
        return defaults.stream().filter(d -> Files.isDirectory(root.resolve(d))).toList();
    }

    /**
     * Whether a file (its name without {@code .json}) is to run: all of them, or with
     * {@code -Dargon.conformance.files=insertOne-errorLabels,abort} those whose name is one of the list, to rerun a few
     * files while working on them (the floors then fail, as the counts are partial).
     */
    static boolean fileSelected(String fileName) {
        String s = System.getProperty("argon.conformance.files");
        return s == null || s.isBlank() || ConformanceTest.split(s).contains(fileName);
    }

    /** The JSON files directly in a directory, sorted by name; none when the directory is missing. */
    static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
