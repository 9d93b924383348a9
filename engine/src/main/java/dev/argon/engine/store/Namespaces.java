package dev.argon.engine.store;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import java.nio.charset.StandardCharsets;

/**
 * MongoDB's rules for database and collection names (code 73 InvalidNamespace), checked where a name enters: the
 * {@code $db} of every command, and every collection creation or rename. A database name has none of
 * {@code / \ . space " $ * < > : | ?} (mongod's rules on every platform, its Windows set included, so a name means
 * the same everywhere), nor NUL, nor Argon's ref delimiters {@code ~ @}, and is under 64 bytes of UTF-8; a
 * collection name is not empty, has no NUL or {@code $}, does not start or end with {@code .}, and with its
 * database forms a namespace of at most 255 bytes. Names are stored as keys ({@code 'C' db 0x00 coll 0x00},
 * docs/FORMATS.md), never as file names, so these rules are MongoDB's and need no Unicode folding; a NUL would
 * break that key, which is why it is refused even where mongod would only fail later. Thread-safe: the only state
 * is a bounded set of database names already found valid, so that a command's {@code $db} is checked once.
 */
public final class Namespaces {
    private static final String BAD_DB_CHARS = "/\\. \"$*<>:|?~@";
    /** mongod: a database name must be shorter than 64 bytes. */
    public static final int MAX_DB_BYTES = 63;
    /** mongod 4.4+: a fully qualified namespace is at most 255 bytes. */
    public static final int MAX_NAMESPACE_BYTES = 255;

    /**
     * Database names already found valid: every command checks its {@code $db}, almost always one of a few names.
     * Bounded (cleared when full) so that clients naming very many databases cost memory only up to the bound.
     */
    private static final java.util.Set<String> VALID_DBS = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final int MAX_VALID_DBS = 1024;

    private Namespaces() {}

    public static void validateDb(String db) {
        if (db != null && VALID_DBS.contains(db)) {
            return;
        }
        checkDb(db);
        if (VALID_DBS.size() >= MAX_VALID_DBS) {
            VALID_DBS.clear();
        }
        VALID_DBS.add(db);
    }

    private static void checkDb(String db) {
        if (db == null || db.isEmpty()) {
            throw new ArgonException(MongoErrorCode.INVALID_NAMESPACE, "Invalid empty database name");
        }
        if (bytes(db) > MAX_DB_BYTES) {
            throw new ArgonException(MongoErrorCode.INVALID_NAMESPACE, "db name is too long: '" + show(db) + "' is "
                    + bytes(db) + " bytes of UTF-8, the limit is " + MAX_DB_BYTES);
        }
        for (int i = 0; i < db.length(); i++) {
            char ch = db.charAt(i);
            if (ch == 0) {
                throw new ArgonException(MongoErrorCode.INVALID_NAMESPACE, "namespaces cannot have embedded null characters");
            }
            if (BAD_DB_CHARS.indexOf(ch) >= 0) {
                throw new ArgonException(MongoErrorCode.INVALID_NAMESPACE, "Invalid database name: '" + show(db)
                        + "': database names may not contain any of / \\ . space \" $ * < > : | ? ~ @");
            }
        }
    }

    public static void validateCollection(String db, String coll) {
        validateDb(db);
        if (coll == null || coll.isEmpty()) {
            throw new ArgonException(MongoErrorCode.INVALID_NAMESPACE, "Invalid namespace specified '" + db + ".'");
        }
        if (coll.indexOf('\0') >= 0) {
            throw new ArgonException(MongoErrorCode.INVALID_NAMESPACE, "namespaces cannot have embedded null characters");
        }
        if (coll.indexOf('$') >= 0 || coll.startsWith(".") || coll.endsWith(".")) {
            throw new ArgonException(MongoErrorCode.INVALID_NAMESPACE, "Invalid collection name: " + show(coll));
        }
        int ns = bytes(db) + 1 + bytes(coll);
        if (ns > MAX_NAMESPACE_BYTES) {
            throw new ArgonException(MongoErrorCode.INVALID_NAMESPACE, "Fully qualified namespace is too long. Namespace: "
                    + show(db + "." + coll) + " Max: " + MAX_NAMESPACE_BYTES);
        }
    }

    /** A collection name a read may look up: refuses NUL, which no stored name holds and the catalog key cannot carry. */
    public static void validateLookup(String coll) {
        if (coll.indexOf('\0') >= 0) {
            throw new ArgonException(MongoErrorCode.INVALID_NAMESPACE, "namespaces cannot have embedded null characters");
        }
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A name for an error message: NUL and control characters escaped, long names cut. */
    private static String show(String s) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (; i < s.length() && b.length() < 100; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7F ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return i < s.length() ? b + "..." : b.toString();
    }
}
