package dev.argon.engine.query;

/**
 * Filled in by {@link Matcher#matches(org.bson.BsonDocument, MatchDetails)}: the index of the array element
 * that satisfied the filter, which the positional {@code $} update operator and projection use.
 * Not thread-safe; one per evaluation.
 */
public final class MatchDetails {
    private Integer arrayIndex;

    /** The first array position matched on the path of the filter, or null if no array was traversed. */
    public Integer arrayIndex() {
        return arrayIndex;
    }

    public void arrayIndex(Integer index) {
        if (this.arrayIndex == null) {
            this.arrayIndex = index;
        }
    }

    public void reset() {
        arrayIndex = null;
    }
}
