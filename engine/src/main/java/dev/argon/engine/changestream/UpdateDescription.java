package dev.argon.engine.changestream;

import java.util.ArrayList;
import java.util.List;
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
 * With {@code showExpandedEvents}, {@code disambiguatedPaths} lists, for every reported path that holds a field
 * name containing a dot or made of digits (so the dotted path alone is ambiguous), the path's components, with
 * array indexes as integers and field names as strings. Stateless.
 */
final class UpdateDescription {
    private UpdateDescription() {
    }

    static BsonDocument of(BsonDocument pre, BsonDocument post) {
        return of(pre, post, false);
    }

    static BsonDocument of(BsonDocument pre, BsonDocument post, boolean expanded) {
        Diff d = new Diff();
        d.documents(new Path(), pre, post);
        BsonDocument out = new BsonDocument("updatedFields", d.updated).append("removedFields", d.removed)
                .append("truncatedArrays", d.truncated);
        if (expanded) {
            out.append("disambiguatedPaths", d.disambiguated);
        }
        return out;
    }

    /** A path's components and whether any field name in it is ambiguous in dotted form. Immutable. */
    private record Path(List<BsonValue> parts, String dotted, boolean ambiguous) {
        Path() {
            this(List.of(), "", false);
        }

        Path field(String name) {
            boolean odd = name.contains(".") || (!name.isEmpty() && name.chars().allMatch(Character::isDigit));
            return with(new BsonString(name), name, odd);
        }

        Path index(int i) {
            return with(new BsonInt32(i), Integer.toString(i), false);
        }

        private Path with(BsonValue part, String text, boolean odd) {
            List<BsonValue> p = new ArrayList<>(parts);
            p.add(part);
            return new Path(p, dotted.isEmpty() ? text : dotted + "." + text, ambiguous || odd);
        }
    }

    /** The parts of one description being built. Not thread-safe. */
    private static final class Diff {
        final BsonDocument updated = new BsonDocument();
        final BsonArray removed = new BsonArray();
        final BsonArray truncated = new BsonArray();
        final BsonDocument disambiguated = new BsonDocument();

        private void note(Path p) {
            if (p.ambiguous()) {
                disambiguated.put(p.dotted(), new BsonArray(p.parts()));
            }
        }

        void documents(Path prefix, BsonDocument pre, BsonDocument post) {
            for (String k : pre.keySet()) {
                if (!post.containsKey(k)) {
                    Path p = prefix.field(k);
                    removed.add(new BsonString(p.dotted()));
                    note(p);
                }
            }
            for (Map.Entry<String, BsonValue> e : post.entrySet()) {
                Path path = prefix.field(e.getKey());
                BsonValue before = pre.get(e.getKey());
                BsonValue after = e.getValue();
                if (before == null) {
                    set(path, after);
                } else if (!before.equals(after)) {
                    values(path, before, after);
                }
            }
        }

        private void set(Path p, BsonValue v) {
            updated.append(p.dotted(), v);
            note(p);
        }

        private void values(Path path, BsonValue before, BsonValue after) {
            if (before.isDocument() && after.isDocument()) {
                documents(path, before.asDocument(), after.asDocument());
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
                    set(path, after);
                    return;
                }
                if (a.size() < b.size()) {
                    truncated.add(new BsonDocument("field", new BsonString(path.dotted())).append("newSize", new BsonInt32(a.size())));
                    note(path);
                }
                for (int i = 0; i < a.size(); i++) {
                    if (i >= common) {
                        set(path.index(i), a.get(i));
                    } else if (!a.get(i).equals(b.get(i))) {
                        values(path.index(i), b.get(i), a.get(i));
                    }
                }
            } else {
                set(path, after);
            }
        }
    }
}
