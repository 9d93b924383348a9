package dev.argon.engine.update;

import java.util.Iterator;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Exact BSON equality (same types, same field order), the test MongoDB uses to decide that an update of
 * a field is a no-op. Differs from comparison equality, where 1 equals 1.0. Stateless.
 */
final class Identical {
    private Identical() {}

    static boolean same(BsonValue a, BsonValue b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null || a.getBsonType() != b.getBsonType()) {
            return false;
        }
        if (a instanceof BsonDocument) {
            BsonDocument x = (BsonDocument) a;
            BsonDocument y = (BsonDocument) b;
            if (x.size() != y.size()) {
                return false;
            }
            Iterator<Map.Entry<String, BsonValue>> ix = x.entrySet().iterator();
            Iterator<Map.Entry<String, BsonValue>> iy = y.entrySet().iterator();
            while (ix.hasNext()) {
                Map.Entry<String, BsonValue> ex = ix.next();
                Map.Entry<String, BsonValue> ey = iy.next();
                if (!ex.getKey().equals(ey.getKey()) || !same(ex.getValue(), ey.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof BsonArray) {
            BsonArray x = (BsonArray) a;
            BsonArray y = (BsonArray) b;
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }
}
