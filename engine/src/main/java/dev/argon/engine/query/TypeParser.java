package dev.argon.engine.query;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import java.util.EnumSet;
import java.util.Map;
import org.bson.BsonType;
import org.bson.BsonValue;

/** Parses the argument of $type: a type code, a type alias, "number", or an array of those. */
final class TypeParser {
    private static final Map<String, BsonType> ALIASES = Map.ofEntries(
            Map.entry("double", BsonType.DOUBLE),
            Map.entry("string", BsonType.STRING),
            Map.entry("object", BsonType.DOCUMENT),
            Map.entry("array", BsonType.ARRAY),
            Map.entry("binData", BsonType.BINARY),
            Map.entry("undefined", BsonType.UNDEFINED),
            Map.entry("objectId", BsonType.OBJECT_ID),
            Map.entry("bool", BsonType.BOOLEAN),
            Map.entry("date", BsonType.DATE_TIME),
            Map.entry("null", BsonType.NULL),
            Map.entry("regex", BsonType.REGULAR_EXPRESSION),
            Map.entry("dbPointer", BsonType.DB_POINTER),
            Map.entry("javascript", BsonType.JAVASCRIPT),
            Map.entry("symbol", BsonType.SYMBOL),
            Map.entry("javascriptWithScope", BsonType.JAVASCRIPT_WITH_SCOPE),
            Map.entry("int", BsonType.INT32),
            Map.entry("timestamp", BsonType.TIMESTAMP),
            Map.entry("long", BsonType.INT64),
            Map.entry("decimal", BsonType.DECIMAL128),
            Map.entry("minKey", BsonType.MIN_KEY),
            Map.entry("maxKey", BsonType.MAX_KEY));

    private TypeParser() {}

    static ValuePredicate parse(String name, BsonValue arg) {
        EnumSet<BsonType> types = EnumSet.noneOf(BsonType.class);
        boolean[] allNumbers = {false};
        if (arg.isArray()) {
            for (BsonValue v : arg.asArray()) {
                addType(v, types, allNumbers);
            }
        } else {
            addType(arg, types, allNumbers);
        }
        if (types.isEmpty() && !allNumbers[0]) {
            throw ArgonException.failedToParse(name + " must match at least one type");
        }
        return new LeafPredicates.TypeSet(types, allNumbers[0]);
    }

    private static void addType(BsonValue v, EnumSet<BsonType> types, boolean[] allNumbers) {
        if (v.isString()) {
            String alias = v.asString().getValue();
            if (alias.equals("number")) {
                allNumbers[0] = true;
                return;
            }
            BsonType type = ALIASES.get(alias);
            if (type == null) {
                if (alias.equals("missing")) {
                    throw Args.badValue("'missing' is not a legal type name. To query for non-existence of a "
                            + "field, use {$exists:false}.");
                }
                throw Args.badValue("Unknown type name alias: " + alias);
            }
            types.add(type);
            return;
        }
        if (!v.isNumber() && !v.isDecimal128()) {
            throw new ArgonException(MongoErrorCode.TYPE_MISMATCH, "type must be represented as a number or a string");
        }
        long code;
        try {
            code = Args.integerToLong("", v);
        } catch (IllegalArgumentException e) {
            throw Args.badValue("Invalid numerical type code: " + Args.number(v));
        }
        if (code == 0) {
            throw Args.badValue("Invalid numerical type code: " + Args.number(v) + ". Instead use {$exists:false}.");
        }
        BsonType type = fromCode(code);
        if (type == null) {
            throw Args.badValue("Invalid numerical type code: " + Args.number(v));
        }
        types.add(type);
    }

    /** BSON type codes as the wire format numbers them (MinKey is -1 there, 255 in the driver's enum). */
    static BsonType fromCode(long code) {
        if (code == -1) {
            return BsonType.MIN_KEY;
        }
        if (code == 127) {
            return BsonType.MAX_KEY;
        }
        if (code < 1 || code > 19) {
            return null;
        }
        return BsonType.findByValue((int) code);
    }
}
