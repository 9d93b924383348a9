package dev.argon.engine.store;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;

/** MongoDB's rules for database and collection names (code 73 InvalidNamespace). Stateless. */
public final class Namespaces {
    private static final String BAD_DB_CHARS = "/\\. \"$*<>:|?~@";

    private Namespaces() {}

    public static void validateDb(String db) {
        if (db == null || db.isEmpty()) {
            throw new ArgonException(MongoErrorCode.INVALID_NAMESPACE, "Invalid empty database name");
        }
        if (db.length() >= 64) {
            throw new ArgonException(MongoErrorCode.INVALID_NAMESPACE, "db name is too long: '" + db + "'");
        }
        for (int i = 0; i < db.length(); i++) {
            char ch = db.charAt(i);
            if (ch == 0 || BAD_DB_CHARS.indexOf(ch) >= 0) {
                throw new ArgonException(MongoErrorCode.INVALID_NAMESPACE, "Invalid database name: '" + db + "'");
            }
        }
    }

    public static void validateCollection(String db, String coll) {
        validateDb(db);
        if (coll == null || coll.isEmpty()) {
            throw new ArgonException(MongoErrorCode.INVALID_NAMESPACE, "Invalid namespace specified '" + db + ".'");
        }
        if (coll.indexOf('\0') >= 0 || coll.indexOf('$') >= 0 || coll.startsWith(".") || coll.endsWith(".")) {
            throw new ArgonException(MongoErrorCode.INVALID_NAMESPACE, "Invalid collection name: " + coll);
        }
        if (db.length() + 1 + coll.length() > 255) {
            throw new ArgonException(MongoErrorCode.INVALID_NAMESPACE, "Fully qualified namespace is too long: " + db + "." + coll);
        }
    }
}
