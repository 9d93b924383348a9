package dev.argon.engine.bson;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.bson.BsonBinary;
import org.bson.BsonDbPointer;
import org.bson.BsonDocument;
import org.bson.BsonJavaScriptWithScope;
import org.bson.BsonRegularExpression;
import org.bson.BsonValue;

/**
 * MongoDB's cross-type comparison order for BSON values (MinKey &lt; null/undefined &lt; numbers &lt; symbol/string
 * &lt; object &lt; array &lt; binData &lt; ObjectId &lt; bool &lt; date &lt; timestamp &lt; regex &lt; dbPointer &lt;
 * javascript &lt; javascriptWithScope &lt; MaxKey), numbers of every numeric type compared as numbers.
 *
 * <p>Within a type: numbers compare exactly (Int64 against Double beyond 2^53 and Decimal128 against anything,
 * NaN equal to NaN and below every other number, -0.0 equal to 0.0); strings and symbols compare by code point,
 * which is the same as comparing their UTF-8 bytes; documents compare element by element (type rank of the
 * value, then field name, then value; a shorter document is less); arrays compare element by element; binary
 * data by length, then subtype, then bytes; timestamps as unsigned 64-bit numbers; regular expressions by
 * pattern, then options.
 *
 * <p>Deliberate difference from mongod: Undefined and null are equal here (mongod puts Undefined just below
 * null), and Decimal128 is compared with Double exactly rather than through a 34-digit rounding of the double.
 * Stateless and thread-safe.
 */
public final class BsonOrder {
    /** Compares two values in MongoDB's order; never null arguments (use BsonNull). */
    public static final Comparator<BsonValue> COMPARATOR = BsonOrder::compare;

    /** Canonical ranks, as mongod's canonicalizeBSONType numbers them (undefined folded into null). */
    public static final int RANK_MIN_KEY = -1;
    public static final int RANK_NULL = 5;
    public static final int RANK_NUMBER = 10;
    public static final int RANK_STRING = 15;
    public static final int RANK_DOCUMENT = 20;
    public static final int RANK_ARRAY = 25;
    public static final int RANK_BINARY = 30;
    public static final int RANK_OBJECT_ID = 35;
    public static final int RANK_BOOLEAN = 40;
    public static final int RANK_DATE = 45;
    public static final int RANK_TIMESTAMP = 47;
    public static final int RANK_REGEX = 50;
    public static final int RANK_DB_POINTER = 55;
    public static final int RANK_JAVASCRIPT = 60;
    public static final int RANK_JAVASCRIPT_WITH_SCOPE = 65;
    public static final int RANK_MAX_KEY = 127;

    private BsonOrder() {}

    public static int compare(BsonValue a, BsonValue b) {
        int ra = typeRank(a);
        int rb = typeRank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        switch (ra) {
            case RANK_MIN_KEY:
            case RANK_NULL:
            case RANK_MAX_KEY:
                return 0;
            case RANK_NUMBER:
                return Numbers.compare(a, b);
            case RANK_STRING:
                return compareStrings(stringValue(a), stringValue(b));
            case RANK_DOCUMENT:
                return compareDocuments(a.asDocument(), b.asDocument());
            case RANK_ARRAY:
                return compareArrays(a.asArray().getValues(), b.asArray().getValues());
            case RANK_BINARY:
                return compareBinary(a.asBinary(), b.asBinary());
            case RANK_OBJECT_ID:
                return Arrays.compareUnsigned(a.asObjectId().getValue().toByteArray(),
                        b.asObjectId().getValue().toByteArray());
            case RANK_BOOLEAN:
                return Boolean.compare(a.asBoolean().getValue(), b.asBoolean().getValue());
            case RANK_DATE:
                return Long.compare(a.asDateTime().getValue(), b.asDateTime().getValue());
            case RANK_TIMESTAMP:
                return Long.compareUnsigned(a.asTimestamp().getValue(), b.asTimestamp().getValue());
            case RANK_REGEX:
                return compareRegex(a.asRegularExpression(), b.asRegularExpression());
            case RANK_DB_POINTER:
                return compareDbPointers(a.asDBPointer(), b.asDBPointer());
            case RANK_JAVASCRIPT:
                return compareStrings(a.asJavaScript().getCode(), b.asJavaScript().getCode());
            case RANK_JAVASCRIPT_WITH_SCOPE:
                return compareCodeWithScope(a.asJavaScriptWithScope(), b.asJavaScriptWithScope());
            default:
                throw new IllegalStateException("unranked type " + a.getBsonType());
        }
    }

