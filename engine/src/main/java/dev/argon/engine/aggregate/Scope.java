package dev.argon.engine.aggregate;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;

/**
 * The variable names visible while compiling an expression, so that references to undefined variables fail
 * at compile time as in MongoDB (17276). Immutable.
 */
final class Scope {
    static final Scope ROOT = new Scope(null, null);

    private final String name;
    private final Scope parent;

    private Scope(String name, Scope parent) {
        this.name = name;
        this.parent = parent;
    }

    /** Validates a user variable name (MongoDB: must start with a lowercase letter or non-ASCII char). */
    Scope define(String varName) {
        validateName(varName);
        return new Scope(varName, this);
    }

    boolean isDefined(String varName) {
        switch (varName) {
            case "ROOT":
            case "CURRENT":
            case "REMOVE":
            case "NOW":
            case "CLUSTER_TIME":
                return true;
            default:
                break;
        }
        for (Scope s = this; s != null && s.name != null; s = s.parent) {
            if (s.name.equals(varName)) {
                return true;
            }
        }
        return false;
    }

    static void validateName(String varName) {
        if (varName.isEmpty()) {
            throw new ArgonException(MongoErrorCode.FAILED_TO_PARSE, "empty variable names are not allowed");
        }
        char c = varName.charAt(0);
        if (!(Character.isLowerCase(c) || c > 127) && !"CURRENT".equals(varName)) {
            throw new ArgonException(MongoErrorCode.FAILED_TO_PARSE,
                    "'" + varName + "' starts with an invalid character for a user variable name");
        }
        for (int i = 1; i < varName.length(); i++) {
            char d = varName.charAt(i);
            if (!(Character.isLetterOrDigit(d) || d == '_' || d > 127)) {
                throw new ArgonException(MongoErrorCode.FAILED_TO_PARSE,
                        "'" + varName + "' contains an invalid character for a variable name: '" + d + "'");
            }
        }
    }
}
