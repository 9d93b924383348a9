package dev.argon.engine.aggregate;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/** Argument parsing shared by the operator families, with MongoDB's arity errors. Stateless. */
final class Args {
    private Args() {}

    /** An array argument gives one operand per element; anything else is a single operand. */
    static List<Expression> list(BsonValue args, Scope scope) {
        List<Expression> out = new ArrayList<>();
        if (args.isArray()) {
            for (BsonValue v : args.asArray()) {
                out.add(ExpressionParser.parse(v, scope));
            }
        } else {
            out.add(ExpressionParser.parse(args, scope));
        }
        return out;
    }

    static List<Expression> exactly(String op, int n, BsonValue args, Scope scope) {
        List<Expression> out = list(args, scope);
        if (out.size() != n) {
            throw new ArgonException(MongoErrorCode.LOCATION_16020, "Expression " + op + " takes exactly " + n
                    + " arguments. " + out.size() + " were passed in.");
        }
        return out;
    }

    static List<Expression> between(String op, int min, int max, BsonValue args, Scope scope) {
        List<Expression> out = list(args, scope);
        if (out.size() < min || out.size() > max) {
            throw new ArgonException(MongoErrorCode.LOCATION_28667, "Expression " + op + " takes at least " + min
                    + " arguments, and at most " + max + ", but " + out.size() + " were passed in.");
        }
        return out;
    }

    /** The fields of an object-form argument, rejecting non-objects and unknown names with the given codes. */
    static BsonDocument object(String op, BsonValue args, Set<String> allowed, MongoErrorCode notObject,
            MongoErrorCode unknown) {
        if (!args.isDocument()) {
            throw new ArgonException(notObject, op + " only supports an object as its argument");
        }
        BsonDocument doc = args.asDocument();
        for (Map.Entry<String, BsonValue> e : doc.entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw new ArgonException(unknown, op + " found an unknown argument: " + e.getKey());
            }
        }
        return doc;
    }

    static Expression required(String op, BsonDocument doc, String field, Scope scope, MongoErrorCode code) {
        BsonValue v = doc.get(field);
        if (v == null) {
            throw new ArgonException(code, "Missing '" + field + "' parameter to " + op);
        }
        return ExpressionParser.parse(v, scope);
    }

    /** An optional named argument, or null when absent. */
    static Expression optional(BsonDocument doc, String field, Scope scope) {
        BsonValue v = doc.get(field);
        return v == null ? null : ExpressionParser.parse(v, scope);
    }

    static ArgonException error(MongoErrorCode code, String message) {
        return new ArgonException(code, message);
    }
}