    /** The canonical type rank used in comparisons (numbers share one rank, as do null and undefined). */
    public static int typeRank(BsonValue v) {
        switch (v.getBsonType()) {
            case MIN_KEY:
                return RANK_MIN_KEY;
            case NULL:
            case UNDEFINED:
                return RANK_NULL;
            case INT32:
            case INT64:
            case DOUBLE:
            case DECIMAL128:
                return RANK_NUMBER;
            case STRING:
            case SYMBOL:
                return RANK_STRING;
            case DOCUMENT:
                return RANK_DOCUMENT;
            case ARRAY:
                return RANK_ARRAY;
            case BINARY:
                return RANK_BINARY;
            case OBJECT_ID:
                return RANK_OBJECT_ID;
            case BOOLEAN:
                return RANK_BOOLEAN;
            case DATE_TIME:
                return RANK_DATE;
            case TIMESTAMP:
                return RANK_TIMESTAMP;
            case REGULAR_EXPRESSION:
                return RANK_REGEX;
            case DB_POINTER:
                return RANK_DB_POINTER;
            case JAVASCRIPT:
                return RANK_JAVASCRIPT;
            case JAVASCRIPT_WITH_SCOPE:
                return RANK_JAVASCRIPT_WITH_SCOPE;
            case MAX_KEY:
                return RANK_MAX_KEY;
            default:
                throw new IllegalArgumentException("not a comparable BSON value: " + v.getBsonType());
        }
    }

    /** True for Int32, Int64, Double and Decimal128. */
    public static boolean isNumber(BsonValue v) {
        return Numbers.isNumber(v);
    }

    /** True for a Double or Decimal128 NaN. */
    public static boolean isNaN(BsonValue v) {
        return Numbers.isNaN(v);
    }

    /** Equality in this order: 1, 1L, 1.0 and Decimal128("1.0") are all equal. */
    public static boolean equal(BsonValue a, BsonValue b) {
        return compare(a, b) == 0;
    }

    /**
     * Compares by Unicode code point, which is the order of the UTF-8 encodings (unlike
     * {@link String#compareTo}, which compares UTF-16 units and misplaces supplementary characters).
     */
    public static int compareStrings(String x, String y) {
        int n = Math.min(x.length(), y.length());
        for (int i = 0; i < n; i++) {
            char cx = x.charAt(i);
            char cy = y.charAt(i);
            if (cx != cy) {
                if (cx < Character.MIN_SURROGATE && cy < Character.MIN_SURROGATE) {
                    return cx < cy ? -1 : 1;
                }
                // Back up one unit so a surrogate pair straddling i is decoded whole.
                return compareCodePoints(x, y, Math.max(0, i - 1));
            }
        }
        return Integer.compare(x.length(), y.length());
    }

    private static int compareCodePoints(String x, String y, int from) {
        int i = from;
        int j = from;
        while (i < x.length() && j < y.length()) {
            int cx = x.codePointAt(i);
            int cy = y.codePointAt(j);
            if (cx != cy) {
                return cx < cy ? -1 : 1;
            }
            i += Character.charCount(cx);
            j += Character.charCount(cy);
        }
        boolean xLeft = i < x.length();
        boolean yLeft = j < y.length();
        return xLeft == yLeft ? 0 : xLeft ? 1 : -1;
    }

    static String stringValue(BsonValue v) {
        return v.isString() ? v.asString().getValue() : v.asSymbol().getSymbol();
    }

    private static int compareDocuments(BsonDocument a, BsonDocument b) {
        Iterator<Map.Entry<String, BsonValue>> ia = a.entrySet().iterator();
        Iterator<Map.Entry<String, BsonValue>> ib = b.entrySet().iterator();
        while (true) {
            if (!ia.hasNext()) {
                return ib.hasNext() ? -1 : 0;
            }
            if (!ib.hasNext()) {
                return 1;
            }
            Map.Entry<String, BsonValue> ea = ia.next();
            Map.Entry<String, BsonValue> eb = ib.next();
            int c = Integer.compare(typeRank(ea.getValue()), typeRank(eb.getValue()));
            if (c != 0) {
                return c;
            }
            c = compareStrings(ea.getKey(), eb.getKey());
            if (c != 0) {
                return c;
            }
            c = compare(ea.getValue(), eb.getValue());
            if (c != 0) {
                return c;
            }
        }
    }

    private static int compareArrays(List<BsonValue> a, List<BsonValue> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compareBinary(BsonBinary a, BsonBinary b) {
        byte[] da = a.getData();
        byte[] db = b.getData();
        if (da.length != db.length) {
            return Integer.compare(da.length, db.length);
        }
        int c = Integer.compare(a.getType() & 0xFF, b.getType() & 0xFF);
        return c != 0 ? c : Arrays.compareUnsigned(da, db);
    }

    private static int compareRegex(BsonRegularExpression a, BsonRegularExpression b) {
        int c = compareStrings(a.getPattern(), b.getPattern());
        return c != 0 ? c : compareStrings(a.getOptions(), b.getOptions());
    }

    /** mongod compares the namespace length first, then namespace bytes, then the ObjectId. */
    private static int compareDbPointers(BsonDbPointer a, BsonDbPointer b) {
        byte[] na = a.getNamespace().getBytes(StandardCharsets.UTF_8);
        byte[] nb = b.getNamespace().getBytes(StandardCharsets.UTF_8);
        if (na.length != nb.length) {
            return Integer.compare(na.length, nb.length);
        }
        int c = Arrays.compareUnsigned(na, nb);
        return c != 0 ? c : Arrays.compareUnsigned(a.getId().toByteArray(), b.getId().toByteArray());
    }

    private static int compareCodeWithScope(BsonJavaScriptWithScope a, BsonJavaScriptWithScope b) {
        int c = compareStrings(a.getCode(), b.getCode());
        return c != 0 ? c : compareDocuments(a.getScope(), b.getScope());
    }
}
