package dev.argon.engine.aggregate;

import dev.argon.engine.spill.Spill;
import java.util.Iterator;
import java.util.List;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * A compiled aggregation pipeline. Stages run as a pull-based chain of iterators; blocking stages
 * ($sort, $group) hold their input up to the command's memory limit and spill sorted runs past it. Compiling validates stage names and shapes with MongoDB's codes
 * (for example 40324 "Unrecognized pipeline stage name"). Immutable and thread-safe; each run is independent.
 */
public final class Pipeline {
    /** What a MongoDB server without Atlas Search says, so clients and tests recognise the situation. */
    public static final String SEARCH_MESSAGE = "Using Atlas Search Database Commands and the $listSearchIndexes aggregation stage "
            + "requires additional configuration. Please connect to Atlas or an AtlasCLI local deployment to enable.";

    private final List<Stage> stages;
    private final CollectionResolver resolver;

    private Pipeline(List<Stage> stages, CollectionResolver resolver) {
        this.stages = stages;
        this.resolver = resolver;
    }

    /** resolver gives other collections of the same database for $lookup / $unionWith. */
    public static Pipeline compile(List<BsonDocument> stages, CollectionResolver resolver) {
        return new Pipeline(StageParser.parse(stages, resolver, Scope.ROOT, null), resolver);
    }

    /** A sub-pipeline ($lookup, $facet, $unionWith) that may see the enclosing scope's variables. */
    static Pipeline compileNested(List<BsonDocument> stages, CollectionResolver resolver, Scope scope, String owner) {
        return new Pipeline(StageParser.parse(stages, resolver, scope, owner), resolver);
    }

    /**
     * This pipeline over an input that comes sorted by {@code sort} (an index order or a pushed-down sort): a
     * leading {@code $group} whose {@code _id} is the sort's first field streams ({@code GroupStage#streaming});
     * the same results either way.
     */
    public Pipeline withSortedInput(BsonDocument sort) {
        if (stages.isEmpty() || !(stages.get(0) instanceof GroupStage g)) {
            return this;
        }
        GroupStage streaming = g.streaming(sort);
        if (streaming == null) {
            return this;
        }
        List<Stage> copy = new java.util.ArrayList<>(stages);
        copy.set(0, streaming);
        return new Pipeline(copy, resolver);
    }

    public Iterator<BsonDocument> run(Iterator<BsonDocument> input) {
        return run(input, new BsonDateTime(System.currentTimeMillis()));
    }

    /** Runs with a given $$NOW, so that several runs (an update's documents) can share one instant. */
    public Iterator<BsonDocument> run(Iterator<BsonDocument> input, BsonDateTime now) {
        return run(input, new RunContext(Variables.of(null, now), resolver, Spill.inMemory()));
    }

    /**
     * Runs a user's aggregation: blocking stages ($sort, $group) hold at most the spill's limits in memory and
     * spill past them (or fail with 292); the caller closes the spill when the output is done.
     */
    public Iterator<BsonDocument> run(Iterator<BsonDocument> input, Spill spill) {
        return run(input, new RunContext(Variables.of(null, new BsonDateTime(System.currentTimeMillis())), resolver, spill));
    }

    /**
     * As {@link #run(Iterator, Spill)}, counting what each stage returns and what a $lookup read (for explain's
     * executionStats); {@link Explained#stageStats} is complete once the output is drained.
     */
    public Explained runExplained(Iterator<BsonDocument> input, Spill spill) {
        RunContext ctx = new RunContext(Variables.of(null, new BsonDateTime(System.currentTimeMillis())), resolver, spill,
                new java.util.IdentityHashMap<>());
        Iterator<BsonDocument> it = input;
        List<StageStats> counters = new java.util.ArrayList<>();
        for (Stage s : stages) {
            StageStats c = ctx.counters(s);
            counters.add(c);
            Iterator<BsonDocument> out = s.apply(it, ctx);
            it = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return out.hasNext();
                }

                @Override
                public BsonDocument next() {
                    BsonDocument d = out.next();
                    c.returned++;
                    return d;
                }
            };
        }
        return new Explained(it, counters);
    }

    Iterator<BsonDocument> run(Iterator<BsonDocument> input, RunContext ctx) {
        Iterator<BsonDocument> it = input;
        for (Stage s : stages) {
            it = s.apply(it, ctx);
        }
        return it;
    }

    /** An explained run: its output, and per top-level stage (in pipeline order) what it did. */
    public record Explained(Iterator<BsonDocument> output, List<StageStats> stageStats) {}

    /**
     * What one stage did in an explained run: documents returned, and for $lookup the foreign documents and keys
     * read, the foreign collection scans and the indexes used (mongod's names). Not thread-safe.
     */
    public static final class StageStats {
        long returned;
        long docsExamined;
        long keysExamined;
        long collectionScans;
        final java.util.Set<String> indexesUsed = new java.util.LinkedHashSet<>();
        boolean lookup;
        boolean unionWith;

        /**
         * The documents of a scan as they are read (streamed, never held), each counted as examined when stats is
         * not null (an explained run).
         */
        static java.util.Iterator<BsonDocument> counted(java.util.Iterator<BsonDocument> scan, StageStats stats) {
            if (stats == null) {
                return scan;
            }
            return new java.util.Iterator<>() {
                @Override
                public boolean hasNext() {
                    return scan.hasNext();
                }

                @Override
                public BsonDocument next() {
                    BsonDocument d = scan.next();
                    stats.docsExamined++;
                    return d;
                }
            };
        }

        /** The fields mongod's executionStats adds to the stage's document. */
        public BsonDocument toBson() {
            BsonDocument d = new BsonDocument("nReturned", new org.bson.BsonInt64(returned));
            if (lookup) {
                org.bson.BsonArray used = new org.bson.BsonArray();
                indexesUsed.forEach(n -> used.add(new org.bson.BsonString(n)));
                d.append("totalDocsExamined", new org.bson.BsonInt64(docsExamined))
                        .append("totalKeysExamined", new org.bson.BsonInt64(keysExamined))
                        .append("collectionScans", new org.bson.BsonInt64(collectionScans))
                        .append("indexesUsed", used);
            } else if (unionWith) {
                d.append("totalDocsExamined", new org.bson.BsonInt64(docsExamined));
            }
            return d;
        }
    }

    /** What an index read for $lookup found, and what it read to find it. */
    public record IndexedLookup(List<BsonDocument> docs, String index, long keysExamined, long docsExamined) {}

    /** Gives read access to a sibling collection's documents (empty if it does not exist). */
    @FunctionalInterface
    public interface CollectionResolver {
        /**
         * A streamed scan in {@code _id} order. If it is also {@link AutoCloseable}, a stage that stops reading it
         * early closes it ($lookup scans once per input document once the foreign collection passes its limit).
         */
        Iterator<BsonDocument> scan(String collectionName);

        /**
         * The documents whose {@code field} equals one of {@code values} (find semantics, a superset is fine), read
         * through an index on that field; null when no index serves it or the documents pass {@code maxBytes} of
         * BSON, and the caller scans instead.
         */
        default IndexedLookup lookup(String collectionName, String field, List<BsonValue> values, long maxBytes) {
            return null;
        }
    }
}
