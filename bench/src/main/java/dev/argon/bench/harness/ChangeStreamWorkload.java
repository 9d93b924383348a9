package dev.argon.bench.harness;

import com.mongodb.MongoException;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;

/**
 * Change-stream delivery latency: one writer inserts into a collection of its own at a steady
 * {@code argon.bench.changeStreamRate} documents per second (default 200) while 1, then 16, watchers
 * ({@code collection.watch()}) each receive every insert. A document's latency is the time from the writer's
 * acknowledgement to a watcher's receipt of its event; an event that arrives before the acknowledgement counts
 * as the histogram's floor (1 µs) and is counted in the notes. Issue 11's goal: p50 under 5 ms. Every watcher
 * must see every insert in order; misses and reorders are errors.
 */
final class ChangeStreamWorkload implements Workload {
    static final String COLLECTION = "changestream";
    static final List<Integer> WATCHERS = List.of(1, 16);

    @Override
    public String name() {
        return "changestream";
    }

    @Override
    public String description() {
        return "write acknowledgement to change event, " + WATCHERS + " watchers, one paced writer";
    }

    static int rate() {
        return Integer.getInteger("argon.bench.changeStreamRate", 200);
    }

    @Override
    public WorkloadResult run(Session s, LoadRunner runner) {
        List<OpStats> ops = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        double seconds = 0;
        for (int watchers : WATCHERS) {
            Phase p;
            try {
                p = phase(s, watchers);
            } catch (MongoException e) {
                return WorkloadResult.skipped(s.target.name(), this, "change streams not available on this server ("
                        + e.getMessage().lines().findFirst().orElse("") + ")");
            }
            ops.add(OpStats.of("deliver x" + watchers, p.latency, p.seconds, p.errors));
            seconds += p.seconds;
            notes.add(String.format(Locale.ROOT, "%d watchers: %,d inserts at %d/s, %,d events, %,d before the ack, %,d missing or out of order",
                    watchers, p.writes, rate(), p.latency.getTotalCount(), p.early, p.errors));
            if (p.firstError != null) {
                notes.add("first error: " + p.firstError);
            }
        }
        notes.add("goal: p50 under 5 ms");
        return new WorkloadResult(s.target.name(), name(), description(), ops, seconds, notes, false);
    }

    private record Phase(Histogram latency, long writes, long early, long errors, double seconds, String firstError) {}

    private static Phase phase(Session s, int watchers) {
        MongoCollection<BsonDocument> c = s.database().getCollection(COLLECTION, BsonDocument.class);
        c.drop();
        s.database().createCollection(COLLECTION);
        double total = s.config.warmupSeconds() + s.config.seconds();
        int rate = rate();
        int writes = (int) Math.max(10, Math.round(total * rate));
        long warmupWrites = Math.round(s.config.warmupSeconds() * rate);
        AtomicLongArray acked = new AtomicLongArray(writes);
        List<Histogram> hists = new ArrayList<>();
        long[] early = new long[watchers];
        long[] errors = new long[watchers];
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(watchers);
        List<Thread> threads = new ArrayList<>();
        List<MongoChangeStreamCursor<ChangeStreamDocument<BsonDocument>>> cursors = new ArrayList<>();
        for (int w = 0; w < watchers; w++) {
            MongoChangeStreamCursor<ChangeStreamDocument<BsonDocument>> cursor = c.watch().maxAwaitTime(1, TimeUnit.SECONDS).cursor();
            cursors.add(cursor);
            Histogram h = OpRecorder.newHistogram();
            hists.add(h);
            int me = w;
            Thread t = new Thread(() -> {
                ready.countDown();
                long expect = 0;
                try {
                    while (expect < writes) {
                        ChangeStreamDocument<BsonDocument> e = cursor.tryNext();
                        long now = System.nanoTime();
                        if (e == null) {
                            continue;
                        }
                        long seq = e.getFullDocument() == null ? -1 : e.getFullDocument().getInt64("seq").getValue();
                        if (seq != expect) {
                            errors[me]++;
                            firstError.compareAndSet(null, "watcher " + me + " expected insert " + expect + ", got " + seq);
                            if (seq < expect) {
                                continue;
                            }
                            expect = seq;
                        }
                        expect++;
                        if (seq < warmupWrites) {
                            continue;
                        }
                        long ack = acked.get((int) seq);
                        if (ack == 0 || now <= ack) {
                            early[me]++;
                            h.recordValue(1_000);
                        } else {
                            h.recordValue(Math.min(now - ack, OpRecorder.MAX_NANOS));
                        }
                    }
                } catch (RuntimeException ex) {
                    errors[me]++;
                    firstError.compareAndSet(null, "watcher " + me + ": " + ex);
                }
            }, "argon-bench-watcher-" + w);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        try {
            ready.await();
            s.progress.line(String.format("%s changestream: %d watchers, %,d inserts at %d/s", s.target.name(), watchers, writes, rate));
            long start = System.nanoTime();
            long intervalNanos = 1_000_000_000L / rate;
            long measureStart = 0;
            for (int i = 0; i < writes; i++) {
                long due = start + i * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (i == warmupWrites) {
                    measureStart = System.nanoTime();
                }
                c.insertOne(new BsonDocument("seq", new BsonInt64(i)).append("payload", new BsonInt32(i)));
                acked.set(i, System.nanoTime());
            }
            double measured = (System.nanoTime() - (measureStart == 0 ? start : measureStart)) / 1e9;
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
            cursors.forEach(MongoChangeStreamCursor::close);
            Histogram all = OpRecorder.newHistogram();
            hists.forEach(all::add);
            long e = 0;
            long ea = 0;
            for (int w = 0; w < watchers; w++) {
                e += errors[w];
                ea += early[w];
            }
            for (Thread t : threads) {
                if (t.isAlive()) {
                    e++;
                    firstError.compareAndSet(null, t.getName() + " did not receive every event within 30 s");
                }
            }
            c.drop();
            return new Phase(all, writes, ea, e, measured, firstError.get());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }
}
