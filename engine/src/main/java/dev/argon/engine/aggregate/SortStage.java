package dev.argon.engine.aggregate;

import static dev.argon.engine.aggregate.Args.error;

import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.query.SortSpec;
import dev.argon.engine.spill.ExternalSorter;
import dev.argon.engine.spill.Spill;
import dev.argon.engine.spill.TopK;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * $sort: a blocking stage. When a $limit follows (possibly after a $skip), only the first {@code limit}
 * documents are kept in a bounded max-heap ({@link TopK}), so memory is O(limit) and time O(n log limit), and a
 * heap past the command's sort limit spills as well. Without a limit it holds documents up to the command's sort limit and spills sorted runs past it ({@link ExternalSorter}). Ties
 * keep their input order in every path.
 */
final class SortStage implements Stage {
    private final Comparator<BsonDocument> comparator;
    private final long limit;

    SortStage(BsonValue spec) {
        this(comparator(spec), -1);
    }

    private SortStage(Comparator<BsonDocument> comparator, long limit) {
        this.comparator = comparator;
        this.limit = limit;
    }

    private static Comparator<BsonDocument> comparator(BsonValue spec) {
        if (!spec.isDocument()) {
            throw error(MongoErrorCode.LOCATION_15973, "the $sort key specification must be an object");
        }
        if (spec.asDocument().isEmpty()) {
            throw error(MongoErrorCode.LOCATION_15976, "$sort stage must have at least one sort key");
        }
        return SortSpec.compile(spec.asDocument()).comparator();
    }

    /** A copy that keeps only the first limit documents (limit &gt;= 0). */
    SortStage withLimit(long newLimit) {
        return new SortStage(comparator, limit < 0 ? newLimit : Math.min(limit, newLimit));
    }

    @Override
    public Iterator<BsonDocument> apply(Iterator<BsonDocument> input, RunContext ctx) {
        return new Iterator<>() {
            private Iterator<BsonDocument> sorted;

            @Override
            public boolean hasNext() {
                if (sorted == null) {
                    sorted = limit >= 0 ? topK(input, ctx.spill()) : sortAll(input, ctx.spill());
                }
                return sorted.hasNext();
            }

            @Override
            public BsonDocument next() {
                hasNext();
                return sorted.next();
            }
        };
    }

    /** Holds documents up to the sort limit, then spills sorted runs and merges them (stable either way). */
    private Iterator<BsonDocument> sortAll(Iterator<BsonDocument> input, Spill spill) {
        ExternalSorter sorter = new ExternalSorter(comparator, spill, spill.sortLimitBytes(), spill::sortRefused);
        input.forEachRemaining(sorter::add);
        return sorter.sorted();
    }

    /** The first {@code limit} documents: a bounded heap within the sort limit, past it a spilling sort too. */
    private Iterator<BsonDocument> topK(Iterator<BsonDocument> input, Spill spill) {
        if (limit == 0) {
            input.forEachRemaining(d -> { });
            return Collections.emptyIterator();
        }
        TopK top = new TopK(comparator, limit, spill);
        input.forEachRemaining(top::add);
        return top.sorted();
    }
}
