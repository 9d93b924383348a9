package dev.argon.engine.aggregate;

import static dev.argon.engine.aggregate.Args.error;

import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.spill.ExternalSorter;
import dev.argon.engine.spill.Spill;
import dev.argon.engine.spill.StageLimits;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonValue;

/**
 * $group: a blocking stage that hashes documents by the _id expression and runs accumulators per group, spilling
 * partial states sorted by key when they pass the command's group memory limit (see {@link #group}). Over an
 * input sorted on its {@code _id} field ({@link #streaming}) it streams instead: each run of documents the sort
 * holds equal is grouped alone and emitted before the next is read. Immutable; each run has its own state.
 */
final class GroupStage implements Stage {
    /** Per group beyond its key and states: the table entry, the key wrapper, the accumulator array. */
    private static final long GROUP_OVERHEAD = 64;
    private static final Comparator<BsonDocument> BY_KEY = (a, b) -> Values.compare(a.get("k"), b.get("k"));

    private final Expression id;
    /** The _id specification as written, to recognise a plain field path. */
    private final BsonValue idSpec;
    /** With a sorted input: equal under this comparator means "same run" (null: not streaming). */
    private final Comparator<BsonDocument> runs;
    private final List<String> names = new ArrayList<>();
    private final List<Function<StageLimits, Accumulators.Accumulator>> factories = new ArrayList<>();
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
        this.idSpec = spec.asDocument().get("_id");
        this.runs = null;
    }

    private GroupStage(GroupStage base, Comparator<BsonDocument> runs) {
        this.id = base.id;
        this.idSpec = base.idSpec;
        this.names.addAll(base.names);
        this.factories.addAll(base.factories);
        this.arguments.addAll(base.arguments);
        this.runs = runs;
    }

    /**
     * This group over an input sorted by {@code sort}, when its {@code _id} is the sort's first field
     * ({@code "$f"}), or null. Every document of one group then lies in one run of documents the sort holds equal
     * on {@code f} (equal values have equal sort keys, arrays included), so grouping run by run gives the same
     * groups in the same order, holding one run's groups at a time instead of all of them.
     */
    GroupStage streaming(BsonDocument sort) {
        if (sort == null || sort.isEmpty() || !idSpec.isString()) {
            return null;
        }
        String path = idSpec.asString().getValue();
        if (!path.startsWith("$") || path.startsWith("$$") || !path.substring(1).equals(sort.getFirstKey())) {
            return null;
        }
        String field = sort.getFirstKey();
        return new GroupStage(this, dev.argon.engine.query.SortSpec.compile(new BsonDocument(field, sort.get(field))).comparator());
    }

    @Override
    public Iterator<BsonDocument> apply(Iterator<BsonDocument> input, RunContext ctx) {
        if (runs != null) {
            return streamed(input, ctx);
        }
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
                accs = newAccumulators(spill.stageLimits());
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
        return merged(runs.sorted(), spill.stageLimits());
    }

    /** Groups each run of sort-equal documents alone ({@link #group}, limits and all) and emits its groups. */
    private Iterator<BsonDocument> streamed(Iterator<BsonDocument> input, RunContext ctx) {
        return new Iterator<>() {
            /** The first document of the next run, already read. */
            private BsonDocument pending;
            private Iterator<BsonDocument> groups = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!groups.hasNext()) {
                    if (pending == null && !input.hasNext()) {
                        return false;
                    }
                    BsonDocument first = pending != null ? pending : input.next();
                    pending = null;
                    groups = group(run(first), ctx.spill(), ctx);
                }
                return true;
            }

            @Override
            public BsonDocument next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return groups.next();
            }

            /** first, then the input's documents while the sort holds them equal to it; the next one stays pending. */
            private Iterator<BsonDocument> run(BsonDocument first) {
                return new Iterator<>() {
                    private BsonDocument next = first;

                    @Override
                    public boolean hasNext() {
                        if (next == null && pending == null && input.hasNext()) {
                            BsonDocument d = input.next();
                            if (runs.compare(first, d) == 0) {
                                next = d;
                            } else {
                                pending = d;
                            }
                        }
                        return next != null;
                    }

                    @Override
                    public BsonDocument next() {
                        if (!hasNext()) {
                            throw new java.util.NoSuchElementException();
                        }
                        BsonDocument d = next;
                        next = null;
                        return d;
                    }
                };
            }
        };
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
    private Iterator<BsonDocument> merged(Iterator<BsonDocument> records, StageLimits limits) {
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
                Accumulators.Accumulator[] accs = newAccumulators(limits);
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

    private Accumulators.Accumulator[] newAccumulators(StageLimits limits) {
        Accumulators.Accumulator[] accs = new Accumulators.Accumulator[factories.size()];
        for (int i = 0; i < accs.length; i++) {
            accs[i] = factories.get(i).apply(limits);
        }
        return accs;
    }
}
