package dev.argon.proxy.it;

import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * Runs a command that answers a cursor ({@code cursor: {id, ns, firstBatch}}) and pages through it with
 * {@code getMore} on one explicit session, as a driver's cursor does: what a script written against
 * {@code runCommand} sees.
 */
final class CommandCursor {
    /** The first reply (its batch included) and every batch after it, in order. */
    record Pages(Document first, List<List<Document>> batches) {
        List<Document> all() {
            List<Document> out = new ArrayList<>();
            batches.forEach(out::addAll);
            return out;
        }
    }

    private CommandCursor() {}

    static Pages run(MongoClient client, String db, Document command, Integer getMoreBatchSize) {
        try (ClientSession session = client.startSession()) {
            MongoDatabase d = client.getDatabase(db);
            Document first = d.runCommand(session, command);
            Document cursor = first.get("cursor", Document.class);
            String ns = cursor.getString("ns");
            String collection = ns.substring(ns.indexOf('.') + 1);
            List<List<Document>> batches = new ArrayList<>();
            batches.add(cursor.getList("firstBatch", Document.class));
            long id = cursor.getLong("id");
            while (id != 0) {
                Document more = new Document("getMore", id).append("collection", collection);
                if (getMoreBatchSize != null) {
                    more.append("batchSize", getMoreBatchSize);
                }
                Document next = d.runCommand(session, more).get("cursor", Document.class);
                batches.add(next.getList("nextBatch", Document.class));
                id = next.getLong("id");
            }
            return new Pages(first, batches);
        }
    }

    static List<Document> all(MongoClient client, Document command) {
        return run(client, "admin", command, null).all();
    }
}
