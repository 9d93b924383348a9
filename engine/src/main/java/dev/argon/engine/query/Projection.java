package dev.argon.engine.query;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.query.ProjectionNode.Kind;
import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * A compiled find projection: inclusion or exclusion of (dotted) fields, {@code _id} rules, {@code $slice},
 * {@code $elemMatch} and the positional {@code field.$} form. Immutable and thread-safe.
 *
 * <p>Semantics are those of MongoDB 4.4+ find: included fields keep their document order; a dotted inclusion
 * reaches into embedded documents and into arrays of documents (other array elements are dropped, a scalar on
 * the way drops the field); an exclusion removes the path everywhere it leads. {@code $slice} (n or
 * [skip, limit]) applies to arrays on its path and does not decide the kind of projection by itself.
 * {@code $elemMatch} (top-level fields only) keeps the first matching element and is output after the other
 * fields. {@code "a.$"} keeps the element at the position recorded in {@link MatchDetails} in the first array
 * on its path.
 *
 * <p>Computed fields: a value that is neither a number nor a boolean is an expression, as in MongoDB 4.4+:
 * literals, {@code "$field.path"}, {@code $$ROOT}, {@code {$literal: v}} and arrays/documents of those are
 * evaluated; they are inclusions and are appended after the copied fields. Other aggregation operators and
 * {@code $meta} throw NotImplemented (238).
 */
public final class Projection {
    private static final Projection IDENTITY = new Projection(null);

    private final ProjectionParser.Parsed parsed;
    private final boolean hasComputed;

    private Projection(ProjectionParser.Parsed parsed) {
        this.parsed = parsed;
        this.hasComputed = parsed != null && parsed.root().hasComputed();
    }

    /** A null or empty spec returns documents unchanged. */
    public static Projection compile(BsonDocument spec) {
        if (spec == null || spec.isEmpty()) {
            return IDENTITY;
        }
        return new Projection(ProjectionParser.parse(spec));
    }

    /** Whether this projection returns documents unchanged. */
    public boolean isIdentity() {
        return parsed == null;
    }

    /** details: the match details of the filter for the positional projection, may be null. */
    public BsonDocument apply(BsonDocument doc, MatchDetails details) {
        if (parsed == null) {
            return doc;
        }
        ProjectionNode root = parsed.root();
        BsonDocument out = parsed.inclusion() ? include(root, doc) : exclude(root, doc);
        if (parsed.positionalPath() != null) {
            out = positional(out, parsed.positionalPath(), details);
        }
        for (String[] path : parsed.slicePaths()) {
            ProjectionNode node = nodeAt(root, path);
            out = (BsonDocument) slice(out, path, 0, node);
        }
        if (hasComputed) {
            addComputed(root, doc, out);
        }
        return out;
    }

    private static BsonDocument include(ProjectionNode node, BsonDocument input) {
        BsonDocument out = new BsonDocument();
        for (Map.Entry<String, BsonValue> e : input.entrySet()) {
            ProjectionNode child = node.children.get(e.getKey());
            if (child == null) {
                continue;
            }
            switch (child.kind) {
                case INCLUDE:
                case SLICE:
                case POSITIONAL:
                    out.put(e.getKey(), e.getValue());
                    break;
                case PATH: {
                    BsonValue v = includeValue(child, e.getValue());
                    if (v != null) {
                        out.put(e.getKey(), v);
                    }
                    break;
                }
                default:
                    // EXCLUDE (_id only), and computed values, which are added afterwards.
                    break;
            }
        }
        return out;
    }

    private static BsonValue includeValue(ProjectionNode node, BsonValue value) {
        if (value.isDocument()) {
            return include(node, value.asDocument());
        }
        if (value.isArray()) {
            BsonArray out = new BsonArray();
            for (BsonValue element : value.asArray()) {
                if (element.isDocument() || element.isArray()) {
                    out.add(includeValue(node, element));
                }
            }
            return out;
        }
        return null;
    }

