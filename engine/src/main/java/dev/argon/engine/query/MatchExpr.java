package dev.argon.engine.query;

import java.util.List;
import org.bson.BsonDocument;

/** A node of a compiled filter. Implementations are immutable. */
interface MatchExpr {
    /**
     * @param position receives the array index that satisfied a path predicate (first one wins), or null when
     *     nobody needs it; it is meaningless when the result is false
     */
    boolean matches(BsonDocument doc, Position position);

    /** The mutable out-parameter of one evaluation. */
    final class Position {
        int index = -1;

        void offer(int i) {
            if (index < 0 && i >= 0) {
                index = i;
            }
        }
    }

    MatchExpr ALWAYS_TRUE = (doc, position) -> true;
    MatchExpr ALWAYS_FALSE = (doc, position) -> false;

    static MatchExpr and(List<MatchExpr> children) {
        if (children.isEmpty()) {
            return ALWAYS_TRUE;
        }
        if (children.size() == 1) {
            return children.get(0);
        }
        MatchExpr[] all = children.toArray(new MatchExpr[0]);
        return (doc, position) -> {
            for (MatchExpr child : all) {
                if (!child.matches(doc, position)) {
                    return false;
                }
            }
            return true;
        };
    }

    /** Only the branch that matched contributes a position. */
    static MatchExpr or(List<MatchExpr> children) {
        MatchExpr[] all = children.toArray(new MatchExpr[0]);
        return (doc, position) -> {
            for (MatchExpr child : all) {
                Position branch = position == null ? null : new Position();
                if (child.matches(doc, branch)) {
                    if (branch != null) {
                        position.offer(branch.index);
                    }
                    return true;
                }
            }
            return false;
        };
    }

    /** A negation matches because nothing matched, so it has no position to report. */
    static MatchExpr not(MatchExpr child) {
        return (doc, position) -> !child.matches(doc, null);
    }

    static MatchExpr nor(List<MatchExpr> children) {
        MatchExpr[] all = children.toArray(new MatchExpr[0]);
        return (doc, position) -> {
            for (MatchExpr child : all) {
                if (child.matches(doc, null)) {
                    return false;
                }
            }
            return true;
        };
    }

    /** A predicate applied to every value a path reaches; true if any value satisfies it. */
    static MatchExpr path(DocPath path, ValuePredicate predicate) {
        boolean expand = predicate.expandLeafArrays();
        return (doc, position) -> {
            int[] found = {ValuePredicate.NO_MATCH};
            path.traverse(doc, expand, (value, arrayIndex) -> {
                int r = predicate.test(value);
                if (r == ValuePredicate.NO_MATCH) {
                    return false;
                }
                found[0] = arrayIndex >= 0 ? arrayIndex : r;
                return true;
            });
            if (found[0] == ValuePredicate.NO_MATCH) {
                return false;
            }
            if (position != null) {
                position.offer(found[0]);
            }
            return true;
        };
    }
}
