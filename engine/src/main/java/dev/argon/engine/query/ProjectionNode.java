package dev.argon.engine.query;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node of a parsed projection: an inner node keyed by field name, or an action on one path. Built by
 * {@link ProjectionParser} and never changed afterwards.
 */
final class ProjectionNode {
    enum Kind {
        PATH, INCLUDE, EXCLUDE, SLICE, ELEM_MATCH, POSITIONAL, EXPRESSION
    }

    final Kind kind;
    final Map<String, ProjectionNode> children;
    /** $slice: skip (null for the single-number form) and limit. */
    final Integer sliceSkip;
    final int sliceLimit;
    final Matcher elemMatch;
    final ProjectionExpression expression;

    private ProjectionNode(Kind kind, Integer sliceSkip, int sliceLimit, Matcher elemMatch,
            ProjectionExpression expression) {
        this.kind = kind;
        this.children = kind == Kind.PATH ? new LinkedHashMap<>() : Map.of();
        this.sliceSkip = sliceSkip;
        this.sliceLimit = sliceLimit;
        this.elemMatch = elemMatch;
        this.expression = expression;
    }

    static ProjectionNode path() {
        return new ProjectionNode(Kind.PATH, null, 0, null, null);
    }

    static ProjectionNode of(Kind kind) {
        return new ProjectionNode(kind, null, 0, null, null);
    }

    static ProjectionNode slice(Integer skip, int limit) {
        return new ProjectionNode(Kind.SLICE, skip, limit, null, null);
    }

    static ProjectionNode elemMatch(Matcher matcher) {
        return new ProjectionNode(Kind.ELEM_MATCH, null, 0, matcher, null);
    }

    static ProjectionNode expression(ProjectionExpression expression) {
        return new ProjectionNode(Kind.EXPRESSION, null, 0, null, expression);
    }

    /** Whether this subtree computes values (expressions or $elemMatch) that are added after the copy pass. */
    boolean hasComputed() {
        if (kind == Kind.EXPRESSION || kind == Kind.ELEM_MATCH) {
            return true;
        }
        for (ProjectionNode child : children.values()) {
            if (child.hasComputed()) {
                return true;
            }
        }
        return false;
    }
}
