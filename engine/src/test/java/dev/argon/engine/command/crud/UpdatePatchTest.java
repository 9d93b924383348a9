package dev.argon.engine.command.crud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.engine.Engine;
import dev.argon.engine.ServerStats;
import dev.argon.engine.command.ClientContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An {@code update} by {@code _id} of one top-level field changes the stored bytes in place (Updater.patch);
 * {@code findAndModify} of the same statement takes the general path (decode, apply, encode). Both run the same
 * random statements on equal documents, and every stored document, count and error must agree, byte for byte.
 */
class UpdatePatchTest {
    private static final org.bson.json.JsonWriterSettings EXTENDED =
            org.bson.json.JsonWriterSettings.builder().outputMode(org.bson.json.JsonMode.EXTENDED).build();
    private final ClientContext client = new ClientContext(1, "127.0.0.1:50000", "localhost", 27017);
    private Path dir;
    private Engine engine;

    @BeforeEach
    void open() throws IOException {
        dir = Files.createTempDirectory("argon-patch-");
        engine = new Engine(dir, new ServerStats());
    }

    @AfterEach
    void close() throws IOException {
        engine.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private BsonDocument run(BsonDocument command) {
        return engine.commands().execute(command.append("$db", new BsonString("test")), client);
    }

    private static final String[] FIELDS = {"a", "b", "c", "n", "arr", "sub", "zz"};

    private static BsonValue value(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> new BsonInt32(r.nextInt(5));
            case 1 -> new BsonInt64(r.nextInt(5));
            case 2 -> new BsonDouble(r.nextInt(5) / 2.0);
            case 3 -> new BsonString("s" + r.nextInt(3));
            case 4 -> BsonNull.VALUE;
            case 5 -> new BsonArray(List.of(new BsonInt32(r.nextInt(3)), new BsonDocument("k", new BsonInt32(r.nextInt(2)))));
            case 6 -> new BsonDocument("k", new BsonInt32(r.nextInt(2))).append("m", new BsonString("x"));
            default -> new BsonString("x".repeat(r.nextInt(40)));
        };
    }

    private static BsonDocument update(Random r) {
        String f = FIELDS[r.nextInt(FIELDS.length)];
        return switch (r.nextInt(9)) {
            case 0, 1, 2 -> new BsonDocument("$set", new BsonDocument(f, value(r)));
            case 3 -> new BsonDocument("$inc", new BsonDocument(f, r.nextBoolean() ? new BsonInt32(1) : new BsonDouble(0.5)));
            case 4 -> new BsonDocument("$unset", new BsonDocument(f, new BsonString("")));
            case 5 -> new BsonDocument("$push", new BsonDocument(f, value(r)));
            case 6 -> new BsonDocument("$max", new BsonDocument(f, value(r)));
            case 7 -> new BsonDocument("$addToSet", new BsonDocument(f, value(r)));
            default -> new BsonDocument("$pop", new BsonDocument(f, new BsonInt32(r.nextBoolean() ? 1 : -1)));
        };
    }

    private BsonDocument stored(String coll, int id) {
        BsonDocument r = run(new BsonDocument("find", new BsonString(coll)).append("filter", new BsonDocument("_id", new BsonInt32(id))));
        BsonArray batch = r.getDocument("cursor").getArray("firstBatch");
        return batch.isEmpty() ? null : batch.get(0).asDocument();
    }

    @Test
    void patchedUpdatesStoreWhatTheGeneralPathStores() {
        Random r = new Random(7);
        for (String coll : new String[] {"p", "g"}) {
            BsonArray docs = new BsonArray();
            for (int i = 0; i < 5; i++) {
                docs.add(new BsonDocument("_id", new BsonInt32(i)).append("a", new BsonInt32(i)).append("arr", new BsonArray())
                        .append("sub", new BsonDocument("k", new BsonInt32(1))).append("b", new BsonString("t")));
            }
            run(new BsonDocument("insert", new BsonString(coll)).append("documents", docs));
        }
        int modified = 0;
        int failed = 0;
        for (int step = 0; step < 800; step++) {
            int id = r.nextInt(6); // id 5 does not exist
            BsonDocument u = update(r);
            BsonDocument q = new BsonDocument("_id", new BsonInt32(id));
            BsonDocument patched = run(new BsonDocument("update", new BsonString("p"))
                    .append("updates", new BsonArray(List.of(new BsonDocument("q", q).append("u", u)))));
            BsonDocument general = run(new BsonDocument("findAndModify", new BsonString("g")).append("query", q).append("update", u));
            String what = "step " + step + " " + u.toJson() + " on " + id;
            assertEquals(1.0, patched.getNumber("ok").doubleValue(), what);
            if (general.getNumber("ok").doubleValue() == 0) {
                failed++;
                assertTrue(patched.containsKey("writeErrors"), what + ": " + patched.toJson());
                BsonDocument e = patched.getArray("writeErrors").get(0).asDocument();
                assertEquals(general.get("code"), e.get("code"), what);
                assertEquals(general.get("errmsg"), e.get("errmsg"), what);
            } else {
                int n = general.getDocument("lastErrorObject").getNumber("n").intValue();
                assertEquals(n, patched.getNumber("n").intValue(), what);
                modified += patched.getNumber("nModified").intValue();
            }
            BsonDocument a = stored("p", id);
            BsonDocument b = stored("g", id);
            // Extended JSON keeps types apart (1, 1L and 1.0) and shows the field order.
            assertEquals(b == null ? null : b.toJson(EXTENDED), a == null ? null : a.toJson(EXTENDED), what);
            if (a != null) {
                assertEquals(List.copyOf(b.keySet()), List.copyOf(a.keySet()), what + ": field order");
            }
        }
        assertTrue(modified > 150 && failed > 10, "the statements cover changes and errors: " + modified + ", " + failed);
    }
}
