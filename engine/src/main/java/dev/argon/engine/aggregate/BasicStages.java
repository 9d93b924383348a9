package dev.argon.engine.aggregate;

import static dev.argon.engine.aggregate.Args.error;

import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.bson.BsonSize;
import dev.argon.engine.query.Matcher;
import dev.argon.engine.spill.ExternalSorter;
import dev.argon.engine.spill.Spill;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ThreadLocalRandom;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonValue;

/** The small streaming stages: $match $project/$addFields/$unset $limit $skip $count $replaceRoot $sample. */
final class BasicStages {
    private BasicStages() {}

    /** $match; a top-level $expr is evaluated here so that it can see $lookup variables and $$NOW. */
    static Stage match(BsonValue spec, Scope scope) {
        if (!spec.isDocument()) {
            throw error(MongoErrorCode.LOCATION_15959, "the match filter must be an expression in an object");
        }
        BsonDocument filter = spec.asDocument();
        Expression expr = null;
        if (filter.containsKey("$expr")) {
            expr = ExpressionParser.parse(filter.get("$expr"), scope);
            filter = FieldPaths.shallowCopy(filter);
            filter.remove("$expr");
        }
        Matcher matcher = filter.isEmpty() ? null : Matcher.compile(filter);
        Expression exprFilter = expr;
        return (input, ctx) -> new MappingIterator(input) {
            @Override
            BsonDocument map(BsonDocument doc) {
                if (matcher != null && !matcher.matches(doc)) {
                    return null;
                }
                if (exprFilter != null && !Values.isTruthy(exprFilter.evaluate(ctx.vars(doc)))) {
                    return null;
                }
                return doc;
            }
        };
    }

    static Stage projection(ProjectionSpec spec) {
        return (input, ctx) -> new MappingIterator(input) {
            @Override
            BsonDocument map(BsonDocument doc) {
                return spec.apply(doc, ctx.vars(doc));
            }
        };
    }

    static Stage unset(BsonValue spec) {
        List<String> paths = new ArrayList<>();
        if (spec.isString()) {
            paths.add(spec.asString().getValue());
        } else if (spec.isArray() && !spec.asArray().isEmpty()) {
            for (BsonValue v : spec.asArray()) {
                if (!v.isString()) {
                    throw error(MongoErrorCode.LOCATION_31120,
                            "$unset specification must be a string or an array containing only string values");
                }
                paths.add(v.asString().getValue());
            }
        } else {
            throw error(MongoErrorCode.LOCATION_31119,
                    "$unset specification must be a string or an array with at least one field");
        }
        return projection(ProjectionSpec.unset(paths));
    }

    static long limitValue(BsonValue spec) {
        if (!spec.isNumber()) {
            throw error(MongoErrorCode.LOCATION_15957, "the limit must be specified as a number");
        }
        Long l = Values.exactLong(spec);
        if (l == null) {
            throw error(MongoErrorCode.LOCATION_2107201, "invalid argument to $limit stage: Cannot represent as a 64-bit "
                    + "integer: $limit: " + BsonText.format(spec));
        }
        if (l <= 0) {
            throw error(MongoErrorCode.LOCATION_15958, "the limit must be positive");
        }
        return l;
    }

    static long skipValue(BsonValue spec) {
        if (!spec.isNumber()) {
            throw error(MongoErrorCode.LOCATION_15972, "Argument to $skip must be a number");
        }
        Long l = Values.exactLong(spec);
        if (l == null) {
            throw error(MongoErrorCode.LOCATION_5107200, "invalid argument to $skip stage: Cannot represent as a 64-bit "
                    + "integer: $skip: " + BsonText.format(spec));
        }
        if (l < 0) {
            throw error(MongoErrorCode.LOCATION_15956, "Argument to $skip cannot be negative");
        }
        return l;
    }

