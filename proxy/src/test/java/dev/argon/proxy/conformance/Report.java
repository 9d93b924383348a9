package dev.argon.proxy.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Tallies outcomes per spec directory and renders the report: one table of counts, then the failures grouped by
 * cause (the list that turns into issues), every failure with its one-line reason, and the reasons for skipping.
 */
final class Report {

    /** Counts and details for one directory. */
    static final class Tally {
        int total;
        int notRunnable;
        int passed;
        int failed;
        int skipped;
        final List<String[]> failures = new ArrayList<>(); // {test, category, reason}
        final Map<String, Integer> skipReasons = new TreeMap<>();
        final Map<String, Integer> notRunnableReasons = new TreeMap<>();

        int runnable() {
            return total - notRunnable;
        }
    }

    private final Map<String, Tally> tallies = new LinkedHashMap<>();

    void directory(String dir) {
        tallies.computeIfAbsent(dir, d -> new Tally());
    }

    synchronized void record(String dir, String test, Outcome o) {
        Tally t = tallies.computeIfAbsent(dir, d -> new Tally());
        t.total++;
        switch (o.kind()) {
            case PASSED -> t.passed++;
            case FAILED -> {
                t.failed++;
                t.failures.add(new String[] {test, o.category(), o.reason()});
            }
            case SKIPPED -> {
                t.skipped++;
                t.skipReasons.merge(o.reason(), 1, Integer::sum);
            }
            case NOT_RUNNABLE -> {
                t.notRunnable++;
                t.notRunnableReasons.merge(o.reason(), 1, Integer::sum);
            }
        }
    }

    Tally tally(String dir) {
        return tallies.getOrDefault(dir, new Tally());
    }

    String render(String header, Map<String, Integer> floors) {
        StringBuilder sb = new StringBuilder();
        sb.append(header).append("\n\n");
        String fmt = "%-44s %6s %6s %8s %7s %7s %8s %6s%n";
        sb.append(String.format(fmt, "directory", "total", "n/a", "runnable", "passed", "failed", "skipped", "floor"));
        Tally sum = new Tally();
        for (Map.Entry<String, Tally> e : tallies.entrySet()) {
            Tally t = e.getValue();
            Integer floor = floors.get(e.getKey());
            sb.append(String.format(fmt, e.getKey(), t.total, t.notRunnable, t.runnable(), t.passed, t.failed, t.skipped,
                    floor == null ? "-" : floor));
            sum.total += t.total;
            sum.notRunnable += t.notRunnable;
            sum.passed += t.passed;
            sum.failed += t.failed;
            sum.skipped += t.skipped;
        }
        sb.append(String.format(fmt, "total", sum.total, sum.notRunnable, sum.runnable(), sum.passed, sum.failed,
                sum.skipped, ""));
        sb.append("\n(n/a: excluded by runOnRequirements or skipReason; skipped: runnable, but needs something the runner"
                + " or the server does not offer)\n");

        sb.append("\nFailure causes, most frequent first (count, cause, operations, example):\n");
        // Categories read "<operation>: <cause>"; grouping on the cause alone gathers one server gap seen through
        // several operations (for example transactions refused on insert, find and update alike).
        Map<String, List<String>> byCause = new TreeMap<>();
        Map<String, Set<String>> operations = new TreeMap<>();
        for (Map.Entry<String, Tally> e : tallies.entrySet()) {
            for (String[] f : e.getValue().failures) {
                int colon = f[1].indexOf(": ");
                boolean hasOp = colon > 0 && !f[1].startsWith("runner") && !f[1].startsWith("events")
                        && !f[1].startsWith("outcome");
                String cause = hasOp ? f[1].substring(colon + 2) : f[1];
                byCause.computeIfAbsent(cause, k -> new ArrayList<>()).add(e.getKey() + "/" + f[0]);
                operations.computeIfAbsent(cause, k -> new TreeSet<>()).add(hasOp ? f[1].substring(0, colon) : "-");
            }
        }
        byCause.entrySet().stream()
                .sorted((a, b) -> b.getValue().size() != a.getValue().size()
                        ? Integer.compare(b.getValue().size(), a.getValue().size()) : a.getKey().compareTo(b.getKey()))
                .forEach(e -> sb.append(String.format("  %4d  %s%n        in %s; e.g. %s%n", e.getValue().size(),
                        e.getKey(), operations.get(e.getKey()), e.getValue().get(0))));

        sb.append("\nFailures:\n");
        for (Map.Entry<String, Tally> e : tallies.entrySet()) {
            for (String[] f : e.getValue().failures) {
                sb.append("  ").append(e.getKey()).append('/').append(f[0]).append("\n      ")
                        .append(oneLine(f[2])).append('\n');
            }
        }

        sb.append("\nSkipped (runnable), by reason:\n");
        for (Map.Entry<String, Tally> e : tallies.entrySet()) {
            for (Map.Entry<String, Integer> r : e.getValue().skipReasons.entrySet()) {
                sb.append(String.format("  %-44s %4d  %s%n", e.getKey(), r.getValue(), r.getKey()));
            }
        }
        sb.append("\nNot runnable here, by reason:\n");
        for (Map.Entry<String, Tally> e : tallies.entrySet()) {
            for (Map.Entry<String, Integer> r : e.getValue().notRunnableReasons.entrySet()) {
                sb.append(String.format("  %-44s %4d  %s%n", e.getKey(), r.getValue(), r.getKey()));
            }
        }
        return sb.toString();
    }

    private static String oneLine(String s) {
        String t = s.replace('\n', ' ');
        return t.length() > 400 ? t.substring(0, 397) + "..." : t;
    }
}
