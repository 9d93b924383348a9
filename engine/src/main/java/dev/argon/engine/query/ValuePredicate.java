package dev.argon.engine.query;

import org.bson.BsonValue;

/**
 * A test of one value reached by a path (mongod's {@code matchesSingleElement}). Implementations are immutable.
 */
interface ValuePredicate {
    int NO_MATCH = -2;
    /** Matched, without an array position of its own. */
    int MATCH = -1;

    /**
     * @param value the value, or null when the path is missing
     * @return {@link #NO_MATCH}, {@link #MATCH}, or the index of the matching element for {@code $elemMatch}
     */
    int test(BsonValue value);

    /** Whether an array at the end of the path is also offered element by element ($elemMatch and $size: no). */
    default boolean expandLeafArrays() {
        return true;
    }

    default boolean matches(BsonValue value) {
        return test(value) != NO_MATCH;
    }

    ValuePredicate NEVER = value -> NO_MATCH;

    static int result(boolean matched) {
        return matched ? MATCH : NO_MATCH;
    }
}
