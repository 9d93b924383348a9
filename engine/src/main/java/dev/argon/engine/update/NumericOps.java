package dev.argon.engine.update;

import dev.argon.engine.ArgonException;
import dev.argon.engine.aggregate.Arith;
import dev.argon.engine.aggregate.BsonText;
import dev.argon.engine.aggregate.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonValue;

/** $inc, $mul, $min, $max and $bit. */
final class NumericOps {
    private NumericOps() {}

    /** $inc and $mul with MongoDB's numeric promotion; a long overflow is an error, as in MongoDB. */
    static final class Arithmetic extends UpdateOp {
        private final BsonValue operand;
        private final boolean multiply;

        Arithmetic(String operator, UpdatePath path, String field, BsonValue operand) {
            super(operator, path);
            this.multiply = operator.equals("$mul");
            if (!operand.isNumber()) {
                throw ArgonException.typeMismatch("Cannot " + (multiply ? "multiply" : "increment")
                        + " with non-numeric argument: {" + BsonText.element(field, operand) + "}");
            }
            this.operand = operand;
        }

        @Override
        boolean creates() {
            return true;
        }

        @Override
        void applyAt(WorkingDoc.Slot slot, WorkingDoc doc) {
            BsonValue cur = slot.get();
            if (cur == null) {
                slot.set(multiply ? Arith.multiply(new BsonInt32(0), operand, false) : operand);
                return;
            }
            if (!cur.isNumber()) {
                throw ArgonException.typeMismatch("Cannot apply " + operator + " to a value of non-numeric type. {"
                        + doc.idText() + "} has the field '" + fieldName(slot) + "' of non-numeric type " + typeName(cur));
            }
            BsonValue r = multiply ? Arith.multiply(cur, operand, false) : Arith.add(cur, operand, false);
            if (r == null) {
                throw ArgonException.badValue("Failed to apply " + operator + " operations to current value ("
                        + debug(cur) + ") for document {" + doc.idText() + "}");
            }
            if (!Identical.same(cur, r)) {
                slot.set(r);
            }
        }

        private static String debug(BsonValue v) {
            switch (v.getBsonType()) {
                case INT32: return "(NumberInt)" + v.asInt32().getValue();
                case INT64: return "(NumberLong)" + v.asInt64().getValue();
                case DOUBLE: return "(NumberDouble)" + v.asDouble().getValue();
                default: return "(NumberDecimal)" + v.asDecimal128().getValue();
            }
        }
    }

    /** $min and $max: replace when the operand sorts before (after) the current value. */
    static final class Compare extends UpdateOp {
        private final BsonValue operand;
        private final int sign;

        Compare(String operator, UpdatePath path, BsonValue operand) {
            super(operator, path);
            this.operand = operand;
            this.sign = operator.equals("$max") ? 1 : -1;
        }

        @Override
        boolean creates() {
            return true;
        }

        @Override
        void applyAt(WorkingDoc.Slot slot, WorkingDoc doc) {
            BsonValue cur = slot.get();
            if (cur == null || sign * Values.compare(operand, cur) > 0) {
                slot.set(Values.copy(operand));
            }
        }
    }

    /** $bit with and/or/xor applied in the order given. */
    static final class Bit extends UpdateOp {
        private final List<String> ops = new ArrayList<>();
        private final List<BsonValue> operands = new ArrayList<>();

        Bit(UpdatePath path, String field, BsonValue spec) {
            super("$bit", path);
            if (!spec.isDocument()) {
                throw ArgonException.badValue("The $bit modifier is not compatible with a " + Values.typeName(spec)
                        + ". You must pass in an embedded document: {$bit: {field: {and/or/xor: #}}.");
            }
            if (spec.asDocument().isEmpty()) {
                throw ArgonException.badValue("You must pass in at least one bitwise operation. The format is: "
                        + "{$bit: {field: {and/or/xor: #}}");
            }
            for (Map.Entry<String, BsonValue> e : spec.asDocument().entrySet()) {
                String op = e.getKey();
                if (!op.equals("and") && !op.equals("or") && !op.equals("xor")) {
                    throw ArgonException.badValue("The $bit modifier only supports 'and', 'or', and 'xor', not '" + op
                            + "' which is an unknown operator: {" + BsonText.element(op, e.getValue()) + "}");
                }
                BsonValue v = e.getValue();
                if (!v.isInt32() && !v.isInt64()) {
                    throw ArgonException.badValue("The $bit modifier field must be an Integer(32/64 bit); a '"
                            + Values.typeName(v) + "' is not supported here: {" + BsonText.element(op, v) + "}");
                }
                ops.add(op);
                operands.add(v);
            }
        }

        @Override
        boolean creates() {
            return true;
        }

        @Override
        void applyAt(WorkingDoc.Slot slot, WorkingDoc doc) {
            BsonValue cur = slot.get();
            if (cur != null && !cur.isInt32() && !cur.isInt64()) {
                throw ArgonException.badValue("Cannot apply $bit to a value of non-integral type." + "{" + doc.idText()
                        + "} has the field " + fieldName(slot) + " of non-integer type " + typeName(cur));
            }
            boolean isLong = cur != null && cur.isInt64();
            long v = cur == null ? 0 : cur.asNumber().longValue();
            for (int i = 0; i < ops.size(); i++) {
                BsonValue o = operands.get(i);
                isLong |= o.isInt64();
                long x = o.asNumber().longValue();
                switch (ops.get(i)) {
                    case "and": v &= x; break;
                    case "or": v |= x; break;
                    default: v ^= x; break;
                }
            }
            BsonValue r = isLong ? new BsonInt64(v) : new BsonInt32((int) v);
            if (!Identical.same(cur, r)) {
                slot.set(r);
            }
        }
    }
}
