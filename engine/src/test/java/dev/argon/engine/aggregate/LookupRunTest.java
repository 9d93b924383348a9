package dev.argon.engine.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.argon.engine.ArgonException;
import dev.argon.engine.spill.Spill;
import dev.argon.engine.spill.SpillSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

/**
 * $lookup's ways of finding matches give one answer: the in-memory table, once the foreign collection passes the
 * table limit a scan per block of documents or per document, and each of them with the following $unwind absorbed (compared with
 * the same $unwind kept apart by an empty $match). Random local and foreign documents with scalars, arrays, nulls
 * and missing fields, a top-level and a dotted {@code as}, every $unwind option.
 */
class LookupRunTest {
    private static final long BIG = 100L * 1024 * 1024;

    private static List<BsonDocument> run(List<BsonDocument> stages, List<BsonDocument> input, List<BsonDocument> foreign,
                                          long tableBytes, long resultBytes) {
        SpillSettings settings = new SpillSettings(null);
        settings.lookupHashLimitBytes(tableBytes);
        settings.lookupResultLimitBytes(resultBytes);
        Pipeline p = Pipeline.compile(stages, name -> name.equals("f") ? foreign.iterator() : java.util.Collections.emptyIterator());
        List<BsonDocument> out = new ArrayList<>();
        try (Spill spill = settings.begin(false)) {
            p.run(input.iterator(), spill).forEachRemaining(out::add);
        }
        return out;
    }

    private static BsonValue randomValue(Random rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> BsonNull.VALUE;
            case 1 -> new BsonArray(List.of(new BsonInt32(rnd.nextInt(6)), new BsonInt32(rnd.nextInt(6))));
            case 2 -> new BsonString("s" + rnd.nextInt(3));
            default -> new BsonInt32(rnd.nextInt(6));
        };
    }

    private static List<BsonDocument> randomDocs(Random rnd, int n, String field) {
        List<BsonDocument> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BsonDocument d = new BsonDocument("_id", new BsonInt32(i));
            if (rnd.nextInt(8) != 0) {
                d.put(field, randomValue(rnd));
            }
            if (rnd.nextInt(4) == 0) {
                d.put("x", rnd.nextBoolean() ? new BsonDocument("y", new BsonInt32(1)) : new BsonInt32(5));
            }
            out.add(d);
        }
        return out;
    }

    @Test
    void tableNestedLoopAndAbsorbedUnwindAgree() {
        Random rnd = new Random(20261201);
        for (int round = 0; round < 40; round++) {
            List<BsonDocument> local = randomDocs(rnd, 1 + rnd.nextInt(30), "fk");
            List<BsonDocument> foreign = randomDocs(rnd, rnd.nextInt(40), "k");
            String as = rnd.nextBoolean() ? "m" : "x.m";
            BsonDocument lookup = rnd.nextBoolean()
                    ? BsonDocument.parse("{$lookup: {from: 'f', localField: 'fk', foreignField: 'k', as: '" + as + "'}}")
                    : BsonDocument.parse("{$lookup: {from: 'f', let: {v: '$fk'}, pipeline: [{$match: {$expr: {$eq: ['$k', '$$v']}}},"
                            + " {$project: {x: 0}}], as: '" + as + "'}}");
            BsonDocument unwindSpec = new BsonDocument("path", new BsonString("$" + as));
            if (rnd.nextBoolean()) {
                unwindSpec.put("includeArrayIndex", new BsonString("i"));
            }
            if (rnd.nextBoolean()) {
                unwindSpec.put("preserveNullAndEmptyArrays", org.bson.BsonBoolean.TRUE);
            }
            BsonDocument unwind = new BsonDocument("$unwind", unwindSpec);
            String what = "round " + round + ": " + lookup.toJson() + " " + unwind.toJson();

            List<BsonDocument> joined = run(List.of(lookup), local, foreign, BIG, BIG);
            List<BsonDocument> apart = run(List.of(lookup, BsonDocument.parse("{$match: {}}"), unwind), local, foreign, BIG, BIG);
            assertEquals(apart, run(List.of(lookup, unwind), local, foreign, BIG, BIG), what);
            // Table limits from one byte (a scan per document) to blocks of documents sharing a scan, some of whose
            // matches pass the limit (the block falls back to a scan per document).
            for (long table : List.of(1L, 200L, 500L, 1000L, 2000L)) {
                assertEquals(joined, run(List.of(lookup), local, foreign, table, BIG), what + " table " + table);
                assertEquals(apart, run(List.of(lookup, unwind), local, foreign, table, BIG), what + " table " + table);
            }
            // Absorbed, a one-byte cap on the matches does not apply: no array is built.
            assertEquals(apart, run(List.of(lookup, unwind), local, foreign, 1, 1), what);
        }
    }

    @Test
    void matchesPastTheirLimitFailWith4568() {
        List<BsonDocument> foreign = List.of(BsonDocument.parse("{_id: 1, k: 1, pad: 'xxxxxxxxxxxxxxxxxxxx'}"),
                BsonDocument.parse("{_id: 2, k: 1, pad: 'xxxxxxxxxxxxxxxxxxxx'}"));
        List<BsonDocument> local = List.of(BsonDocument.parse("{_id: 1, fk: 1}"));
        BsonDocument lookup = BsonDocument.parse("{$lookup: {from: 'f', localField: 'fk', foreignField: 'k', as: 'm'}}");
        int one = dev.argon.engine.bson.BsonSize.of(foreign.get(0));
        assertEquals(2, run(List.of(lookup), local, foreign, BIG, 2L * one).get(0).getArray("m").size());
        for (long table : List.of(BIG, 1L)) {
            ArgonException e = assertThrows(ArgonException.class, () -> run(List.of(lookup), local, foreign, table, 2L * one - 1));
            assertEquals(4568, e.code());
        }
    }
}
