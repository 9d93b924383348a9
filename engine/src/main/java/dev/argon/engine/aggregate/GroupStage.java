package dev.argon.engine.aggregate;

import static dev.argon.engine.aggregate.Args.error;

import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.spill.ExternalSorter;
import dev.argon.engine.spill.Spill;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonValue;

/**
 * $group: a blocking stage that hashes documents by the _id expression and runs accumulators per group, spilling
 * partial states sorted by key when they pass the command's group memory limit (see {@link #group}).
 */
final class GroupStage implements Stage {
    /** Per group beyond its key and states: the table entry, the key wrapper, the accumulator array. */
    private static final long GROUP_OVERHEAD = 64;
    private static final Comparator<BsonDocument> BY_KEY = (a, b) -> Values.compare(a.get("k"), b.get("k"));

    private final Expression id;
    private final List<String> names = new ArrayList<>();
    private final List<Supplier<Accumulators.Accumulator>> factories = new ArrayList<>();
    private final List<Expression> arguments = new ArrayList<>();

    GroupStage(BsonValue spec, Scope scope) {
        if (!spec.isDocument()) {
            throw error(MongoErrorCode.LOCATION_15947, "a group's fields must be specified in an object");
        }
        Expression idExpr = null;
        for (Map.Entry<String, BsonValue> e : spec.asDocument().entrySet()) {
            String name = e.getKey();
            if (name.equals("_id")) {
                idExpr = ExpressionParser.parse(e.getValue(), scope);
                continue;
            }
            if (name.indexOf('.') >= 0) {
                throw error(MongoErrorCode.LOCATION_40235, "The field name '" + name + "' cannot contain '.'");
            }
            if (name.startsWith("$")) {
                throw error(MongoErrorCode.LOCATION_40236, "The field name '" + name + "' cannot be an operator name");
            }
            BsonValue acc = e.getValue();
            if (!acc.isDocument()) {
                throw error(MongoErrorCode.LOCATION_40234, "The field '" + name + "' must be an accumulator object");
            }
            if (acc.asDocument().size() != 1) {
                throw error(MongoErrorCode.LOCATION_40238, "The field '" + name + "' must specify one accumulator");
            }
            String op = acc.asDocument().getFirstKey();
            BsonValue arg = acc.asDocument().get(op);
            names.add(name);
            factories.add(Accumulators.factory(op, arg));
            arguments.add(Accumulators.argument(op, arg, scope));
        }
        if (idExpr == null) {
            throw error(MongoErrorCode.LOCATION_15955, "a group specification must include an _id");
        }
        this.id = idExpr;
    }

    @Override
    public Iterator<BsonDocument> apply(Iterator<BsonDocument> input, RunContext ctx) {
        return new Iterator<>() {
            private Iterator<BsonDocument> groups;

            @Override
            public boolean hasNext() {
                if (groups == null) {
                    groups = group(input, ctx.spill(), ctx);
                }
                return groups.hasNext();
            }

            @Override
            public BsonDocument next() {
                hasNext();
                return groups.next();
            }
        };
    }

