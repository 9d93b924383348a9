package dev.argon.proxy.conformance;

import java.util.HashSet;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The arguments of one operation. Every argument read is remembered; {@link #done()} rejects the rest, because the
 * format says an unknown argument must not be ignored silently: a test whose argument the runner does not pass on
 * is skipped (as a runner gap) rather than passed without testing what it meant to.
 */
final class Args {
    private final String operation;
    private final BsonDocument doc;
    private final Set<String> used = new HashSet<>();

    Args(String operation, BsonDocument doc) {
        this.operation = operation;
        this.doc = doc == null ? new BsonDocument() : doc;
    }

    boolean has(String key) {
        return doc.containsKey(key);
    }

    BsonValue get(String key) {
        used.add(key);
        return doc.get(key);
    }

    BsonValue required(String key) {
        BsonValue v = get(key);
        if (v == null) {
            throw new IllegalArgumentException(operation + " needs argument " + key);
        }
        return v;
    }

    BsonDocument document(String key) {
        BsonValue v = get(key);
        return v == null ? null : v.asDocument();
    }

    String string(String key) {
        BsonValue v = get(key);
        return v == null ? null : v.asString().getValue();
    }

    Boolean bool(String key) {
        BsonValue v = get(key);
        return v == null ? null : v.asBoolean().getValue();
    }

    Integer integer(String key) {
        BsonValue v = get(key);
        return v == null ? null : v.asNumber().intValue();
    }

    Long number(String key) {
        BsonValue v = get(key);
        return v == null ? null : v.asNumber().longValue();
    }

    /** Marks an argument as deliberately unused (for example one that only matters to other drivers). */
    void ignore(String key) {
        used.add(key);
    }

    void done() {
        for (String key : doc.keySet()) {
            if (!used.contains(key)) {
                throw SkipTest.unsupported("runner: argument '" + key + "' of " + operation);
            }
        }
    }
}
