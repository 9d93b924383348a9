package dev.argon.bench.harness;

import java.util.SplittableRandom;
import org.bson.BsonDocument;
import org.bson.BsonString;

/**
 * Field values drawn from a fixed pool, so that building documents costs the client threads almost nothing (they
 * share two cores with the server). The pool is large enough that a storage block rarely holds a value twice.
 * Immutable and thread-safe.
 */
final class FieldValues {
    private static final int POOL = 4096;
    static final int FIELDS = 10;

    private final BsonString[] pool;

    FieldValues(int fieldSize, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        pool = new BsonString[POOL];
        char[] c = new char[fieldSize];
        for (int i = 0; i < POOL; i++) {
            for (int k = 0; k < fieldSize; k++) {
                c[k] = (char) ('a' + rnd.nextInt(26));
            }
            pool[i] = new BsonString(new String(c));
        }
    }

    BsonString any(SplittableRandom rnd) {
        return pool[rnd.nextInt(POOL)];
    }

    /** A YCSB record: {@code _id} and {@code field0..field9}. */
    BsonDocument record(long key, SplittableRandom rnd) {
        BsonDocument d = new BsonDocument("_id", new BsonString(KeySpace.key(key)));
        for (int f = 0; f < FIELDS; f++) {
            d.append("field" + f, any(rnd));
        }
        return d;
    }
}