    /**
     * Groups in a hash table while its state (keys and accumulator states, in BSON bytes) stays under the group
     * limit, in the order groups first appear. Past it, the table is written as a run sorted by key, partial
     * states and all, and emptied; at the end the runs are merged by key and each key's partial states merged in
     * input order, so the results are those of one pass (groups then come in key order).
     */
    private Iterator<BsonDocument> group(Iterator<BsonDocument> input, Spill spill, RunContext ctx) {
        Map<ValueKey, Accumulators.Accumulator[]> groups = new LinkedHashMap<>();
        ExternalSorter runs = null;
        long bytes = 0;
        while (input.hasNext()) {
            BsonDocument doc = input.next();
            Variables vars = ctx.vars(doc);
            BsonValue key = id.evaluate(vars);
            ValueKey k = new ValueKey(key == null ? BsonNull.VALUE : key);
            Accumulators.Accumulator[] accs = groups.get(k);
            if (accs == null) {
                accs = newAccumulators();
                groups.put(k, accs);
                bytes += GROUP_OVERHEAD + Accumulators.size(k.value());
                for (Accumulators.Accumulator a : accs) {
                    bytes += a.bytes();
                }
            }
            for (int i = 0; i < accs.length; i++) {
                Accumulators.Accumulator a = accs[i];
                long before = a.bytes();
                a.add(arguments.get(i).evaluate(vars));
                bytes += a.bytes() - before;
            }
            if (bytes > spill.groupLimitBytes()) {
                if (!spill.allowsDisk()) {
                    throw spill.groupRefused();
                }
                if (runs == null) {
                    runs = new ExternalSorter(BY_KEY, spill, spill.groupLimitBytes(), spill::groupRefused);
                }
                runs.addSortedRun(sortedStates(groups));
                groups.clear();
                bytes = 0;
            }
        }
        if (runs == null) {
            return results(groups);
        }
        if (!groups.isEmpty()) {
            runs.addSortedRun(sortedStates(groups));
            groups.clear();
        }
        return merged(runs.sorted());
    }

    private Iterator<BsonDocument> results(Map<ValueKey, Accumulators.Accumulator[]> groups) {
        Iterator<Map.Entry<ValueKey, Accumulators.Accumulator[]>> it = groups.entrySet().iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public BsonDocument next() {
                Map.Entry<ValueKey, Accumulators.Accumulator[]> g = it.next();
                it.remove();
                return output(g.getKey().value(), g.getValue());
            }
        };
    }

    private BsonDocument output(BsonValue key, Accumulators.Accumulator[] accs) {
        BsonDocument out = new BsonDocument("_id", key == null ? BsonNull.VALUE : key);
        for (int i = 0; i < accs.length; i++) {
            BsonValue r = accs[i].result();
            out.put(names.get(i), r == null ? BsonNull.VALUE : r);
        }
        return out;
    }

    /** The table's groups as run records {@code {k: key, s: [state, ...]}}, sorted by key. */
    private static Iterator<BsonDocument> sortedStates(Map<ValueKey, Accumulators.Accumulator[]> groups) {
        List<Map.Entry<ValueKey, Accumulators.Accumulator[]>> entries = new ArrayList<>(groups.entrySet());
        entries.sort((a, b) -> Values.compare(a.getKey().value(), b.getKey().value()));
        Iterator<Map.Entry<ValueKey, Accumulators.Accumulator[]>> it = entries.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public BsonDocument next() {
                Map.Entry<ValueKey, Accumulators.Accumulator[]> g = it.next();
                BsonArray states = new BsonArray();
                for (Accumulators.Accumulator a : g.getValue()) {
                    states.add(a.state());
                }
                return new BsonDocument("k", g.getKey().value()).append("s", states);
            }
        };
    }

    /** Run records merged by key: consecutive records of one key become one group. */
    private Iterator<BsonDocument> merged(Iterator<BsonDocument> records) {
        return new Iterator<>() {
            private BsonDocument pending = records.hasNext() ? records.next() : null;

            @Override
            public boolean hasNext() {
                return pending != null;
            }

            @Override
            public BsonDocument next() {
                if (pending == null) {
                    throw new java.util.NoSuchElementException();
                }
                BsonValue key = pending.get("k");
                Accumulators.Accumulator[] accs = newAccumulators();
                while (pending != null && Values.compare(pending.get("k"), key) == 0) {
                    BsonArray states = pending.getArray("s");
                    for (int i = 0; i < accs.length; i++) {
                        accs[i].merge(states.get(i));
                    }
                    pending = records.hasNext() ? records.next() : null;
                }
                return output(key, accs);
            }
        };
    }

    private Accumulators.Accumulator[] newAccumulators() {
        Accumulators.Accumulator[] accs = new Accumulators.Accumulator[factories.size()];
        for (int i = 0; i < accs.length; i++) {
            accs[i] = factories.get(i).get();
        }
        return accs;
    }
}
