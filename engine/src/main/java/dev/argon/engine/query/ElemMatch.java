package dev.argon.engine.query;

import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/** The two forms of $elemMatch. Both test only the array itself (never its elements as separate values). */
final class ElemMatch {
    private ElemMatch() {}

    /** {@code {$elemMatch: {b: 1, c: {$gt: 2}}}}: an element that is a document (or array) matching a filter. */
    static final class ObjectForm implements ValuePredicate {
        private final MatchExpr filter;

        ObjectForm(MatchExpr filter) {
            this.filter = filter;
        }

        @Override
        public int test(BsonValue value) {
            if (value == null || !value.isArray()) {
                return NO_MATCH;
            }
            List<BsonValue> elements = value.asArray().getValues();
            for (int i = 0; i < elements.size(); i++) {
                BsonValue e = elements.get(i);
                BsonDocument asDocument = e.isDocument() ? e.asDocument() : e.isArray() ? indexed(e.asArray()) : null;
                if (asDocument != null && filter.matches(asDocument, null)) {
                    return i;
                }
            }
            return NO_MATCH;
        }

        @Override
        public boolean expandLeafArrays() {
            return false;
        }

        /** mongod sees a nested array as an object with keys "0", "1", ... */
        private static BsonDocument indexed(BsonArray array) {
            BsonDocument doc = new BsonDocument();
            for (int i = 0; i < array.size(); i++) {
                doc.put(Integer.toString(i), array.get(i));
            }
            return doc;
        }
    }

    /** {@code {$elemMatch: {$gt: 1, $lt: 5}}}: one element satisfying every operator by itself. */
    static final class ValueForm implements ValuePredicate {
        private final List<ValuePredicate> predicates;

        ValueForm(List<ValuePredicate> predicates) {
            this.predicates = List.copyOf(predicates);
        }

        @Override
        public int test(BsonValue value) {
            if (value == null || !value.isArray()) {
                return NO_MATCH;
            }
            List<BsonValue> elements = value.asArray().getValues();
            for (int i = 0; i < elements.size(); i++) {
                if (all(elements.get(i))) {
                    return i;
                }
            }
            return NO_MATCH;
        }

        private boolean all(BsonValue element) {
            for (ValuePredicate p : predicates) {
                if (!p.matches(element)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean expandLeafArrays() {
            return false;
        }
    }
}
