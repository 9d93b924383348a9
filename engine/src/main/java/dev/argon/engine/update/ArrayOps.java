package dev.argon.engine.update;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.aggregate.BsonText;
import dev.argon.engine.aggregate.Values;
import dev.argon.engine.query.Matcher;
import dev.argon.engine.query.SortSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/** $push (with $each $slice $sort $position), $addToSet (with $each), $pull, $pullAll and $pop. */
final class ArrayOps {
    /** Query operators that make a $pull condition apply to the element itself rather than its fields. */
    private static final Set<String> PATH_OPERATORS = Set.of("$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in",
            "$nin", "$exists", "$type", "$mod", "$regex", "$options", "$elemMatch", "$size", "$all", "$not",
            "$bitsAllSet", "$bitsAllClear", "$bitsAnySet", "$bitsAnyClear", "$geoWithin", "$geoIntersects",
            "$near", "$nearSphere", "$within");

    private ArrayOps() {}

    static final class Push extends UpdateOp {
        private final List<BsonValue> values = new ArrayList<>();
        private Long slice;
        private Long position;
        private Comparator<BsonValue> sort;

        Push(UpdatePath path, BsonValue spec) {
            super("$push", path);
            if (spec.isDocument() && spec.asDocument().containsKey("$each")) {
                Map<String, BsonValue> clauses = new HashMap<>();
                for (Map.Entry<String, BsonValue> e : spec.asDocument().entrySet()) {
                    String name = e.getKey();
                    if (!Set.of("$each", "$slice", "$sort", "$position").contains(name)) {
                        throw ArgonException.badValue("Unrecognized clause in $push: " + name);
                    }
                    clauses.put(name, e.getValue());
                }
                BsonValue each = clauses.get("$each");
                if (!each.isArray()) {
                    throw ArgonException.badValue("The argument to $each in $push must be an array but it was of type: "
                            + Values.typeName(each));
                }
                values.addAll(each.asArray());
                if (clauses.containsKey("$slice")) {
                    slice = integral(clauses.get("$slice"));
                    if (slice == null) {
                        throw ArgonException.badValue("The value for $slice must be an integer value but was given type: "
                                + Values.typeName(clauses.get("$slice")));
                    }
                }
                if (clauses.containsKey("$sort")) {
                    sort = sortClause(clauses.get("$sort"));
                }
                if (clauses.containsKey("$position")) {
                    position = integral(clauses.get("$position"));
                    if (position == null) {
                        throw ArgonException.badValue("The value for $position must be an integer value, not of type: "
                                + Values.typeName(clauses.get("$position")));
                    }
                }
            } else {
                values.add(spec);
            }
        }

        private static Long integral(BsonValue v) {
            return v.isNumber() ? Values.exactLong(v) : null;
        }

        private static Comparator<BsonValue> sortClause(BsonValue s) {
            if (s.isNumber()) {
                double d = s.asNumber().doubleValue();
                if (d != 1 && d != -1) {
                    throw ArgonException.badValue("The $sort element value must be either 1 or -1");
                }
                int dir = (int) d;
                return (a, b) -> dir * Values.compare(a, b);
            }
            if (!s.isDocument()) {
                throw ArgonException.badValue("The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} "
                        + "to sort embedded fields");
            }
            BsonDocument pattern = s.asDocument();
            if (pattern.isEmpty()) {
                throw ArgonException.badValue("The $sort pattern is empty when it should be a set of fields.");
            }
            for (Map.Entry<String, BsonValue> e : pattern.entrySet()) {
                double d = e.getValue().isNumber() ? e.getValue().asNumber().doubleValue() : 0;
                if (d != 1 && d != -1) {
                    throw ArgonException.badValue("The $sort element value must be either 1 or -1");
                }
                for (String part : e.getKey().split("\\.", -1)) {
                    if (part.isEmpty()) {
                        throw ArgonException.badValue("The $sort field is a dotted field but has an empty part: " + e.getKey());
                    }
                }
            }
            Comparator<BsonDocument> docs = SortSpec.compile(pattern).comparator();
            BsonDocument empty = new BsonDocument();
            return (a, b) -> docs.compare(a.isDocument() ? a.asDocument() : empty, b.isDocument() ? b.asDocument() : empty);
        }

        @Override
        boolean creates() {
            return true;
        }

        @Override
        void applyAt(WorkingDoc.Slot slot, WorkingDoc doc) {
            BsonValue cur = slot.get();
            List<BsonValue> items = new ArrayList<>();
            if (cur != null) {
                if (!cur.isArray()) {
                    throw ArgonException.badValue("The field '" + slot.path + "' must be an array but is of type "
                            + typeName(cur) + " in document {" + doc.idText() + "}");
                }
                items.addAll(cur.asArray());
            }
            int size = items.size();
            int at;
            if (position == null || position >= size) {
                at = size;
            } else if (position >= 0) {
                at = position.intValue();
            } else {
                at = -position < size ? (int) (size + position) : 0;
            }
            List<BsonValue> copies = new ArrayList<>(values.size());
            for (BsonValue v : values) {
                copies.add(Values.copy(v));
            }
            items.addAll(at, copies);
            if (sort != null) {
                items.sort(sort);
            }
            if (slice != null) {
                long keep = Math.abs(slice);
                if (items.size() > keep) {
                    items = slice >= 0 ? items.subList(0, (int) keep)
                            : items.subList(items.size() - (int) keep, items.size());
                }
            }
            BsonArray out = new BsonArray(items.size());
            out.addAll(items);
            if (!Identical.same(cur, out)) {
                slot.set(out);
            }
        }
    }

