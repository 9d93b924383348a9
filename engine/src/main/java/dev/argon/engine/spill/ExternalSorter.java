package dev.argon.engine.spill;

import dev.argon.engine.ArgonException;
import dev.argon.engine.bson.BsonSize;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import org.bson.BsonDocument;

/**
 * A stable sort of any number of documents in bounded memory. Documents are held until their BSON size passes
 * the limit; then, if the command allows disk use, the held ones are sorted and written as a run and memory
 * starts again, else the sort fails (292, from {@code refusal}). {@link #sorted()} merges the runs and what is
 * still held. At most {@link #MAX_RUNS} runs are open at once: the 64th merges all of them into one longer run,
 * so a huge sort needs neither unbounded file handles nor one buffer per run. Not thread-safe; one per stage run.
 */
public final class ExternalSorter {
    /** Merge fan-in: 64 open runs of 64 KiB buffers is 4 MiB, far below any useful limit. */
    static final int MAX_RUNS = 64;

    private final Comparator<BsonDocument> order;
    private final Spill spill;
    private final long limitBytes;
    private final Supplier<ArgonException> refusal;
    private final List<BsonDocument> held = new ArrayList<>();
    private final List<RunFile> runs = new ArrayList<>();
    private long heldBytes;

    public ExternalSorter(Comparator<BsonDocument> order, Spill spill, long limitBytes, Supplier<ArgonException> refusal) {
        this.order = order;
        this.spill = spill;
        this.limitBytes = limitBytes;
        this.refusal = refusal;
    }

    public void add(BsonDocument doc) {
        // Without a limit (internal reads) there is nothing to count.
        add(doc, limitBytes == Long.MAX_VALUE ? 0 : BsonSize.of(doc));
    }

    /** Adds with a size the caller already knows (or estimates above the BSON size). */
    public void add(BsonDocument doc, long bytes) {
        held.add(doc);
        heldBytes += bytes;
        if (heldBytes > limitBytes) {
            if (!spill.allowsDisk()) {
                throw refusal.get();
            }
            spillHeld();
        }
    }

    /** Whether any run was written. */
    public boolean spilled() {
        return !runs.isEmpty();
    }

    /** Everything added, in order; call once, after the last add. */
    public Iterator<BsonDocument> sorted() {
        held.sort(order);
        if (runs.isEmpty()) {
            return held.iterator();
        }
        List<Iterator<BsonDocument>> inputs = new ArrayList<>(runs.size() + 1);
        for (RunFile r : runs) {
            inputs.add(r.read());
        }
        inputs.add(held.iterator()); // the latest input: last among ties
        return new MergeIterator(inputs, order);
    }

    /**
     * Writes documents the caller already sorted (in this sorter's order) as one run, after the runs before it;
     * for a stage that keeps its own state in memory (a $group's groups) and spills it in order. Needs disk use.
     */
    public void addSortedRun(Iterator<BsonDocument> docs) {
        RunFile.Writer w = spill.newRun();
        docs.forEachRemaining(w::add);
        runs.add(w.finish());
        mergeIfMany();
    }

    private void spillHeld() {
        held.sort(order);
        RunFile.Writer w = spill.newRun();
        for (BsonDocument d : held) {
            w.add(d);
        }
        runs.add(w.finish());
        held.clear();
        heldBytes = 0;
        mergeIfMany();
    }

    private void mergeIfMany() {
        if (runs.size() >= MAX_RUNS) {
            List<Iterator<BsonDocument>> inputs = new ArrayList<>(runs.size());
            for (RunFile r : runs) {
                inputs.add(r.read());
            }
            RunFile.Writer merged = spill.newRun();
            new MergeIterator(inputs, order).forEachRemaining(merged::add);
            for (RunFile r : runs) {
                r.delete();
            }
            runs.clear();
            runs.add(merged.finish());
        }
    }
}
