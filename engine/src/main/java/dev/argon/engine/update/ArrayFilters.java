package dev.argon.engine.update;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.aggregate.BsonText;
import dev.argon.engine.query.Matcher;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The compiled arrayFilters of an update: one {@link Matcher} per identifier. An array element matches
 * {@code $[x]} when {@code {x: element}} matches the filter, which gives the filter's dotted paths
 * ({@code x.a}) their usual meaning. Immutable after compile except for the set of used identifiers,
 * which is only touched while the update is compiled.
 */
final class ArrayFilters {
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-zA-Z0-9]*");

    private final Map<String, Matcher> filters = new LinkedHashMap<>();
    private final Set<String> used = new HashSet<>();

    static ArrayFilters compile(List<BsonDocument> specs) {
        ArrayFilters af = new ArrayFilters();
        if (specs == null) {
            return af;
        }
        for (BsonDocument spec : specs) {
            String id = identifierOf(spec);
            if (af.filters.containsKey(id)) {
                throw ArgonException.failedToParse("Found multiple array filters with the same top-level field name " + id);
            }
            af.filters.put(id, Matcher.compile(spec));
        }
        return af;
    }

    private static String identifierOf(BsonDocument spec) {
        Set<String> ids = new HashSet<>();
        collect(spec, ids);
        if (ids.isEmpty()) {
            throw ArgonException.badValue("Cannot use an expression without a top-level field name in arrayFilters");
        }
        if (ids.size() > 1) {
            String[] two = ids.toArray(new String[0]);
            throw ArgonException.failedToParse("Error parsing array filter :: caused by :: Expected a single top-level "
                    + "field name, found '" + two[0] + "' and '" + two[1] + "'");
        }
        String id = ids.iterator().next();
        if (!IDENTIFIER.matcher(id).matches()) {
            throw ArgonException.badValue("Error parsing array filter :: caused by :: The top-level field name must be "
                    + "an alphanumeric string beginning with a lowercase letter, found '" + id + "'");
        }
        return id;
    }

    /** Identifiers are the first component of top-level paths, looking through $and/$or/$nor. */
    private static void collect(BsonDocument spec, Set<String> ids) {
        for (Map.Entry<String, BsonValue> e : spec.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("$")) {
                if (e.getValue().isArray()) {
                    for (BsonValue v : e.getValue().asArray()) {
                        if (v.isDocument()) {
                            collect(v.asDocument(), ids);
                        }
                    }
                }
                continue;
            }
            int dot = k.indexOf('.');
            ids.add(dot < 0 ? k : k.substring(0, dot));
        }
    }

    void use(String id, String path) {
        if (!filters.containsKey(id)) {
            throw ArgonException.badValue("No array filter found for identifier '" + id + "' in path '" + path + "'");
        }
        used.add(id);
    }

    /** Fails for a filter that no path of the update referenced. */
    void checkAllUsed(BsonValue update) {
        for (String id : filters.keySet()) {
            if (!used.contains(id)) {
                throw new ArgonException(MongoErrorCode.FAILED_TO_PARSE, "The array filter for identifier '" + id
                        + "' was not used in the update " + BsonText.format(update));
            }
        }
    }

    boolean isEmpty() {
        return filters.isEmpty();
    }

    boolean matches(String id, BsonValue element) {
        return filters.get(id).matches(new BsonDocument(id, element));
    }
}
