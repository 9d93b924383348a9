package dev.argon.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.bson.BsonArray;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.ObjectId;

/**
 * Deterministic test data and temporary directories for the benchmarks. The sample document looks like an
 * application record (ids, repeated enum-like strings, tags, numbers, a date, a little free text) because
 * compression and parsing costs depend on that shape; purely random bytes would make zstd and its
 * dictionary look useless. Stateless and thread-safe.
 */
public final class BenchData {
    private static final String[] COUNTRIES = {"DE", "FR", "US", "JP", "BR", "IN", "NG", "CA", "ES", "IT"};
    private static final String[] LABELS = {"cat", "dog", "bird", "fish", "unknown", "needs-review"};
    private static final String[] WORDS = {"the", "model", "label", "batch", "training", "feature", "agent",
        "memory", "vector", "image", "score", "review", "pass", "data", "set", "branch", "merge", "value"};

    private BenchData() {}

    /** An application-like document of roughly 300 bytes of BSON. */
    public static BsonDocument sampleDocument(Random rnd, long i) {
        BsonArray tags = new BsonArray();
        for (int t = 0, n = 1 + rnd.nextInt(4); t < n; t++) {
            tags.add(new BsonString(WORDS[rnd.nextInt(WORDS.length)]));
        }
        StringBuilder text = new StringBuilder();
        for (int w = 0, n = 5 + rnd.nextInt(10); w < n; w++) {
            text.append(WORDS[rnd.nextInt(WORDS.length)]).append(' ');
        }
        return new BsonDocument("_id", new BsonObjectId(new ObjectId((int) (1_700_000_000 + i), (int) i)))
                .append("user", new BsonString("user" + (i % 10_000)))
                .append("email", new BsonString("user" + (i % 10_000) + "@example.com"))
                .append("country", new BsonString(COUNTRIES[rnd.nextInt(COUNTRIES.length)]))
                .append("label", new BsonString(LABELS[rnd.nextInt(LABELS.length)]))
                .append("score", new BsonDouble(rnd.nextDouble()))
                .append("votes", new BsonInt32(rnd.nextInt(1000)))
                .append("tags", tags)
                .append("createdAt", new BsonDateTime(1_700_000_000_000L + i * 1000))
                .append("note", new BsonString(text.toString().trim()));
    }

    /** A YCSB-style record: a string key and ten fields of random letters, fieldSize characters each. */
    public static BsonDocument ycsbRecord(Random rnd, String key, int fieldSize) {
        BsonDocument d = new BsonDocument("_id", new BsonString(key));
        for (int f = 0; f < 10; f++) {
            d.append("field" + f, new BsonString(letters(rnd, fieldSize)));
        }
        return d;
    }

    public static String letters(Random rnd, int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = (char) ('a' + rnd.nextInt(26));
        }
        return new String(c);
    }

    /** A nested document of about {@code targetBytes} of BSON: the shape of a large feature record. */
    public static BsonDocument largeDocument(Random rnd, int targetBytes) {
        BsonDocument d = new BsonDocument("_id", new BsonString("large"));
        List<BsonValue> items = new ArrayList<>();
        long i = 0;
        int size = 0;
        while (size < targetBytes) {
            BsonDocument item = sampleDocument(rnd, i++);
            items.add(item);
            size += 300;
        }
        return d.append("items", new BsonArray(items));
    }

    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a directory tree; benchmark data directories can be hundreds of megabytes. */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
