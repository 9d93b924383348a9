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
 * waits for a lock, a commit, an fsync, a clock or another client, and leaves no cursor open. Small writes by
 * {@code _id} and small inserts ({@link #quickWrite}) also qualify: they wait at most a moment for their branch's
 * lock (else they go to the pool after all) and for their group's RocksDB write, never for an fsync; a journaled
 * one not even for its write: its commit is detached ({@link CommandContext#commit}) and the reply goes out once it
 * is written and synced. A child branch's
 * head may read its parent's history, which compaction can have moved to the tier's store (a network read), and a
 * time-travel point likewise, so both stay on the pool. Stateless and thread-safe.
 */
final class QuickCommands {
    private static final Set<String> FIND_FIELDS = Set.of("find", "filter", "projection", "limit", "singleBatch",
            "batchSize", "lsid", "$clusterTime", "$db", "$readPreference", "comment", "maxTimeMS");
    private static final Set<String> HELLO_FIELDS = Set.of("hello", "isMaster", "ismaster", "ping", "helloOk",
            "client", "compression", "loadBalanced", "lsid", "$clusterTime", "$db", "$readPreference", "comment",
            "apiVersion", "apiStrict", "apiDeprecationErrors");

    /** Fields of a small write that may run on the wire layer's thread (see {@link #quickWrite}). */
    private static final Set<String> WRITE_FIELDS = Set.of("insert", "update", "delete", "documents", "updates", "deletes",
            "ordered", "writeConcern", "lsid", "txnNumber", "$clusterTime", "$db", "$readPreference", "comment",
            "bypassDocumentValidation", "maxTimeMS");
    private static final Set<String> UPDATE_STATEMENT_FIELDS = Set.of("q", "u", "multi", "upsert");
    private static final Set<String> DELETE_STATEMENT_FIELDS = Set.of("q", "limit");
    private static final Set<String> WRITE_CONCERN_FIELDS = Set.of("w", "j", "wtimeout");
    /** Most documents of an insert run inline: a few encodings and one commit, never a streamed one. */
    static final int INLINE_INSERT_DOCUMENTS = 16;
    /** Most bytes of an insert run inline: a few hundred microseconds of encoding at most, never a streamed commit. */
    static final long INLINE_INSERT_BYTES = 256 << 10;

    private QuickCommands() {}

    /** True if {@code command} (named {@code name} in the command table) qualifies; see the class comment. */
    static boolean qualifies(String name, BsonDocument command, ClientContext client) {
        return switch (name) {
            case "find" -> quickFind(command, client);
            case "hello", "isMaster", "ping" -> only(command, HELLO_FIELDS);
            case "insert", "update", "delete" -> quickWrite(name, command, client);
            default -> false;
        };
    }

    /**
     * A small write on the head of {@code main}, outside a transaction: an insert of at most
     * {@link #INLINE_INSERT_DOCUMENTS} documents, or one update or delete of the document with a given {@code _id}
     * (no pipeline, array filters, hint, collation or sort). Each evaluates over at most a few point reads and ends
     * in one small commit; its branch lock is taken only if free within a moment (else it runs on the pool after
     * all), and a journaled reply waits for its fsync without holding the thread.
     */
    private static boolean quickWrite(String name, BsonDocument command, ClientContext client) {
        if (!only(command, WRITE_FIELDS) || !command.isString(name) || !onMain(command, client)) {
            return false;
        }
        BsonValue wc = command.get("writeConcern");
        if (wc != null && (!wc.isDocument() || !only(wc.asDocument(), WRITE_CONCERN_FIELDS))) {
            return false;
        }
        return switch (name) {
            case "insert" -> {
                BsonValue docs = command.get("documents");
                yield docs != null && docs.isArray() && docs.asArray().size() <= INLINE_INSERT_DOCUMENTS
                        && rawBytes(docs.asArray()) <= INLINE_INSERT_BYTES
                        && !command.containsKey("updates") && !command.containsKey("deletes");
            }
            case "update" -> oneStatement(command, "updates", UPDATE_STATEMENT_FIELDS)
                    && isDocument(command.getArray("updates").get(0).asDocument().get("u"))
                    && !command.getArray("updates").get(0).asDocument().getBoolean("multi", org.bson.BsonBoolean.FALSE).getValue();
            case "delete" -> oneStatement(command, "deletes", DELETE_STATEMENT_FIELDS);
            default -> false;
        };
    }

    /**
     * Bytes of the documents the wire layer kept as the client's BSON (nearly all of them); a document it had to
     * decode counts nothing here, which only a client sending non-canonical BSON can make use of.
     */
    private static long rawBytes(org.bson.BsonArray docs) {
        long bytes = 0;
        for (BsonValue d : docs) {
            if (d instanceof org.bson.RawBsonDocument raw) {
                bytes += raw.getByteBuffer().remaining();
            }
        }
        return bytes;
    }

    /** Exactly one statement in {@code field}, with only the given fields and a {@code q} of one plain {@code _id}. */
    private static boolean oneStatement(BsonDocument command, String field, Set<String> fields) {
        BsonValue v = command.get(field);
        if (v == null || !v.isArray() || v.asArray().size() != 1 || !v.asArray().get(0).isDocument()) {
            return false;
        }
        BsonDocument st = v.asArray().get(0).asDocument();
        if (!only(st, fields) || (st.containsKey("multi") && !st.isBoolean("multi"))
                || (st.containsKey("upsert") && !st.isBoolean("upsert"))) {
            return false;
        }
        BsonValue q = st.get("q");
        return q != null && q.isDocument() && idEquality(q.asDocument());
    }

    private static boolean isDocument(BsonValue v) {
        return v != null && v.isDocument();
    }

    /** The head of {@code main}: a plain database name and no default branch on the connection. */
    private static boolean onMain(BsonDocument command, ClientContext client) {
        BsonValue db = command.get("$db");
        return db != null && db.isString() && db.asString().getValue().indexOf('~') < 0
                && (client == null || client.defaultBranch() == null);
    }

    /** A filter of exactly one field, {@code _id}, equal to a plain value: one point read. */
    private static boolean idEquality(BsonDocument filter) {
        if (filter.size() != 1) {
            return false;
        }
        BsonValue id = filter.get("_id");
        return id != null && switch (id.getBsonType()) {
            case STRING, INT32, INT64, OBJECT_ID -> true;
            default -> false;
        };
    }

    private static boolean quickFind(BsonDocument command, ClientContext client) {
        if (!only(command, FIND_FIELDS) || !command.isString("find")) {
            return false;
        }
        if (!onMain(command, client)) {
            return false;
        }
        BsonValue batchSize = command.get("batchSize");
        if (batchSize != null && (!batchSize.isNumber() || batchSize.asNumber().longValue() <= 0)) {
            return false;
        }
        BsonValue filter = command.get("filter");
        // An equality on a plain value: one point read. A document may hold operators, an array or a regex
        // match many.
        return filter != null && filter.isDocument() && idEquality(filter.asDocument());
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
