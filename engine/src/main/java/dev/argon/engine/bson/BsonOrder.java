package dev.argon.engine.bson;

import java.util.Comparator;
import org.bson.BsonValue;

/**
 * MongoDB's cross-type comparison order for BSON values (MinKey &lt; null/undefined &lt; numbers &lt; symbol/string
 * &lt; object &lt; array &lt; binData &lt; ObjectId &lt; bool &lt; date &lt; timestamp &lt; regex &lt; MaxKey), numbers of every
 * numeric type compared as numbers. Stateless and thread-safe.
 */
public final class BsonOrder {
    /** Compares two values in MongoDB's order; never null arguments (use BsonNull). */
    public static final Comparator<BsonValue> COMPARATOR = BsonOrder::compare;

    private BsonOrder() {}

    public static int compare(BsonValue a, BsonValue b) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The canonical type rank used in comparisons (numbers share one rank). */
    public static int typeRank(BsonValue v) {
        throw new UnsupportedOperationException("TODO");
    }
}