    static final class AddToSet extends UpdateOp {
        private final List<BsonValue> values = new ArrayList<>();

        AddToSet(UpdatePath path, BsonValue spec) {
            super("$addToSet", path);
            List<BsonValue> raw = new ArrayList<>();
            if (spec.isDocument() && !spec.asDocument().isEmpty() && spec.asDocument().getFirstKey().equals("$each")) {
                BsonValue each = spec.asDocument().get("$each");
                if (!each.isArray()) {
                    throw ArgonException.typeMismatch("The argument to $each in $addToSet must be an array but it was of type "
                            + Values.typeName(each));
                }
                if (spec.asDocument().size() > 1) {
                    throw ArgonException.badValue("Found unexpected fields after $each in $addToSet: "
                            + BsonText.format(spec));
                }
                raw.addAll(each.asArray());
            } else {
                raw.add(spec);
            }
            for (BsonValue v : raw) {
                if (!contains(values, v)) {
                    values.add(v);
                }
            }
        }

        private static boolean contains(List<BsonValue> list, BsonValue v) {
            for (BsonValue e : list) {
                if (Values.equal(e, v)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        boolean creates() {
            return true;
        }

        @Override
        void applyAt(WorkingDoc.Slot slot, WorkingDoc doc) {
            BsonValue cur = slot.get();
            BsonArray out = new BsonArray();
            if (cur != null) {
                if (!cur.isArray()) {
                    throw ArgonException.badValue("Cannot apply $addToSet to non-array field. Field named '"
                            + fieldName(slot) + "' has non-array type " + typeName(cur));
                }
                out.addAll(cur.asArray());
            }
            boolean changed = cur == null;
            for (BsonValue v : values) {
                if (!contains(out, v)) {
                    out.add(Values.copy(v));
                    changed = true;
                }
            }
            if (changed) {
                slot.set(out);
            }
        }
    }

    /** $pull and $pullAll: remove the elements a predicate accepts. */
    static final class Pull extends UpdateOp {
        private interface ElementTest {
            boolean test(BsonValue element);
        }

        private final ElementTest test;

        Pull(String operator, UpdatePath path, BsonValue spec) {
            super(operator, path);
            this.test = operator.equals("$pullAll") ? pullAll(spec) : pull(spec);
        }

        private static ElementTest pullAll(BsonValue spec) {
            if (!spec.isArray()) {
                throw ArgonException.badValue("$pullAll requires an array argument but was given a " + Values.typeName(spec));
            }
            List<BsonValue> targets = spec.asArray().getValues();
            return e -> {
                for (BsonValue t : targets) {
                    if (Values.equal(e, t)) {
                        return true;
                    }
                }
                return false;
            };
        }

        private static ElementTest pull(BsonValue spec) {
            if (spec.isDocument()) {
                BsonDocument d = spec.asDocument();
                boolean elementCondition = !d.isEmpty() && PATH_OPERATORS.contains(d.getFirstKey());
                if (!elementCondition) {
                    Matcher m = Matcher.compile(d);
                    return e -> e.isDocument() && m.matches(e.asDocument());
                }
            }
            if (spec.isDocument() || spec.isRegularExpression()) {
                Matcher m = Matcher.compile(new BsonDocument("x", spec));
                return e -> m.matches(new BsonDocument("x", e));
            }
            return e -> Values.equal(e, spec);
        }

        @Override
        boolean creates() {
            return false;
        }

        @Override
        void applyAt(WorkingDoc.Slot slot, WorkingDoc doc) {
            BsonValue cur = slot.get();
            if (cur == null) {
                return;
            }
            if (!cur.isArray()) {
                throw ArgonException.badValue("Cannot apply $pull to a non-array value");
            }
            BsonArray arr = cur.asArray();
            BsonArray out = new BsonArray(arr.size());
            for (BsonValue e : arr) {
                if (!test.test(e)) {
                    out.add(e);
                }
            }
            if (out.size() != arr.size()) {
                slot.set(out);
            }
        }
    }

    static final class Pop extends UpdateOp {
        private final boolean first;

        Pop(UpdatePath path, String field, BsonValue spec) {
            super("$pop", path);
            if (!spec.isNumber()) {
                throw new ArgonException(MongoErrorCode.FAILED_TO_PARSE, "Expected a number in: "
                        + BsonText.element(field, spec));
            }
            double d = spec.asNumber().doubleValue();
            if (spec.isDecimal128()) {
                d = spec.asDecimal128().getValue().doubleValue();
            }
            if (d != 1 && d != -1) {
                throw new ArgonException(MongoErrorCode.FAILED_TO_PARSE, "$pop expects 1 or -1, found: "
                        + BsonText.format(spec));
            }
            this.first = d == -1;
        }

        @Override
        boolean creates() {
            return false;
        }

        @Override
        void applyAt(WorkingDoc.Slot slot, WorkingDoc doc) {
            BsonValue cur = slot.get();
            if (cur == null) {
                return;
            }
            if (!cur.isArray()) {
                throw ArgonException.typeMismatch("Path '" + slot.path + "' contains an element of non-array type '"
                        + typeName(cur) + "'");
            }
            BsonArray arr = cur.asArray();
            if (arr.isEmpty()) {
                return;
            }
            BsonArray out = new BsonArray(arr.size() - 1);
            out.addAll(first ? arr.subList(1, arr.size()) : arr.subList(0, arr.size() - 1));
            slot.set(out);
        }
    }
}
