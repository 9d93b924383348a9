package dev.argon.engine.command;

import java.util.Map;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Which commands {@link Dispatcher#quick} lets the wire layer run on its own thread: a {@code find} of one
 * document by {@code _id} on the head of {@code main} (or the default branch when it is {@code main}), and
 * {@code hello}, {@code isMaster} and {@code ping} that are not awaitable. The list of fields is closed: a
 * field not named here (a read concern, a session transaction, {@code batchSize: 0}, a sort, a hint, a
 * time-travel {@code $db}) sends the command to the command pool as before.
 *
 * <p>Why these and no more: each is answered from memory or one point read of the {@code latest} family, never
 * waits for a lock, a commit, an fsync, a clock or another client, and leaves no cursor open. A child branch's
 * head may read its parent's history, which compaction can have moved to the tier's store (a network read), and a
 * time-travel point likewise, so both stay on the pool. Stateless and thread-safe.
 */
final class QuickCommands {
    private static final Set<String> FIND_FIELDS = Set.of("find", "filter", "projection", "limit", "singleBatch",
            "batchSize", "lsid", "$clusterTime", "$db", "$readPreference", "comment", "maxTimeMS");
    private static final Set<String> HELLO_FIELDS = Set.of("hello", "isMaster", "ismaster", "ping", "helloOk",
            "client", "compression", "loadBalanced", "lsid", "$clusterTime", "$db", "$readPreference", "comment",
            "apiVersion", "apiStrict", "apiDeprecationErrors");

    private QuickCommands() {}

    /** True if {@code command} (named {@code name} in the command table) qualifies; see the class comment. */
    static boolean qualifies(String name, BsonDocument command, ClientContext client) {
        return switch (name) {
            case "find" -> quickFind(command, client);
            case "hello", "isMaster", "ping" -> only(command, HELLO_FIELDS);
            default -> false;
        };
    }

    private static boolean quickFind(BsonDocument command, ClientContext client) {
        if (!only(command, FIND_FIELDS) || !command.isString("find")) {
            return false;
        }
        BsonValue db = command.get("$db");
        if (db == null || !db.isString() || db.asString().getValue().indexOf('~') >= 0
                || (client != null && client.defaultBranch() != null)) {
            return false;
        }
        BsonValue batchSize = command.get("batchSize");
        if (batchSize != null && (!batchSize.isNumber() || batchSize.asNumber().longValue() <= 0)) {
            return false;
        }
        BsonValue filter = command.get("filter");
        if (filter == null || !filter.isDocument() || filter.asDocument().size() != 1) {
            return false;
        }
        BsonValue id = filter.asDocument().get("_id");
        // An equality on a plain value: one point read. A document may hold operators, an array or a regex
        // match many.
        return id != null && switch (id.getBsonType()) {
            case STRING, INT32, INT64, OBJECT_ID -> true;
            default -> false;
        };
    }

    private static boolean only(BsonDocument command, Set<String> fields) {
        for (Map.Entry<String, BsonValue> e : command.entrySet()) {
            if (!fields.contains(e.getKey())) {
                return false;
            }
        }
        return true;
    }
}