    static Stage limit(long n) {
        return (input, ctx) -> new Iterator<>() {
            private long left = n;

            @Override
            public boolean hasNext() {
                return left > 0 && input.hasNext();
            }

            @Override
            public BsonDocument next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                left--;
                return input.next();
            }
        };
    }

    static Stage skip(long n) {
        return (input, ctx) -> new MappingIterator(input) {
            private long toSkip = n;

            @Override
            BsonDocument map(BsonDocument doc) {
                if (toSkip > 0) {
                    toSkip--;
                    return null;
                }
                return doc;
            }
        };
    }

    static Stage count(BsonValue spec) {
        if (!spec.isString() || spec.asString().getValue().isEmpty()) {
            throw error(MongoErrorCode.LOCATION_40156, "the count field must be a non-empty string");
        }
        String name = spec.asString().getValue();
        if (name.startsWith("$")) {
            throw error(MongoErrorCode.LOCATION_40158, "the count field cannot be a $-prefixed path");
        }
        if (name.indexOf('.') >= 0) {
            throw error(MongoErrorCode.LOCATION_40160, "the count field cannot contain '.'");
        }
        return (input, ctx) -> {
            long n = 0;
            while (input.hasNext()) {
                input.next();
                n++;
            }
            if (n == 0) {
                return Collections.emptyIterator();
            }
            return Collections.singletonList(new BsonDocument(name, Arith.intOrLong(n))).iterator();
        };
    }

    static Stage replaceRoot(Expression newRoot) {
        return (input, ctx) -> new MappingIterator(input) {
            @Override
            BsonDocument map(BsonDocument doc) {
                BsonValue v = newRoot.evaluate(ctx.vars(doc));
                if (v == null || !v.isDocument()) {
                    throw error(MongoErrorCode.LOCATION_40228, "'newRoot' expression  must evaluate to an object, but "
                            + "resulting value was: " + BsonText.format(v) + ". Type of resulting value: '"
                            + Values.typeName(v) + "'. Input document: " + BsonText.format(doc));
                }
                return v.asDocument();
            }
        };
    }

    static Expression replaceRootSpec(BsonValue spec, Scope scope) {
        if (!spec.isDocument()) {
            throw error(MongoErrorCode.LOCATION_40229, "expected an object as specification for $replaceRoot stage, got "
                    + Values.typeName(spec));
        }
        BsonDocument d = spec.asDocument();
        for (String k : d.keySet()) {
            if (!k.equals("newRoot")) {
                throw error(MongoErrorCode.LOCATION_40415, "BSON field '$replaceRoot." + k + "' is an unknown field.");
            }
        }
        if (!d.containsKey("newRoot")) {
            throw error(MongoErrorCode.LOCATION_40414, "BSON field '$replaceRoot.newRoot' is missing but a required field");
        }
        return ExpressionParser.parse(d.get("newRoot"), scope);
    }

    /**
     * $sample by reservoir sampling: one pass, no sort, O(size) memory, a uniformly random subset in random order.
     * A sample whose documents pass the sort memory limit is taken instead as the first documents of a random
     * order (a sort by a random key, which spills), as mongod does for a large sample.
     */
    static Stage sample(BsonValue spec) {
        if (!spec.isDocument()) {
            throw error(MongoErrorCode.LOCATION_28745, "the $sample stage specification must be an object");
        }
        BsonValue size = spec.asDocument().get("size");
        for (String k : spec.asDocument().keySet()) {
            if (!k.equals("size")) {
                throw error(MongoErrorCode.LOCATION_28748, "unrecognized option to $sample: " + k);
            }
        }
        if (size == null) {
            throw error(MongoErrorCode.LOCATION_28749, "$sample stage must specify a size");
        }
        Long n = Values.exactLong(size);
        if (!size.isNumber() || n == null) {
            throw error(MongoErrorCode.LOCATION_28746, "size argument to $sample must be a number");
        }
        if (n < 0) {
            throw error(MongoErrorCode.LOCATION_28747, "size argument to $sample must not be negative");
        }
        long want = n;
        return (input, ctx) -> {
            Spill spill = ctx.spill();
            List<BsonDocument> reservoir = new ArrayList<>();
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            long seen = 0;
            long bytes = 0;
            while (input.hasNext()) {
                BsonDocument d = input.next();
                seen++;
                if (reservoir.size() < want) {
                    reservoir.add(d);
                    bytes += BsonSize.of(d);
                    if (bytes > spill.sortLimitBytes()) {
                        // Nothing dropped yet, and the sample itself passes the limit: a random order of everything.
                        return randomOrder(reservoir, input, want, spill, rnd);
                    }
                } else if (want > 0) {
                    long j = rnd.nextLong(seen);
                    if (j < want) {
                        reservoir.set((int) j, d);
                    }
                }
            }
            Collections.shuffle(reservoir, rnd);
            return reservoir.iterator();
        };
    }

    /**
     * The first {@code want} documents of a random permutation of {@code held} and the rest of the input, sorted by
     * a random key through the spilling sorter (292 when it would spill without disk use).
     */
    private static Iterator<BsonDocument> randomOrder(List<BsonDocument> held, Iterator<BsonDocument> rest, long want,
                                                      Spill spill, ThreadLocalRandom rnd) {
        ExternalSorter sorter = new ExternalSorter(
                (a, b) -> Double.compare(a.getDouble("r").getValue(), b.getDouble("r").getValue()), spill,
                spill.sortLimitBytes(), spill::sortRefused);
        for (BsonDocument d : held) {
            sorter.add(new BsonDocument("r", new BsonDouble(rnd.nextDouble())).append("d", d));
        }
        held.clear();
        rest.forEachRemaining(d -> sorter.add(new BsonDocument("r", new BsonDouble(rnd.nextDouble())).append("d", d)));
        Iterator<BsonDocument> sorted = sorter.sorted();
        return new Iterator<>() {
            private long left = want;

            @Override
            public boolean hasNext() {
                return left > 0 && sorted.hasNext();
            }

            @Override
            public BsonDocument next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                left--;
                return sorted.next().getDocument("d");
            }
        };
    }
}
