package dev.argon.engine.spill;

import dev.argon.engine.ArgonException;
import dev.argon.engine.bson.BsonSize;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import org.bson.BsonDocument;

/**
 * Documents kept to be read several times, in order (a $facet's input, once per facet): in memory up to the limit,
 * then, if the command allows disk use, all of them in one run file read afresh each time; else the refusal
 * (292). Not thread-safe.
 */
public final class Spool {
    private final Spill spill;
    private final long limitBytes;
    private final Supplier<ArgonException> refusal;
    private final List<BsonDocument> held = new ArrayList<>();
    private long heldBytes;
    private RunFile.Writer writer;
    private RunFile run;

    public Spool(Spill spill, long limitBytes, Supplier<ArgonException> refusal) {
        this.spill = spill;
        this.limitBytes = limitBytes;
        this.refusal = refusal;
    }

    public void add(BsonDocument doc) {
        if (writer != null) {
            writer.add(doc);
            return;
        }
        held.add(doc);
        heldBytes += limitBytes == Long.MAX_VALUE ? 0 : BsonSize.of(doc);
        if (heldBytes > limitBytes) {
            if (!spill.allowsDisk()) {
                throw refusal.get();
            }
            writer = spill.newRun();
            held.forEach(writer::add);
            held.clear();
        }
    }

    /** The documents added, in order; a new pass each call. Add nothing after the first call. */
    public Iterator<BsonDocument> replay() {
        if (writer != null) {
            run = writer.finish();
            writer = null;
        }
        return run != null ? run.read() : Collections.unmodifiableList(held).iterator();
    }
}
