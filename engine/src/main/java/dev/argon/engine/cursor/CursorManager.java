package dev.argon.engine.cursor;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;

/**
 * Open cursors by id, batching, and the idle timeout (mongod's {@code cursorTimeoutMillis}, 10 minutes).
 * Thread-safe.
 */
public final class CursorManager implements AutoCloseable {
    /** MongoDB's default first batch size. */
    public static final int DEFAULT_FIRST_BATCH = 101;
    /** Replies stay under the 16 MiB document limit with room for the envelope. */
    static final int MAX_BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024;

    private final Map<Long, Cursor> cursors = new ConcurrentHashMap<>();
    private final AtomicLong timedOut = new AtomicLong();
    private final ScheduledExecutorService reaper;
    private volatile long timeoutMillis = 10 * 60 * 1000L;

    public CursorManager() {
        reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "argon-cursor-reaper");
            t.setDaemon(true);
            return t;
        });
        reaper.scheduleWithFixedDelay(this::reap, 1, 1, TimeUnit.SECONDS);
    }

    public void timeoutMillis(long millis) {
        this.timeoutMillis = millis;
    }

    public long openCount() {
        return cursors.size();
    }

    public long timedOutCount() {
        return timedOut.get();
    }

    /**
     * Builds the first-batch reply; registers a cursor only if documents remain (otherwise closes the
     * resource at once and answers cursor id 0).
     */
    public BsonDocument firstBatch(String ns, Iterator<BsonDocument> source, AutoCloseable resource, long batchSize, boolean singleBatch) {
        BsonArray batch = fill(source, batchSize <= 0 ? DEFAULT_FIRST_BATCH : batchSize, batchSize == 0);
        long id = 0;
        if (source.hasNext() && !singleBatch) {
            id = newId();
            cursors.put(id, new Cursor(id, ns, source, resource));
        } else {
            closeQuietly(resource);
        }
        return reply(id, ns, "firstBatch", batch);
    }

    public BsonDocument getMore(long id, String ns, long batchSize) {
        Cursor c = cursors.get(id);
        if (c == null) {
            throw new ArgonException(MongoErrorCode.CURSOR_NOT_FOUND, "cursor id " + id + " not found");
        }
        if (ns != null && !ns.equals(c.ns())) {
            throw new ArgonException(MongoErrorCode.UNAUTHORIZED, "Requested getMore on namespace '" + ns
                    + "', but cursor belongs to a different namespace " + c.ns());
        }
        synchronized (c) {
            c.touch();
            BsonArray batch = fill(c.source(), batchSize <= 0 ? Long.MAX_VALUE : batchSize, false);
            long replyId = id;
            if (!c.source().hasNext()) {
                cursors.remove(id);
                c.close();
                replyId = 0;
            }
            return reply(replyId, c.ns(), "nextBatch", batch);
        }
    }

    /** Kills a cursor; false if it did not exist. */
    public boolean kill(long id) {
        Cursor c = cursors.remove(id);
        if (c == null) {
            return false;
        }
        c.close();
        return true;
    }

    private static BsonArray fill(Iterator<BsonDocument> source, long max, boolean none) {
        BsonArray batch = new BsonArray();
        if (none) {
            return batch;
        }
        long bytes = 0;
        while (batch.size() < max && source.hasNext()) {
            BsonDocument d = source.next();
            batch.add(d);
            // An estimate is enough: documents are at most 16 MiB and we leave a margin.
            bytes += DocSize.estimate(d);
            if (bytes >= MAX_BATCH_BYTES / 2) {
                break;
            }
        }
        return batch;
    }

    private static BsonDocument reply(long id, String ns, String field, BsonArray batch) {
        return new BsonDocument("cursor", new BsonDocument(field, batch).append("id", new BsonInt64(id))
                .append("ns", new BsonString(ns)));
    }

    private long newId() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
        } while (id == 0 || cursors.containsKey(id));
        return id;
    }

    private void reap() {
        long now = System.currentTimeMillis();
        for (Cursor c : cursors.values()) {
            if (now - c.lastUsedMillis() > timeoutMillis && cursors.remove(c.id(), c)) {
                c.close();
                timedOut.incrementAndGet();
            }
        }
    }

    private static void closeQuietly(AutoCloseable r) {
        if (r != null) {
            try {
                r.close();
            } catch (Exception ignored) {
                // see Cursor.close
            }
        }
    }

    @Override
    public void close() {
        reaper.shutdownNow();
        for (Long id : cursors.keySet()) {
            kill(id);
        }
    }
}