    private static BsonDocument exclude(ProjectionNode node, BsonDocument input) {
        BsonDocument out = new BsonDocument();
        for (Map.Entry<String, BsonValue> e : input.entrySet()) {
            ProjectionNode child = node.children.get(e.getKey());
            if (child == null) {
                out.put(e.getKey(), e.getValue());
            } else if (child.kind == Kind.PATH) {
                out.put(e.getKey(), excludeValue(child, e.getValue()));
            } else if (child.kind != Kind.EXCLUDE) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private static BsonValue excludeValue(ProjectionNode node, BsonValue value) {
        if (value.isDocument()) {
            return exclude(node, value.asDocument());
        }
        if (value.isArray()) {
            BsonArray out = new BsonArray();
            for (BsonValue element : value.asArray()) {
                out.add(element.isDocument() || element.isArray() ? excludeValue(node, element) : element);
            }
            return out;
        }
        return value;
    }

    private static ProjectionNode nodeAt(ProjectionNode root, String[] path) {
        ProjectionNode node = root;
        for (String part : path) {
            node = node.children.get(part);
        }
        return node;
    }

    /** Slices arrays at the end of path; arrays on the way are mapped over their document elements. */
    private static BsonValue slice(BsonValue value, String[] path, int i, ProjectionNode node) {
        if (value.isArray()) {
            if (i == path.length) {
                return sliceArray(value.asArray().getValues(), node.sliceSkip, node.sliceLimit);
            }
            BsonArray out = new BsonArray();
            for (BsonValue element : value.asArray()) {
                out.add(element.isDocument() ? slice(element, path, i, node) : element);
            }
            return out;
        }
        if (value.isDocument() && i < path.length) {
            BsonValue field = value.asDocument().get(path[i]);
            if (field == null) {
                return value;
            }
            BsonDocument copy = shallowCopy(value.asDocument());
            copy.put(path[i], slice(field, path, i + 1, node));
            return copy;
        }
        return value;
    }

    private static BsonArray sliceArray(List<BsonValue> array, Integer skip, int limit) {
        int len = array.size();
        int start;
        int count;
        if (skip == null) {
            if (limit < 0) {
                start = Math.max(0, len + limit);
                count = len - start;
            } else {
                start = 0;
                count = Math.min(len, limit);
            }
        } else {
            start = skip < 0 ? Math.max(0, len + skip) : Math.min(len, skip);
            count = Math.min(len - start, limit);
        }
        return new BsonArray(array.subList(start, start + count));
    }

    /** Replaces the first array on the path with the one element the filter matched in it. */
    private static BsonDocument positional(BsonDocument out, String[] path, MatchDetails details) {
        BsonDocument current = out;
        for (int i = 0; i < path.length; i++) {
            BsonValue v = current.get(path[i]);
            if (v == null) {
                return out;
            }
            if (v.isArray()) {
                Integer index = details == null ? null : details.arrayIndex();
                if (index == null) {
                    throw new ArgonException(MongoErrorCode.LOCATION_51246,
                            "positional operator '.$' couldn't find a matching element in the array");
                }
                if (index >= v.asArray().size()) {
                    throw new ArgonException(MongoErrorCode.LOCATION_51247,
                            "positional operator '.$' element mismatch");
                }
                BsonArray single = new BsonArray(List.of(v.asArray().get(index)));
                return (BsonDocument) replaceAt(out, path, 0, i, single);
            }
            if (!v.isDocument()) {
                return out;
            }
            current = v.asDocument();
        }
        return out;
    }

    private static BsonValue replaceAt(BsonDocument doc, String[] path, int i, int last, BsonValue replacement) {
        BsonDocument copy = shallowCopy(doc);
        copy.put(path[i], i == last ? replacement
                : replaceAt(doc.get(path[i]).asDocument(), path, i + 1, last, replacement));
        return copy;
    }

    /** Expressions and $elemMatch, in spec order; existing fields are replaced in place, new ones appended. */
    private static void addComputed(ProjectionNode node, BsonDocument root, BsonDocument out) {
        for (Map.Entry<String, ProjectionNode> e : node.children.entrySet()) {
            String name = e.getKey();
            ProjectionNode child = e.getValue();
            switch (child.kind) {
                case EXPRESSION: {
                    BsonValue v = child.expression.evaluate(root);
                    if (v == null) {
                        out.remove(name);
                    } else {
                        out.put(name, v);
                    }
                    break;
                }
                case ELEM_MATCH: {
                    BsonValue v = elemMatch(child.elemMatch, root, name);
                    if (v == null) {
                        out.remove(name);
                    } else {
                        out.put(name, v);
                    }
                    break;
                }
                case PATH:
                    if (child.hasComputed()) {
                        out.put(name, computedValue(child, root, out.get(name)));
                    }
                    break;
                default:
                    break;
            }
        }
    }

    private static BsonValue computedValue(ProjectionNode node, BsonDocument root, BsonValue existing) {
        if (existing != null && existing.isArray()) {
            BsonArray out = new BsonArray();
            for (BsonValue element : existing.asArray()) {
                out.add(computedValue(node, root, element));
            }
            return out;
        }
        // A scalar or missing value on the way is replaced by a document of the computed fields.
        BsonDocument target = existing != null && existing.isDocument() ? shallowCopy(existing.asDocument())
                : new BsonDocument();
        addComputed(node, root, target);
        return target;
    }

    private static BsonValue elemMatch(Matcher matcher, BsonDocument doc, String field) {
        MatchDetails details = new MatchDetails();
        if (!matcher.matches(doc, details) || details.arrayIndex() == null) {
            return null;
        }
        BsonValue array = doc.get(field);
        return new BsonArray(List.of(array.asArray().get(details.arrayIndex())));
    }

    private static BsonDocument shallowCopy(BsonDocument doc) {
        BsonDocument copy = new BsonDocument();
        for (Map.Entry<String, BsonValue> e : doc.entrySet()) {
            copy.put(e.getKey(), e.getValue());
        }
        return copy;
    }
}
