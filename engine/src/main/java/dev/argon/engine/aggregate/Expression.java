package dev.argon.engine.aggregate;

import java.util.Collection;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * A compiled aggregation expression ({@code "$a.b"}, {@code {$add: [...]}}, literals, object and array
 * expressions). Compile once, evaluate many times; compiled expressions are immutable and thread-safe.
 * Evaluation returns Java {@code null} for a <em>missing</em> value (as opposed to BSON null).
 */
@FunctionalInterface
public interface Expression {
    BsonValue evaluate(Variables vars);

    /** Evaluates with $$ROOT and $$CURRENT bound to doc. */
    default BsonValue evaluate(BsonDocument doc) {
        return evaluate(Variables.of(doc));
    }

    /** Compiles an expression that may use only the system variables. */
    static Expression compile(BsonValue spec) {
        return ExpressionParser.parse(spec, Scope.ROOT);
    }

    /** Compiles an expression that may also reference the given user variables ({@code $$name}). */
    static Expression compile(BsonValue spec, Collection<String> variableNames) {
        Scope scope = Scope.ROOT;
        for (String name : variableNames) {
            scope = scope.define(name);
        }
        return ExpressionParser.parse(spec, scope);
    }
}
