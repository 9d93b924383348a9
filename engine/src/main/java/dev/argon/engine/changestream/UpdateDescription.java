package dev.argon.engine.changestream;

import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * An update event's {@code updateDescription}, computed from the entry's pre- and post-image as mongod's delta
 * describes a change: a changed field inside an embedded document is reported by its dotted path, an array that
 * only grew reports its new elements ({@code "tags.2"}), one that only shrank reports {@code truncatedArrays}
 * ({@code {field, newSize}}) plus any changed elements, and a field whose type changed is reported whole.
 * {@code disambiguatedPaths} is not given (it only matters for field names that look like array indexes). Stateless.
 */
final class UpdateDescription {
    private UpdateDescription() {
    }

    static BsonDocument of(BsonDocument pre, BsonDocument post) {
        BsonDocument updated = new BsonDocument();
        BsonArray removed = new BsonArray();
        BsonArray truncated = new BsonArray();
        diffDocuments("", pre, post, updated, removed, truncated);
        return new BsonDocument("updatedFields", updated).append("removedFields", removed).append("truncatedArrays", truncated);
    }

    private static void diffDocuments(String prefix, BsonDocument pre, BsonDocument post, BsonDocument updated,
                                      BsonArray removed, BsonArray truncated) {
        for (String k : pre.keySet()) {
            if (!post.containsKey(k)) {
                removed.add(new BsonString(prefix + k));
            }
        }
        for (Map.Entry<String, BsonValue> e : post.entrySet()) {
            String path = prefix + e.getKey();
            BsonValue before = pre.get(e.getKey());
            BsonValue after = e.getValue();
            if (before == null) {
                updated.append(path, after);
            } else if (!before.equals(after)) {
                diffValues(path, before, after, updated, removed, truncated);
            }
        }
    }

    private static void diffValues(String path, BsonValue before, BsonValue after, BsonDocument updated, BsonArray removed,
                                   BsonArray truncated) {
        if (before.isDocument() && after.isDocument()) {
            diffDocuments(path + ".", before.asDocument(), after.asDocument(), updated, removed, truncated);
        } else if (before.isArray() && after.isArray()) {
            BsonArray b = before.asArray();
            BsonArray a = after.asArray();
            int common = Math.min(a.size(), b.size());
            int changed = 0;
            for (int i = 0; i < common; i++) {
                if (!a.get(i).equals(b.get(i))) {
                    changed++;
                }
            }
            // Element-wise only while that says less than the whole array would.
            if (changed > common / 2 && changed > 1) {
                updated.append(path, after);
                return;
            }
            if (a.size() < b.size()) {
                truncated.add(new BsonDocument("field", new BsonString(path)).append("newSize", new BsonInt32(a.size())));
            }
            for (int i = 0; i < a.size(); i++) {
                if (i >= common || !a.get(i).equals(b.get(i))) {
                    updated.append(path + "." + i, a.get(i));
                }
            }
        } else {
            updated.append(path, after);
        }
    }
}
