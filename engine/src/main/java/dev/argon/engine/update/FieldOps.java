package dev.argon.engine.update;

import dev.argon.engine.ArgonException;
import dev.argon.engine.aggregate.Values;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.bson.BsonDateTime;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;

/** $set, $setOnInsert, $unset and $currentDate. */
final class FieldOps {
    private FieldOps() {}

    static final class Set extends UpdateOp {
        private final BsonValue value;
        private final boolean insertOnly;

        Set(String operator, UpdatePath path, BsonValue value) {
            super(operator, path);
            this.value = value;
            this.insertOnly = operator.equals("$setOnInsert");
        }

        @Override
        boolean creates() {
            return true;
        }

        @Override
        List<String[]> targets(WorkingDoc doc) {
            return insertOnly && !doc.insert ? Collections.emptyList() : super.targets(doc);
        }

        @Override
        void applyAt(WorkingDoc.Slot slot, WorkingDoc doc) {
            if (!Identical.same(slot.get(), value)) {
                slot.set(Values.copy(value));
            }
        }
    }

    static final class Unset extends UpdateOp {
        Unset(UpdatePath path) {
            super("$unset", path);
        }

        @Override
        boolean creates() {
            return false;
        }

        @Override
        void applyAt(WorkingDoc.Slot slot, WorkingDoc doc) {
            slot.remove();
        }
    }

    static final class CurrentDate extends UpdateOp {
        private final boolean timestamp;

        CurrentDate(UpdatePath path, BsonValue spec) {
            super("$currentDate", path);
            this.timestamp = parse(spec);
        }

        private static boolean parse(BsonValue spec) {
            if (spec.isBoolean()) {
                return false;
            }
            if (!spec.isDocument()) {
                throw ArgonException.badValue(Values.typeName(spec) + " is not valid type for $currentDate. Please use a "
                        + "boolean ('true') or a $type expression ({$type: 'timestamp/date'}).");
            }
            Boolean ts = null;
            for (Map.Entry<String, BsonValue> e : spec.asDocument().entrySet()) {
                if (!e.getKey().equals("$type")) {
                    throw ArgonException.badValue("Unrecognized $currentDate option: " + e.getKey());
                }
                BsonValue t = e.getValue();
                if (t.isString() && t.asString().getValue().equals("date")) {
                    ts = false;
                } else if (t.isString() && t.asString().getValue().equals("timestamp")) {
                    ts = true;
                } else {
                    ts = null;
                    break;
                }
            }
            if (ts == null) {
                throw ArgonException.badValue("The '$type' string field is required to be 'date' or 'timestamp': "
                        + "{$currentDate: {field : {$type: 'date'}}}");
            }
            return ts;
        }

        @Override
        boolean creates() {
            return true;
        }

        @Override
        void applyAt(WorkingDoc.Slot slot, WorkingDoc doc) {
            BsonValue now = timestamp ? new BsonTimestamp((int) (doc.nowMillis / 1000), 1) : new BsonDateTime(doc.nowMillis);
            slot.set(now);
        }
    }

}
