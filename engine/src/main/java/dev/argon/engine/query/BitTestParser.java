package dev.argon.engine.query;

import dev.argon.engine.query.LeafPredicates.BitOp;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonValue;

/** Parses the argument of the bitwise operators: bit positions, a numeric mask, or a BinData mask. */
final class BitTestParser {
    private BitTestParser() {}

    static ValuePredicate parse(String op, BitOp bitOp, BsonValue arg) {
        if (arg.isArray()) {
            List<Integer> positions = new ArrayList<>();
            for (BsonValue v : arg.asArray()) {
                try {
                    positions.add(Args.integerToNonNegativeInt("", v));
                } catch (IllegalArgumentException e) {
                    throw Args.badValue("Failed to parse bit position. " + e.getMessage());
                }
            }
            long mask = 0;
            for (int p : positions) {
                // Bits beyond 63 test the sign bit: numbers are sign-extended.
                mask |= 1L << Math.min(p, 63);
            }
            return new LeafPredicates.BitTest(bitOp, mask, positions.stream().mapToInt(Integer::intValue).toArray());
        }
        if (arg.isNumber() || arg.isDecimal128()) {
            long mask;
            try {
                mask = Args.integerToNonNegativeLong(op, arg);
            } catch (IllegalArgumentException e) {
                throw Args.badValue(e.getMessage());
            }
            List<Integer> positions = new ArrayList<>();
            for (int bit = 0; bit < 64; bit++) {
                if ((mask & (1L << bit)) != 0) {
                    positions.add(bit);
                }
            }
            return new LeafPredicates.BitTest(bitOp, mask, positions.stream().mapToInt(Integer::intValue).toArray());
        }
        if (arg.isBinary()) {
            byte[] bytes = arg.asBinary().getData();
            long mask = 0;
            List<Integer> positions = new ArrayList<>();
            for (int i = 0; i < bytes.length; i++) {
                byte b = bytes[i];
                if (b == 0) {
                    continue;
                }
                // Sign extension of the byte is what mongod does, so its quirk is kept.
                mask |= i < 8 ? ((long) b) << (8 * i) : 1L << 63;
                for (int bit = 0; bit < 8; bit++) {
                    if ((b & (1 << bit)) != 0) {
                        positions.add(8 * i + bit);
                    }
                }
            }
            return new LeafPredicates.BitTest(bitOp, mask, positions.stream().mapToInt(Integer::intValue).toArray());
        }
        throw Args.badValue(op + " takes an Array, a number, or a BinData but received: " + Args.element(op, arg));
    }
}
