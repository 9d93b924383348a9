package dev.argon.bench.jmh.versions;

import dev.argon.bench.BenchData;
import dev.argon.engine.store.Keys;
import dev.argon.wal.Branch;
import dev.argon.wal.CommitRequest;
import dev.argon.wal.KeyWrite;
import dev.argon.wal.LogEntry;
import dev.argon.wal.ReadView;
import dev.argon.wal.Wal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * A WAL data directory holding one collection of YCSB-style records on main, written the way the engine writes
 * them (document keys from {@link Keys}, BSON payloads). Not thread-safe while building; reads are.
 */
final class VersionedStore implements AutoCloseable {
    static final long COLLECTION_ID = 1;
    /** Records per commit while loading: large enough that loading is quick, small enough to stay realistic. */
    private static final int LOAD_BATCH = 1000;

    final Path dir;
    final Wal wal;
    final byte[][] keys;
    private final Random rnd = new Random(7);
    private final int fieldSize;

    VersionedStore(int records, int fieldSize) {
        this.dir = BenchData.tempDir("argon-jmh-versions-");
        this.wal = Wal.open(dir);
        this.fieldSize = fieldSize;
        this.keys = new byte[records][];
        for (int i = 0; i < records; i++) {
            keys[i] = Keys.document(COLLECTION_ID, idOf(i));
        }
        writeAll(Branch.MAIN_ID, indices(records), LogEntry.INSERT);
    }

    static BsonValue idOf(int i) {
        return new BsonString(String.format("user%010d", i));
    }

    static byte[] collectionPrefix() {
        return Keys.collectionPrefix(COLLECTION_ID);
    }

    private static int[] indices(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return all;
    }

    /** Overwrites {@code fraction} of the records, chosen at random, on a branch. */
    void overwrite(int branchId, double fraction) {
        int n = (int) Math.round(keys.length * fraction);
        int[] which = new int[n];
        for (int i = 0; i < n; i++) {
            which[i] = rnd.nextInt(keys.length);
        }
        java.util.Arrays.sort(which);
        writeAll(branchId, which, LogEntry.UPDATE);
    }

    /** Overwrites every record on a branch (one more version of each key). */
    void overwriteAll(int branchId) {
        writeAll(branchId, indices(keys.length), LogEntry.UPDATE);
    }

    /** Updates one record {@code times} times on a branch, one commit each (a hot document). */
    void rewrite(int branchId, int index, int times) {
        for (int t = 0; t < times; t++) {
            writeAll(branchId, new int[] {index}, LogEntry.UPDATE);
        }
    }

    /** A chain of {@code depth - 1} branches below main, each overwriting {@code fraction} of the records. */
    int branchChain(int depth, double fraction) {
        int parent = Branch.MAIN_ID;
        for (int level = 1; level < depth; level++) {
            Branch b = wal.createBranch("level" + level, parent, wal.branch(parent).headLsn(), "bench");
            overwrite(b.id(), fraction);
            parent = b.id();
        }
        return parent;
    }

    private void writeAll(int branchId, int[] which, String op) {
        List<LogEntry> batch = new ArrayList<>(LOAD_BATCH);
        for (int i : which) {
            BsonValue id = idOf(i);
            BsonDocument doc = BenchData.ycsbRecord(rnd, id.asString().getValue(), fieldSize);
            // As the engine writes it: the log entry names the document's key, whose version holds the document.
            batch.add(LogEntry.versioned("ycsb.usertable", op, id, !op.equals(LogEntry.INSERT), List.of(KeyWrite.put(keys[i], dev.argon.wal.Bson.bytes(doc)))));
            if (batch.size() == LOAD_BATCH) {
                wal.commit(new CommitRequest(branchId, "bench", null, false, batch));
                batch = new ArrayList<>(LOAD_BATCH);
            }
        }
        if (!batch.isEmpty()) {
            wal.commit(new CommitRequest(branchId, "bench", null, false, batch));
        }
    }

    /**
     * Waits until reads stop getting faster. After a bulk load RocksDB flushes and compacts in the background for
     * tens of seconds, and reads during that time cost several times more (measured here: 60 µs instead of 12);
     * a benchmark that starts right away measures the compaction, not the read path. Waits for RocksDB's pending
     * flushes and compactions (up to three minutes), then probes main's head once a second until two probes agree
     * within 10%, for at most a minute.
     */
    void settle() {
        ReadView main = wal.headView(Branch.MAIN_ID);
        long deadline = System.nanoTime() + 60_000_000_000L;
        double previous = Double.MAX_VALUE;
        while (wal.backgroundWorkPending() && System.nanoTime() < deadline + 120_000_000_000L) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        while (System.nanoTime() < deadline) {
            double now = probe(main);
            if (Math.abs(now - previous) < 0.1 * previous) {
                return;
            }
            previous = now;
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Mean nanoseconds of a point read over a fixed random sample. */
    private double probe(ReadView view) {
        Random r = new Random(5);
        int n = 20_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            wal.get(view, keys[r.nextInt(keys.length)]);
        }
        return (System.nanoTime() - start) / (double) n;
    }

    @Override
    public void close() {
        wal.close();
        BenchData.deleteTree(dir);
    }
}
