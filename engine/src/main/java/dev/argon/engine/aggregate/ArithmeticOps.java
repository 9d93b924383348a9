package dev.argon.engine.aggregate;

import static dev.argon.engine.aggregate.Args.error;

import dev.argon.engine.MongoErrorCode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.bson.BsonDateTime;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonType;
import org.bson.BsonValue;

/** $add $subtract $multiply $divide $mod $abs $ceil $floor $round $trunc $sqrt $pow $exp $ln $log10. */
final class ArithmeticOps {
    private ArithmeticOps() {}

    static void register(Map<String, ExpressionParser.OperatorParser> ops) {
        ops.put("$add", (a, s) -> add(Args.list(a, s)));
        ops.put("$multiply", (a, s) -> multiply(Args.list(a, s)));
        ops.put("$subtract", (a, s) -> subtract(Args.exactly("$subtract", 2, a, s)));
        ops.put("$divide", (a, s) -> quotient("$divide", Args.exactly("$divide", 2, a, s),
                MongoErrorCode.LOCATION_16609, MongoErrorCode.LOCATION_16608, Arith::divide));
        ops.put("$mod", (a, s) -> quotient("$mod", Args.exactly("$mod", 2, a, s),
                MongoErrorCode.LOCATION_16611, MongoErrorCode.LOCATION_16610, Arith::mod));
        ops.put("$abs", (a, s) -> abs(Args.exactly("$abs", 1, a, s).get(0)));
        ops.put("$ceil", (a, s) -> integral("$ceil", Args.exactly("$ceil", 1, a, s).get(0), RoundingMode.CEILING));
        ops.put("$floor", (a, s) -> integral("$floor", Args.exactly("$floor", 1, a, s).get(0), RoundingMode.FLOOR));
        ops.put("$round", (a, s) -> round("$round", Args.between("$round", 1, 2, a, s), RoundingMode.HALF_EVEN));
        ops.put("$trunc", (a, s) -> round("$trunc", Args.between("$trunc", 1, 2, a, s), RoundingMode.DOWN));
        ops.put("$sqrt", (a, s) -> unaryDouble("$sqrt", Args.exactly("$sqrt", 1, a, s).get(0), Math::sqrt, -1));
        ops.put("$exp", (a, s) -> unaryDouble("$exp", Args.exactly("$exp", 1, a, s).get(0), Math::exp, Double.NaN));
        ops.put("$ln", (a, s) -> unaryDouble("$ln", Args.exactly("$ln", 1, a, s).get(0), Math::log, 0));
        ops.put("$log10", (a, s) -> unaryDouble("$log10", Args.exactly("$log10", 1, a, s).get(0), Math::log10, 0));
        ops.put("$pow", (a, s) -> pow(Args.exactly("$pow", 2, a, s)));
    }

    private static Expression add(List<Expression> args) {
        return vars -> {
            BsonValue total = new BsonInt32(0);
            Long dateMillis = null;
            for (Expression e : args) {
                BsonValue v = e.evaluate(vars);
                if (Values.isNullish(v)) {
                    return BsonNull.VALUE;
                }
                if (v.isNumber()) {
                    total = Arith.add(total, v, true);
                } else if (v.isDateTime()) {
                    if (dateMillis != null) {
                        throw error(MongoErrorCode.LOCATION_16612, "only one date allowed in an $add expression");
                    }
                    dateMillis = v.asDateTime().getValue();
                } else {
                    throw error(MongoErrorCode.LOCATION_16554,
                            "$add only supports numeric or date types, not " + Values.typeName(v));
                }
            }
            if (dateMillis != null) {
                return new BsonDateTime(dateMillis + roundToLong(total));
            }
            return total;
        };
    }

    private static long roundToLong(BsonValue n) {
        switch (n.getBsonType()) {
            case INT32:
            case INT64:
                return n.asNumber().longValue();
            default:
                return Math.round(Arith.toDouble(n));
        }
    }

    private static Expression multiply(List<Expression> args) {
        return vars -> {
            BsonValue total = new BsonInt32(1);
            for (Expression e : args) {
                BsonValue v = e.evaluate(vars);
                if (Values.isNullish(v)) {
                    return BsonNull.VALUE;
                }
                if (!v.isNumber()) {
                    throw error(MongoErrorCode.LOCATION_16555,
                            "$multiply only supports numeric types, not " + Values.typeName(v));
                }
                total = Arith.multiply(total, v, true);
            }
            return total;
        };
    }

