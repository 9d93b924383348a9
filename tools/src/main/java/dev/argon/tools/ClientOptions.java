package dev.argon.tools;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.util.concurrent.TimeUnit;
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
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(uri))
                .applyToClusterSettings(b -> b.serverSelectionTimeout(5, TimeUnit.SECONDS))
                .applicationName("argon-cli")
                .build();
        try (MongoClient client = MongoClients.create(settings)) {
            return client.getDatabase("admin").runCommand(command);
        } catch (com.mongodb.MongoCommandException e) {
            throw new CliException(CliException.SERVER, e.getErrorMessage() + " (" + e.getErrorCodeName() + ", code " + e.getErrorCode() + ")");
        } catch (com.mongodb.MongoTimeoutException | com.mongodb.MongoSocketException e) {
            throw new CliException(CliException.CONNECTION, "cannot reach an Argon server at " + uri + " (start one with ./argon serve)");
        }
    }
}
