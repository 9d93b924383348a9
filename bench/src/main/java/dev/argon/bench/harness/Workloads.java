package dev.argon.bench.harness;

import java.util.List;
import java.util.Locale;

/** The workload names the harness knows, their aliases, and their default order. Stateless. */
public final class Workloads {
    /** Every workload, in the order a full run uses. */
    public static final List<String> ALL = List.of("A", "B", "C", "D", "E", "F", "branch", "depth", "timetravel", "history", "diffmerge", "durable", "durablebranches", "indexed", "txn", "changestream");

    private Workloads() {}

    /** The canonical name of a workload name or alias; IllegalArgumentException if unknown. */
    static String canonical(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return switch (n) {
            case "a", "b", "c", "d", "e", "f" -> n.toUpperCase(Locale.ROOT);
            case "branch", "branches", "createbranch" -> "branch";
            case "depth", "branch-depth" -> "depth";
            case "timetravel", "time-travel", "tt" -> "timetravel";
            case "history", "hot", "history-reads" -> "history";
            case "diffmerge", "diff-merge", "diff", "merge" -> "diffmerge";
            case "durable", "insert-durable", "j" -> "durable";
            case "durablebranches", "durable-branches" -> "durablebranches";
            case "indexed", "index", "planner" -> "indexed";
            case "txn", "transactions", "transaction" -> "txn";
            case "changestream", "changestreams", "change-stream", "watch" -> "changestream";
            default -> throw new IllegalArgumentException("unknown workload '" + name + "'; known: " + String.join(",", ALL));
        };
    }

    static Workload create(String name) {
        return switch (canonical(name)) {
            case "A" -> YcsbWorkload.A;
            case "B" -> YcsbWorkload.B;
            case "C" -> YcsbWorkload.C;
            case "D" -> YcsbWorkload.D;
            case "E" -> YcsbWorkload.E;
            case "F" -> YcsbWorkload.F;
            case "branch" -> new BranchWorkload();
            case "depth" -> new DepthWorkload();
            case "timetravel" -> new TimeTravelWorkload();
            case "history" -> new HistoryWorkload();
            case "diffmerge" -> new DiffMergeWorkload();
            case "durable" -> new DurableInsertWorkload(false);
            case "durablebranches" -> new DurableInsertWorkload(true);
            case "indexed" -> new IndexedQueryWorkload();
            case "txn" -> new TransactionWorkload();
            case "changestream" -> new ChangeStreamWorkload();
            default -> throw new IllegalStateException(name);
        };
    }
}
