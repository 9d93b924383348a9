package dev.argon.proxy.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.argon.proxy.it.ArgonTestBase;
import dev.argon.proxy.wire.Frames;
import dev.argon.proxy.wire.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The BSON corpus of the MongoDB specifications run against Argon's own BSON handling over a raw socket:
 * <ul>
 * <li>each {@code valid} case's canonical BSON, embedded byte for byte as field {@code d} of {@code {_id, d}} in an
 * OP_MSG document sequence, is inserted and read back with {@code find}; the bytes of {@code d} in the reply must be
 * the canonical bytes;</li>
 * <li>each {@code decodeErrors} case's bytes, sent as a document of an insert's document sequence inside an intact
 * OP_MSG, must get an error reply on a connection that stays open, while another connection keeps working and
 * every document stored so far is still there.</li>
 * </ul>
 * A case Argon is known to get wrong is listed in {@link #KNOWN_GAPS} with the name of the gap: it is reported as
 * aborted with that name, and fails the build if it starts passing (so the list cannot go stale). Pass counts per
 * file are printed and written to {@code target/bson-corpus-report.txt}; docs/CONFORMANCE.md lists the gaps.
 *
 * <p>The corpus is CC BY-NC-SA licensed and is never copied into the repository: it is read where it lies, from the
 * system property {@code argon.bsoncorpus.dir}, the environment variable {@code ARGON_BSON_CORPUS_DIR}, or the first
 * {@code shared/conformance/bson-corpus} found in the project directory's parents. Without it the suite is skipped
 * with a message saying where it looked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BsonCorpusIT extends ArgonTestBase {
    private static final String DB = "corpus";
    private static final String COLLECTION = "bson";

    /** "file: case description" of the cases Argon does not pass, with the gap each one shows. */
    static final Map<String, String> KNOWN_GAPS = Map.of();

    private final Map<String, int[]> counts = new LinkedHashMap<>();
    private int nextId;

    static Path locate() {
        String configured = System.getProperty("argon.bsoncorpus.dir");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("ARGON_BSON_CORPUS_DIR");
        }
        if (configured != null && !configured.isBlank()) {
            return Files.isDirectory(Path.of(configured)) ? Path.of(configured) : null;
        }
        Path start = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/conformance/bson-corpus");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    @TestFactory
    Stream<DynamicNode> corpus() throws IOException {
        Path dir = locate();
        if (dir == null) {
            abort("BSON corpus not found: set -Dargon.bsoncorpus.dir or ARGON_BSON_CORPUS_DIR, or place it in "
                    + "shared/conformance/bson-corpus above " + System.getProperty("basedir", System.getProperty("user.dir")));
        }
        List<DynamicNode> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path file : s.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                files.add(file(file));
            }
        }
        return files.stream();
    }

    private DynamicContainer file(Path path) {
        String name = path.getFileName().toString();
        BsonDocument spec;
        try {
            spec = BsonDocument.parse(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int[] count = counts.computeIfAbsent(name, k -> new int[4]);
        List<DynamicNode> cases = new ArrayList<>();
        for (BsonValue v : spec.getArray("valid", new org.bson.BsonArray())) {
            BsonDocument c = v.asDocument();
            String description = c.getString("description").getValue();
            count[1]++;
            cases.add(DynamicTest.dynamicTest("valid: " + description, () -> verdict(name, description, count, 0,
                    () -> roundTrip(HexFormat.of().parseHex(c.getString("canonical_bson").getValue())))));
        }
        for (BsonValue v : spec.getArray("decodeErrors", new org.bson.BsonArray())) {
            BsonDocument c = v.asDocument();
            String description = c.getString("description").getValue();
            count[3]++;
            cases.add(DynamicTest.dynamicTest("decodeError: " + description, () -> verdict(name, description, count, 2,
                    () -> refused(HexFormat.of().parseHex(c.getString("bson").getValue())))));
        }
        return DynamicContainer.dynamicContainer(name, cases);
    }

    interface Check {
        void run() throws Exception;
    }

    /** Runs one case; counts a pass in {@code count[slot]}, or reports the known gap it shows. */
    private void verdict(String file, String description, int[] count, int slot, Check check) throws Exception {
        String gap = KNOWN_GAPS.get(file + ": " + description);
        try {
            check.run();
        } catch (AssertionError e) {
            if (gap != null) {
                abort("known gap: " + gap + " (" + e.getMessage() + ")");
            }
            throw e;
        }
        if (gap != null) {
            fail("listed as the known gap '" + gap + "' but passes now: remove it from KNOWN_GAPS and docs/CONFORMANCE.md");
        }
        count[slot]++;
    }

    /** Inserts {_id, d: canonical} as raw bytes and checks that find returns d's bytes unchanged. */
    private void roundTrip(byte[] canonical) throws IOException {
        int id = ++nextId;
        byte[] wrapper = wrap(id, canonical);
        BsonDocument insert = new BsonDocument("insert", new BsonString(COLLECTION)).append("$db", new BsonString(DB));
        try (RawClient raw = new RawClient(server.port())) {
            BsonDocument reply = raw.call(Frames.opMsg(id, 0, insert, sequence("documents", wrapper))).document();
            assertEquals(1.0, reply.getNumber("ok").doubleValue(), () -> "insert refused: " + reply.toJson());
            assertTrue(!reply.containsKey("writeErrors"), () -> "insert refused: " + reply.toJson());
            BsonDocument find = new BsonDocument("find", new BsonString(COLLECTION)).append("$db", new BsonString(DB))
                    .append("filter", new BsonDocument("_id", new BsonInt32(id)));
            byte[] message = raw.send(Frames.opMsg(id, 0, find)).readRaw();
            RawBsonDocument body = new RawBsonDocument(message, 21, message.length - 21);
            var batch = body.getDocument("cursor").getArray("firstBatch");
            assertEquals(1, batch.size(), () -> "find returned " + body.toJson());
            RawBsonDocument d = (RawBsonDocument) batch.get(0).asDocument().getDocument("d");
            ByteBuffer bytes = d.getByteBuffer().asNIO();
            byte[] back = new byte[bytes.remaining()];
            bytes.get(back);
            assertArrayEquals(canonical, back, () -> "stored as " + HexFormat.of().withUpperCase().formatHex(back));
        }
    }

    /** Sends the bytes as a document of an insert's sequence: an error reply, the connection open, the data intact. */
    private void refused(byte[] bad) throws IOException {
        BsonDocument insert = new BsonDocument("insert", new BsonString(COLLECTION)).append("$db", new BsonString(DB));
        BsonDocument ping = new BsonDocument("ping", new BsonInt32(1)).append("$db", new BsonString(DB));
        long before = client.getDatabase(DB).getCollection(COLLECTION).countDocuments();
        try (RawClient raw = new RawClient(server.port()); RawClient other = new RawClient(server.port())) {
            BsonDocument reply = raw.call(Frames.opMsg(1, 0, insert, sequence("documents", bad))).document();
            assertEquals(0.0, reply.getNumber("ok").doubleValue(), () -> "accepted: " + reply.toJson() + " as "
                    + client.getDatabase(DB).getCollection(COLLECTION, BsonDocument.class).find().sort(new BsonDocument("_id", new BsonInt32(-1))).first());
            assertEquals(22, reply.getInt32("code").getValue(), reply::toJson);
            assertEquals(1.0, raw.call(Frames.opMsg(2, 0, ping)).document().getNumber("ok").doubleValue(),
                    "the connection carries on after an error reply");
            assertEquals(1.0, other.call(Frames.opMsg(3, 0, ping)).document().getNumber("ok").doubleValue());
        }
        assertEquals(before, client.getDatabase(DB).getCollection(COLLECTION).countDocuments(), "stored documents");
    }

    /** {_id: id, d: <embedded>} with the embedded document's bytes copied verbatim. */
    private static byte[] wrap(int id, byte[] embedded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[4]);
        out.write(0x10);
        out.writeBytes("_id\0".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(id).array());
        out.write(0x03);
        out.writeBytes("d\0".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(embedded);
        out.write(0);
        byte[] doc = out.toByteArray();
        ByteBuffer.wrap(doc).order(ByteOrder.LITTLE_ENDIAN).putInt(0, doc.length);
        return doc;
    }

    /** A kind-1 section holding exactly {@code documents}, valid BSON or not. */
    private static byte[] sequence(String identifier, byte[] documents) {
        byte[] id = identifier.getBytes(StandardCharsets.UTF_8);
        int size = 4 + id.length + 1 + documents.length;
        return ByteBuffer.allocate(1 + size).order(ByteOrder.LITTLE_ENDIAN).put((byte) 1).putInt(size).put(id)
                .put((byte) 0).put(documents).array();
    }

    @AfterAll
    void report() throws IOException {
        StringBuilder sb = new StringBuilder("BSON corpus against Argon\nfile                          valid        decodeErrors\n");
        int[] total = new int[4];
        counts.forEach((file, c) -> {
            sb.append(String.format("%-28s %4d / %-4d   %4d / %-4d%n", file, c[0], c[1], c[2], c[3]));
            for (int i = 0; i < 4; i++) {
                total[i] += c[i];
            }
        });
        sb.append(String.format("%-28s %4d / %-4d   %4d / %-4d%n", "total", total[0], total[1], total[2], total[3]));
        System.out.print(sb);
        Path target = Path.of(System.getProperty("basedir", "."), "target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("bson-corpus-report.txt"), sb.toString());
        }
    }
}
