package dev.argon.engine.aggregate;

import static dev.argon.engine.aggregate.Args.error;

import dev.argon.engine.MongoErrorCode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonValue;

/** $group: a blocking stage that hashes documents by the _id expression and runs accumulators per group. */
final class GroupStage implements Stage {
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
            private Iterator<Map.Entry<ValueKey, Accumulators.Accumulator[]>> groups;

            @Override
            public boolean hasNext() {
                if (groups == null) {
                    groups = group(input, ctx).entrySet().iterator();
                }
                return groups.hasNext();
            }

            @Override
            public BsonDocument next() {
                hasNext();
                Map.Entry<ValueKey, Accumulators.Accumulator[]> g = groups.next();
                groups.remove();
                BsonValue key = g.getKey().value();
                BsonDocument out = new BsonDocument("_id", key == null ? BsonNull.VALUE : key);
                Accumulators.Accumulator[] accs = g.getValue();
                for (int i = 0; i < accs.length; i++) {
                    BsonValue r = accs[i].result();
                    out.put(names.get(i), r == null ? BsonNull.VALUE : r);
                }
                return out;
            }
        };
    }

    private Map<ValueKey, Accumulators.Accumulator[]> group(Iterator<BsonDocument> input, RunContext ctx) {
        Map<ValueKey, Accumulators.Accumulator[]> groups = new LinkedHashMap<>();
        while (input.hasNext()) {
            BsonDocument doc = input.next();
            Variables vars = ctx.vars(doc);
            BsonValue key = id.evaluate(vars);
            Accumulators.Accumulator[] accs = groups.computeIfAbsent(new ValueKey(key == null ? BsonNull.VALUE : key),
                    k -> newAccumulators());
            for (int i = 0; i < accs.length; i++) {
                accs[i].add(arguments.get(i).evaluate(vars));
            }
        }
        return groups;
    }

    private Accumulators.Accumulator[] newAccumulators() {
        Accumulators.Accumulator[] accs = new Accumulators.Accumulator[factories.size()];
        for (int i = 0; i < accs.length; i++) {
            accs[i] = factories.get(i).get();
        }
        return accs;
    }
}