    private static Expression subtract(List<Expression> args) {
        Expression left = args.get(0);
        Expression right = args.get(1);
        return vars -> {
            BsonValue a = left.evaluate(vars);
            BsonValue b = right.evaluate(vars);
            if (Values.isNullish(a) || Values.isNullish(b)) {
                return BsonNull.VALUE;
            }
            if (a.isNumber() && b.isNumber()) {
                return Arith.subtract(a, b, true);
            }
            if (a.isDateTime() && b.isDateTime()) {
                return new BsonInt64(a.asDateTime().getValue() - b.asDateTime().getValue());
            }
            if (a.isDateTime() && b.isNumber()) {
                return new BsonDateTime(a.asDateTime().getValue() - roundToLong(b));
            }
            throw error(MongoErrorCode.LOCATION_16556,
                    "can't $subtract " + Values.typeName(b) + " from " + Values.typeName(a));
        };
    }

    /**
     * {@code $divide} and {@code $mod}: null if either side is nullish, numbers only, and no zero divisor,
     * each failure with its own mongod code.
     */
    private static Expression quotient(String op, List<Expression> args, MongoErrorCode notNumeric, MongoErrorCode byZero,
                                       java.util.function.BinaryOperator<BsonValue> apply) {
        Expression left = args.get(0);
        Expression right = args.get(1);
        return vars -> {
            BsonValue a = left.evaluate(vars);
            BsonValue b = right.evaluate(vars);
            if (Values.isNullish(a) || Values.isNullish(b)) {
                return BsonNull.VALUE;
            }
            if (!a.isNumber() || !b.isNumber()) {
                throw error(notNumeric, op + " only supports numeric types, not " + Values.typeName(a) + " and " + Values.typeName(b));
            }
            if (Arith.isZero(b)) {
                throw error(byZero, "can't " + op + " by zero");
            }
            return apply.apply(a, b);
        };
    }

    private static BsonValue numericArg(String op, BsonValue v) {
        if (!v.isNumber()) {
            throw error(MongoErrorCode.LOCATION_28765, op + " only supports numeric types, not " + Values.typeName(v));
        }
        return v;
    }

    private static Expression abs(Expression arg) {
        return vars -> {
            BsonValue v = arg.evaluate(vars);
            if (Values.isNullish(v)) {
                return BsonNull.VALUE;
            }
            numericArg("$abs", v);
            switch (v.getBsonType()) {
                case INT32: return Arith.intOrLong(Math.abs((long) v.asInt32().getValue()));
                case INT64: {
                    long l = v.asInt64().getValue();
                    if (l == Long.MIN_VALUE) {
                        throw error(MongoErrorCode.LOCATION_28680, "can't take $abs of long long min");
                    }
                    return new BsonInt64(Math.abs(l));
                }
                case DOUBLE: return new BsonDouble(Math.abs(v.asDouble().getValue()));
                default: {
                    BigDecimal d = Arith.toBigDecimal(v);
                    return d == null ? Arith.decimalFromDouble(Math.abs(Arith.toDouble(v))) : Arith.decimal(d.abs());
                }
            }
        };
    }

    private static Expression integral(String op, Expression arg, RoundingMode mode) {
        return vars -> {
            BsonValue v = arg.evaluate(vars);
            if (Values.isNullish(v)) {
                return BsonNull.VALUE;
            }
            numericArg(op, v);
            switch (v.getBsonType()) {
                case INT32:
                case INT64:
                    return v;
                case DOUBLE: {
                    double d = v.asDouble().getValue();
                    return new BsonDouble(mode == RoundingMode.CEILING ? Math.ceil(d) : Math.floor(d));
                }
                default: {
                    BigDecimal d = Arith.toBigDecimal(v);
                    return d == null ? v : Arith.decimal(d.setScale(0, mode));
                }
            }
        };
    }

    private static Expression round(String op, List<Expression> args, RoundingMode mode) {
        Expression num = args.get(0);
        Expression place = args.size() > 1 ? args.get(1) : null;
        return vars -> {
            BsonValue v = num.evaluate(vars);
            int p = 0;
            if (place != null) {
                BsonValue pv = place.evaluate(vars);
                if (Values.isNullish(pv)) {
                    return BsonNull.VALUE;
                }
                Integer pi = Values.exactInt(pv);
                if (pi == null || pi < -20 || pi > 100) {
                    throw error(MongoErrorCode.LOCATION_51083, "cannot apply " + op + " with precision value "
                            + BsonText.format(pv) + " value must be in [-20, 100]");
                }
                p = pi;
            }
            if (Values.isNullish(v)) {
                return BsonNull.VALUE;
            }
            numericArg(op, v);
            switch (v.getBsonType()) {
                case INT32:
                case INT64: {
                    if (p >= 0) {
                        return v;
                    }
                    BigDecimal r = BigDecimal.valueOf(v.asNumber().longValue()).setScale(p, mode);
                    long l = r.longValue();
                    return v.getBsonType() == BsonType.INT32 && l == (int) l ? new BsonInt32((int) l) : new BsonInt64(l);
                }
                case DOUBLE: {
                    double d = v.asDouble().getValue();
                    if (Double.isNaN(d) || Double.isInfinite(d)) {
                        return v;
                    }
                    return new BsonDouble(new BigDecimal(Double.toString(d)).setScale(p, mode).doubleValue());
                }
                default: {
                    BigDecimal d = Arith.toBigDecimal(v);
                    return d == null ? v : Arith.decimal(d.setScale(p, mode));
                }
            }
        };
    }

