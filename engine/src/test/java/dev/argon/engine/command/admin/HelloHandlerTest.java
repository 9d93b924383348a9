package dev.argon.engine.command.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.argon.engine.Engine;
import dev.argon.engine.ServerStats;
import dev.argon.engine.command.ClientContext;
import dev.argon.engine.command.CommandReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the engine says about an awaitable hello's reply: how long it may wait and what the stream runs next. */
class HelloHandlerTest {
    private Path dir;
    private Engine engine;
    private final ClientContext client = new ClientContext(1, "127.0.0.1:50000", "localhost", 27017);

    @BeforeEach
    void open() throws IOException {
        dir = Files.createTempDirectory("argon-hello-unit-");
        engine = new Engine(dir, new ServerStats());
    }

    @AfterEach
    void close() throws IOException {
        engine.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private BsonDocument current() {
        return new BsonDocument("processId", new BsonObjectId(engine.processId())).append("counter", new BsonInt64(0));
    }

    private static BsonDocument hello(String name, BsonDocument topologyVersion, long maxAwait) {
        return new BsonDocument(name, new BsonInt32(1)).append("topologyVersion", topologyVersion)
                .append("maxAwaitTimeMS", new BsonInt64(maxAwait)).append("$db", new BsonString("admin"));
    }

    @Test
    void plainHelloIsAnsweredAtOnceAndNotStreamed() {
        CommandReply reply = engine.commands().run(new BsonDocument("hello", new BsonInt32(1))
                .append("$db", new BsonString("admin")), client);
        assertEquals(0, reply.awaitMillis());
        assertNull(reply.next());
        assertEquals(current(), reply.document().getDocument("topologyVersion"));
    }

    @Test
    void currentTopologyVersionWaitsMaxAwaitTimeAndStreamsTheSameCommand() {
        for (String name : new String[] {"hello", "isMaster", "ismaster"}) {
            BsonDocument command = hello(name, current(), 750);
            CommandReply reply = engine.commands().run(command, client);
            assertEquals(750, reply.awaitMillis(), name);
            assertEquals(command, reply.next(), name + ": the stream repeats the command");
        }
    }

    @Test
    void anotherProcessIsAnsweredAtOnceAndTheStreamContinuesWithTheCurrentVersion() {
        BsonDocument stale = new BsonDocument("processId", new BsonObjectId(new ObjectId())).append("counter", new BsonInt64(3));
        CommandReply reply = engine.commands().run(hello("hello", stale, 750), client);
        assertEquals(0, reply.awaitMillis());
        assertEquals(hello("hello", current(), 750), reply.next());
    }

    @Test
    void executeNeverWaitsAndErrorsAreNotStreamed() {
        assertEquals(1.0, engine.commands().execute(hello("hello", current(), 600_000), client).getNumber("ok").doubleValue());
        CommandReply error = engine.commands().run(hello("hello", current(), -5), client);
        assertEquals(31373, error.document().getInt32("code").getValue());
        assertEquals("Location31373", error.document().getString("codeName").getValue());
        assertEquals(0, error.awaitMillis());
        assertNull(error.next());
    }
}
