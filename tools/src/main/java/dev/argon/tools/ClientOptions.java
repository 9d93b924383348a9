package dev.argon.tools;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.bson.Document;
import picocli.CommandLine.Option;

/** {@code --uri} and {@code --json}, shared by every verb that talks to a running server. */
public final class ClientOptions {
    @Option(names = "--uri", description = "server to talk to (default: ${DEFAULT-VALUE})", defaultValue = "mongodb://localhost:27017")
    String uri;

    @Option(names = "--json", description = "print JSON for scripts instead of a table")
    boolean json;

    /** Runs one admin command; failures become {@link CliException} with the server's message. */
    Document admin(Document command) {
        return withoutGossip(withClient(client -> client.getDatabase("admin").runCommand(command)));
    }

    /**
     * Drops the fields every reply carries for drivers ({@code $clusterTime}, {@code operationTime}): they say
     * nothing about the command's answer, so the CLI does not print them.
     */
    static Document withoutGossip(Document reply) {
        reply.remove("$clusterTime");
        reply.remove("operationTime");
        return reply;
    }

    /**
     * Runs an admin command that answers a cursor ({@code cursor: {id, ns, firstBatch}}) and pages through it
     * with getMore on one session, so that an answer of any size arrives batch by batch and is printed as it
     * comes. {@code head} gets the first reply without its batch (the fields beside the cursor); {@code batch}
     * gets each batch in order. A positive batchSize asks for batches of that many documents.
     */
    void cursor(Document command, int batchSize, String progress, Consumer<Document> head, Consumer<List<Document>> batch) {
        withClient(client -> {
            try (ClientSession session = client.startSession()) {
                MongoDatabase admin = client.getDatabase("admin");
                if (batchSize > 0) {
                    command.append("cursor", new Document("batchSize", batchSize));
                }
                Document first = Progress.around(progress, () -> admin.runCommand(session, command));
                Document cursor = first.get("cursor", Document.class);
                long id = cursor.getLong("id");
                String ns = cursor.getString("ns");
                List<Document> docs = cursor.getList("firstBatch", Document.class);
                first.remove("cursor");
                first.remove("ok");
                withoutGossip(first);
                try {
                    head.accept(first);
                    batch.accept(docs);
                    while (id != 0) {
                        Document more = new Document("getMore", id).append("collection", ns.substring(ns.indexOf('.') + 1));
                        if (batchSize > 0) {
                            more.append("batchSize", batchSize);
                        }
                        Document next = admin.runCommand(session, more).get("cursor", Document.class);
                        id = next.getLong("id");
                        batch.accept(next.getList("nextBatch", Document.class));
                    }
                } finally {
                    if (id != 0) {
                        // Stopped early (a failure while printing): free the server's cursor now, not at its timeout.
                        try {
                            admin.runCommand(session, new Document("killCursors", ns.substring(ns.indexOf('.') + 1)).append("cursors", List.of(id)));
                        } catch (RuntimeException ignored) {
                            // the cursor times out on the server anyway; the first failure is the one to report
                        }
                    }
                }
                return null;
            }
        });
    }

    private <T> T withClient(Function<MongoClient, T> work) {
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(uri))
                .applyToClusterSettings(b -> b.serverSelectionTimeout(5, TimeUnit.SECONDS))
                .applicationName("argon-cli")
                .build();
        try (MongoClient client = MongoClients.create(settings)) {
            return work.apply(client);
        } catch (com.mongodb.MongoCommandException e) {
            throw new CliException(CliException.SERVER, e.getErrorMessage() + " (" + e.getErrorCodeName() + ", code " + e.getErrorCode() + ")");
        } catch (com.mongodb.MongoTimeoutException | com.mongodb.MongoSocketException e) {
            throw new CliException(CliException.CONNECTION, "cannot reach an Argon server at " + uri + " (start one with ./argon serve)");
        }
    }
}
