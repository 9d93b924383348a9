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