    /** domainMin: arguments below (or, for 0, not above) it are rejected; NaN means no restriction. */
    private static Expression unaryDouble(String op, Expression arg, DoubleUnaryOperator f, double domainMin) {
        return vars -> {
            BsonValue v = arg.evaluate(vars);
            if (Values.isNullish(v)) {
                return BsonNull.VALUE;
            }
            numericArg(op, v);
            double d = Arith.toDouble(v);
            if (!Double.isNaN(domainMin) && !Double.isNaN(d)) {
                if (domainMin < 0 && d < 0) {
                    throw error(MongoErrorCode.LOCATION_28714, op + "'s argument must be greater than or equal to 0");
                }
                if (domainMin == 0 && d <= 0) {
                    throw error(MongoErrorCode.LOCATION_28766, op + "'s argument must be a positive number, but is "
                            + BsonText.format(v));
                }
            }
            double r = f.applyAsDouble(d);
            if (v.isDecimal128()) {
                if (op.equals("$sqrt")) {
                    BigDecimal b = Arith.toBigDecimal(v);
                    if (b != null && b.signum() < 0) {
                        // A negative decimal too small for a double (-1E-6176) passed the double check above.
                        throw error(MongoErrorCode.LOCATION_28714, op + "'s argument must be greater than or equal to 0");
                    }
                    if (b != null) {
                        return Arith.decimal(b.sqrt(MathContext.DECIMAL128));
                    }
                }
                return Arith.decimalFromDouble(r);
            }
            return new BsonDouble(r);
        };
    }

    private static Expression pow(List<Expression> args) {
        Expression baseExpr = args.get(0);
        Expression expExpr = args.get(1);
        return vars -> {
            BsonValue base = baseExpr.evaluate(vars);
            BsonValue exp = expExpr.evaluate(vars);
            if (Values.isNullish(base) || Values.isNullish(exp)) {
                return BsonNull.VALUE;
            }
            if (!base.isNumber()) {
                throw error(MongoErrorCode.LOCATION_28762, "$pow's base must be numeric, not " + Values.typeName(base));
            }
            if (!exp.isNumber()) {
                throw error(MongoErrorCode.LOCATION_28763,
                        "$pow's exponent must be numeric, not " + Values.typeName(exp));
            }
            if (Arith.isZero(base) && Arith.toDouble(exp) < 0) {
                throw error(MongoErrorCode.LOCATION_28764, "$pow cannot take a base of 0 and a negative exponent");
            }
            Arith.Width w = Arith.wider(base, exp);
            if (w == Arith.Width.DECIMAL) {
                BigDecimal b = Arith.toBigDecimal(base);
                Integer e = Values.exactInt(exp);
                if (b != null && e != null && e >= 0 && e <= 999_999) {
                    return Arith.decimal(b.pow(e, MathContext.DECIMAL128));
                }
                return Arith.decimalFromDouble(Math.pow(Arith.toDouble(base), Arith.toDouble(exp)));
            }
            if (w == Arith.Width.DOUBLE) {
                return new BsonDouble(Math.pow(Arith.toDouble(base), Arith.toDouble(exp)));
            }
            long b = base.asNumber().longValue();
            long e = exp.asNumber().longValue();
            if (e < 0) {
                if (b == 1) {
                    return w == Arith.Width.INT ? new BsonInt32(1) : new BsonInt64(1);
                }
                if (b == -1) {
                    long r = (e & 1) == 0 ? 1 : -1;
                    return w == Arith.Width.INT ? new BsonInt32((int) r) : new BsonInt64(r);
                }
                return new BsonDouble(Math.pow(b, e));
            }
            Long exact = exactPow(b, e);
            if (exact == null) {
                return new BsonDouble(Math.pow(b, e));
            }
            return w == Arith.Width.INT ? Arith.intOrLong(exact) : new BsonInt64(exact);
        };
    }

    private static Long exactPow(long base, long exp) {
        if (base == 0 || base == 1) {
            return exp == 0 ? 1L : base;
        }
        if (base == -1) {
            return (exp & 1) == 0 ? 1L : -1L;
        }
        if (exp > 64) {
            return null;
        }
        BigInteger r = BigInteger.valueOf(base).pow((int) exp);
        return r.bitLength() < 64 ? r.longValue() : null;
    }
}
