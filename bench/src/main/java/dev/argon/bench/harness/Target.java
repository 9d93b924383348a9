package dev.argon.bench.harness;

/** A running server the workloads drive through the Java driver. Close it once, after its workloads. */
public interface Target extends AutoCloseable {
    /** Short name used in tables and JSON: {@code argon}, {@code mongo-java-server/memory}, ... */
    String name();

    /** Connection string of the server. */
    String uri();

    /** WAL fsyncs done so far when the target is an in-process Argon, else -1 (unknown). */
    default long fsyncs() {
        return -1;
    }

    /**
     * Group commit counters so far when the target is an in-process Argon: {@code {RocksDB writes of commits,
     * commits they carried}}; null when unknown.
     */
    default long[] commitGroups() {
        return null;
    }

    @Override
    void close();
}
