package dev.argon.engine.cursor;

import java.util.Iterator;
import org.bson.BsonDocument;

/**
 * The source of an awaitable tailable cursor (a change stream): its {@link #hasNext()} answers from what is there
 * now without blocking, and the cursor stays open when it has nothing, since more may come. A getMore that finds
 * nothing waits in {@link #await} for up to its {@code maxTimeMS}. Used under the cursor's lock only, so
 * implementations need not be thread-safe.
 */
public interface TailSource extends Iterator<BsonDocument> {
    /** Blocks until {@link #hasNext()} would answer true or millis have passed (0: returns at once). */
    void await(long millis);

    /** True once the stream has ended for good (after an invalidate): the cursor closes when it is drained. */
    default boolean exhausted() {
        return false;
    }

    /** The position to resume after once this batch is read ({@code postBatchResumeToken}). */
    BsonDocument postBatchResumeToken();
}
