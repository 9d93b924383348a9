package dev.argon.engine.aggregate;

import static dev.argon.engine.aggregate.Args.error;

import dev.argon.engine.MongoErrorCode;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonValue;

/**
 * $unwind, string form or {path, includeArrayIndex, preserveNullAndEmptyArrays}. Streams: one input
 * document is expanded lazily. The path follows documents only, as in MongoDB.
 */
final class UnwindStage implements Stage {
    final String[] path;
    final String[] indexPath;
    final boolean preserve;

    UnwindStage(BsonValue spec) {
        String pathSpec;
        String index = null;
        boolean keep = false;
        if (spec.isString()) {
            pathSpec = spec.asString().getValue();
        } else if (spec.isDocument()) {
            pathSpec = null;
            for (java.util.Map.Entry<String, BsonValue> e : spec.asDocument().entrySet()) {
                BsonValue v = e.getValue();
                switch (e.getKey()) {
                    case "path":
                        if (!v.isString()) {
                            throw error(MongoErrorCode.LOCATION_28808, "expected a string as the path for $unwind stage, got "
                                    + Values.typeName(v));
                        }
                        pathSpec = v.asString().getValue();
                        break;
                    case "includeArrayIndex":
                        if (!v.isString() || v.asString().getValue().isEmpty()) {
                            throw error(MongoErrorCode.LOCATION_28810, "expected a non-empty string for the includeArrayIndex "
                                    + " option to $unwind stage, got " + Values.typeName(v));
                        }
                        index = v.asString().getValue();
                        if (index.startsWith("$")) {
                            throw error(MongoErrorCode.LOCATION_28822, "includeArrayIndex option to $unwind stage should not "
                                    + "be prefixed with a '$': " + index);
                        }
                        break;
                    case "preserveNullAndEmptyArrays":
                        if (!v.isBoolean()) {
                            throw error(MongoErrorCode.LOCATION_28809, "expected a boolean for the preserveNullAndEmptyArrays "
                                    + "option to $unwind stage, got " + Values.typeName(v));
                        }
                        keep = v.asBoolean().getValue();
                        break;
                    default:
                        throw error(MongoErrorCode.LOCATION_28811, "unrecognized option to $unwind stage: " + e.getKey());
                }
            }
            if (pathSpec == null) {
                throw error(MongoErrorCode.LOCATION_28812, "no path specified to $unwind stage");
            }
        } else {
            throw error(MongoErrorCode.LOCATION_15981, "expected either a string or an object as specification for "
                    + "$unwind stage, got " + Values.typeName(spec));
        }
        if (pathSpec.isEmpty()) {
            throw error(MongoErrorCode.LOCATION_40352, "FieldPath cannot be constructed with empty string");
        }
        if (!pathSpec.startsWith("$")) {
            throw error(MongoErrorCode.LOCATION_28818, "path option to $unwind stage should be prefixed with a '$': "
                    + pathSpec);
        }
        this.path = FieldPaths.parse(pathSpec.substring(1));
        this.indexPath = index == null ? null : FieldPaths.parse(index);
        this.preserve = keep;
    }

    @Override
    public Iterator<BsonDocument> apply(Iterator<BsonDocument> input, RunContext ctx) {
        return new Iterator<>() {
            private Iterator<BsonDocument> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && input.hasNext()) {
                    current = unwind(input.next());
                }
                return current.hasNext();
            }

            @Override
            public BsonDocument next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    private Iterator<BsonDocument> unwind(BsonDocument doc) {
        BsonValue v = FieldPaths.getNested(doc, path);
        if (v != null && v.isArray()) {
            BsonArray arr = v.asArray();
            if (arr.isEmpty()) {
                return preserve ? single(withIndex(FieldPaths.setNested(doc, path, 0, null), BsonNull.VALUE))
                        : Collections.emptyIterator();
            }
            return new Iterator<>() {
                private int i;

                @Override
                public boolean hasNext() {
                    return i < arr.size();
                }

                @Override
                public BsonDocument next() {
                    BsonDocument out = FieldPaths.setNested(doc, path, 0, arr.get(i));
                    out = withIndex(out, new BsonInt64(i));
                    i++;
                    return out;
                }
            };
        }
        if (v == null || v.isNull()) {
            return preserve ? single(withIndex(doc, BsonNull.VALUE)) : Collections.emptyIterator();
        }
        return single(withIndex(doc, BsonNull.VALUE));
    }

    private BsonDocument withIndex(BsonDocument doc, BsonValue index) {
        return indexPath == null ? doc : FieldPaths.setNested(doc, indexPath, 0, index);
    }

    private static Iterator<BsonDocument> single(BsonDocument doc) {
        return Collections.singletonList(doc).iterator();
    }
}
