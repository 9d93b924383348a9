package dev.argon.engine.aggregate;

import java.util.Iterator;
import java.util.List;
import org.bson.BsonDocument;

/**
 * A compiled aggregation pipeline. Stages run as a pull-based chain of iterators; blocking stages
 * ($sort, $group) materialise their input. Compiling validates stage names and shapes with MongoDB's codes
 * (for example 40324 "Unrecognized pipeline stage name"). Immutable and thread-safe; each run is independent.
 */
public final class Pipeline {
    private Pipeline() {}

    /** resolver gives other collections of the same database for $lookup / $unionWith. */
    public static Pipeline compile(List<BsonDocument> stages, CollectionResolver resolver) {
        throw new UnsupportedOperationException("TODO");
    }

    public Iterator<BsonDocument> run(Iterator<BsonDocument> input) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Gives read access to a sibling collection's documents (empty if it does not exist). */
    @FunctionalInterface
    public interface CollectionResolver {
        Iterator<BsonDocument> scan(String collectionName);
    }
}
