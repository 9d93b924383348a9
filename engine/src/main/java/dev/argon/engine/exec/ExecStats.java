package dev.argon.engine.exec;

/**
 * What one query plan did, for {@code explain}'s {@code executionStats}: keys read from an index, documents
 * fetched, documents that passed the filter, and documents returned. Counters only; not thread-safe (a plan
 * runs on one thread at a time).
 */
public final class ExecStats {
    long keysExamined;
    long docsExamined;
    /** Ids the index stage passed on (after deduplication). */
    long keysAdvanced;
    long matched;
    long returned;
    /** Runs a blocking sort wrote to disk, and whether it did (explain's SORT {@code usedDisk}, {@code spills}). */
    int spills;
    boolean usedDisk;
    /** Works a trial run may do (keys read, or documents a collection scan reads); unbounded outside a trial. */
    long budget = Long.MAX_VALUE;
    /** Whether the run stopped because its budget was spent rather than at its end. */
    boolean cut;

    /** A plan's works so far: a key per index entry read, a document per document a collection scan read. */
    long works() {
        return Math.max(keysExamined, docsExamined);
    }

    boolean spent() {
        return works() >= budget;
    }

    public long keysExamined() {
        return keysExamined;
    }

    public long docsExamined() {
        return docsExamined;
    }

    public long returned() {
        return returned;
    }
}
