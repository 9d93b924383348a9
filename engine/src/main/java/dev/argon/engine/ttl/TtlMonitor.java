package dev.argon.engine.ttl;

import dev.argon.engine.ArgonException;
import dev.argon.engine.exec.QueryPlan;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.DataView;
import dev.argon.engine.store.IndexInfo;
import dev.argon.engine.store.Store;
import dev.argon.engine.store.WriteSession;
import dev.argon.wal.Branch;
import dev.argon.wal.WalException;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background pass that deletes expired documents of TTL indexes ({@link TtlIndex}), on every live branch,
 * protected ones included. A document expires when its indexed field holds a date (for an array, its earliest
 * date) more than {@code expireAfterSeconds} before the pass's start; non-date values never expire. The expired
 * documents are found with the query {@code {field: {$lt: cutoff}}} through the TTL index itself (a date bound
 * matches only dates, and an array when one of its dates is below it), read lazily from the write's frozen
 * state, and deleted through one write session per branch and collection under the branch's write lock: one
 * ordinary commit with actor {@code ttl}, streamed in chunks when large, so memory stays bounded however many
 * documents expire (a multikey TTL index keeps the ids it has seen, to delete each once).
 *
 * <p>Pacing: one pass, then {@code sleepSeconds} (default 60, {@code argon.ttlMonitorSleepSecs}; the
 * {@code ttlMonitorSleepSecs} parameter changes it at runtime), while {@code enabled}. Thread-safe: one pass runs
 * at a time, on its own daemon thread or through {@link #runPass()}.
 */
public final class TtlMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TtlMonitor.class);
    /** Who a TTL deletion's commit names, as a client's appName would be: visible in {@code branchLog}. */
    public static final String ACTOR = "ttl";

    private final Store store;
    private final Object pacing = new Object();
    private volatile int sleepSeconds = Integer.getInteger("argon.ttlMonitorSleepSecs", 60);
    private volatile boolean enabled = true;
    private volatile boolean closed;
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final Thread thread;

    public TtlMonitor(Store store) {
        this.store = store;
        this.thread = new Thread(this::loop, "argon-ttl");
        thread.setDaemon(true);
        thread.start();
    }

    public int sleepSeconds() {
        return sleepSeconds;
    }

    /** Changes the pause between passes; a pause already under way ends early if it is now over. */
    public void sleepSeconds(int seconds) {
        if (seconds < 1) {
            throw ArgonException.badValue("ttlMonitorSleepSecs must be at least 1");
        }
        sleepSeconds = seconds;
        synchronized (pacing) {
            pacing.notifyAll();
        }
    }

    public boolean enabled() {
        return enabled;
    }

    public void enabled(boolean on) {
        enabled = on;
    }

    /** Passes run so far ({@code serverStatus.metrics.ttl.passes}). */
    public long passes() {
        return passes.get();
    }

    /** Documents deleted so far ({@code metrics.ttl.deletedDocuments}). */
    public long deletedDocuments() {
        return deleted.get();
    }

    private void loop() {
        long last = System.nanoTime();
        while (!closed) {
            synchronized (pacing) {
                long due = last + sleepSeconds * 1_000_000_000L;
                long wait = (due - System.nanoTime()) / 1_000_000;
                if (wait > 0) {
                    try {
                        pacing.wait(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue; // re-read the pause: it may have changed
                }
            }
            last = System.nanoTime();
            if (enabled) {
                try {
                    runPass();
                } catch (RuntimeException e) {
                    if (closed) {
                        return;
                    }
                    LOG.error("TTL pass failed", e);
                }
            }
        }
    }

    /** One pass over every live branch now; returns the documents it deleted. */
    public synchronized long runPass() {
        long now = System.currentTimeMillis();
        long n = 0;
        for (Branch b : new ArrayList<>(store.versions().branches())) {
            if (closed) {
                break;
            }
            if (b.name() != null) {
                n += branch(b.id(), now);
            }
        }
        passes.incrementAndGet();
        if (n > 0) {
            LOG.info("TTL pass deleted {} expired documents", n);
        }
        return n;
    }

    private long branch(int branchId, long now) {
        DataView head = store.head(branchId).uncounted();
        long n = 0;
        for (String db : head.databases()) {
            for (CollectionInfo c : head.collections(db)) {
                for (IndexInfo i : c.indexes()) {
                    long seconds = TtlIndex.expireAfterSeconds(i);
                    if (seconds >= 0 && seconds < TtlIndex.MAX_SECONDS) {
                        n += expire(branchId, db, c.name(), i.name(), now - seconds * 1000);
                    }
                }
            }
        }
        return n;
    }

    /** Deletes one collection's documents expired under one index, as one commit; 0 when the branch moved away. */
    private long expire(int branchId, String db, String name, String indexName, long cutoffMillis) {
        try (Store.Write w = store.beginWrite(branchId)) {
            WriteSession s = w.session();
            String comment = "expired by TTL index " + indexName;
            s.attribute(ACTOR, comment);
            CollectionInfo c = s.collection(db, name);
            IndexInfo index = c == null ? null : c.index(indexName);
            if (index == null) {
                return 0; // dropped since the catalog was read
            }
            String field = index.key().getFirstKey();
            BsonDocument filter = new BsonDocument(field, new BsonDocument("$lt", new BsonDateTime(cutoffMillis)));
            // A hidden index is still maintained but the planner may not read it: scan the collection instead.
            BsonValue hint = index.hidden() ? new BsonDocument("$natural", new BsonInt32(1)) : new BsonString(indexName);
            long n = 0;
            DataView frozen = s.frozen().uncounted();
            try (QueryPlan.Result r = QueryPlan.find(frozen, c, new QueryPlan.Query(filter, null, 0, 0, null, null, hint))) {
                while (r.hasNext()) {
                    s.delete(c, r.next());
                    n++;
                }
            }
            if (n > 0) {
                s.commit(ACTOR, comment, false);
                deleted.addAndGet(n);
            }
            return n;
        } catch (ArgonException e) {
            // The branch was reset or deleted meanwhile (112), or the server is stopping (11600): the next pass sees.
            LOG.debug("TTL deletion on branch id {} skipped: {}", branchId, e.getMessage());
            return 0;
        } catch (WalException e) {
            // A full disk or a failed store: WalHealth has said so; the next pass tries again.
            LOG.warn("TTL deletion failed: {}", e.getMessage());
            return 0;
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (pacing) {
            pacing.notifyAll();
        }
        try {
            // A pass in progress stops at its next branch; do not close the store under it (and do not interrupt
            // its write, which would only turn a clean commit into an aborted one).
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
