package dev.argon.engine.failpoint;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * One named fail point and its mode, as mongod's {@code configureFailPoint} sets it: {@code "off"},
 * {@code "alwaysOn"}, {@code {times: n}} (fires on the next n evaluations, then turns itself off) or
 * {@code {skip: n}} (lets n evaluations pass, then fires on every one). Thread-safe: every method is synchronized,
 * so concurrent evaluations of a {@code times} fail point fire exactly n times in total.
 */
public final class FailPoint {
    private enum Mode { OFF, ALWAYS_ON, TIMES, SKIP }

    private final String name;
    private Mode mode = Mode.OFF;
    private long remaining;
    private BsonDocument data = new BsonDocument();
    private long timesEntered;

    FailPoint(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /**
     * Sets the mode and data; returns how many times the fail point had fired so far (mongod's reply field
     * {@code count}).
     */
    synchronized long configure(BsonValue modeValue, BsonDocument newData) {
        Mode m;
        long n = 0;
        if (modeValue == null) {
            throw ArgonException.badValue("configureFailPoint needs a 'mode': \"off\", \"alwaysOn\", {times: n} or {skip: n}");
        }
        if (modeValue.isString()) {
            m = switch (modeValue.asString().getValue()) {
                case "off" -> Mode.OFF;
                case "alwaysOn" -> Mode.ALWAYS_ON;
                default -> throw ArgonException.badValue("unknown fail point mode '" + modeValue.asString().getValue()
                        + "'; use \"off\", \"alwaysOn\", {times: n} or {skip: n}");
            };
        } else if (modeValue.isDocument() && modeValue.asDocument().size() == 1
                && (modeValue.asDocument().containsKey("times") || modeValue.asDocument().containsKey("skip"))) {
            String key = modeValue.asDocument().getFirstKey();
            BsonValue v = modeValue.asDocument().get(key);
            if (!v.isNumber() || v.asNumber().longValue() < 0) {
                throw ArgonException.badValue("'" + key + "' option to 'mode' must be a non-negative number");
            }
            n = v.asNumber().longValue();
            m = key.equals("times") ? Mode.TIMES : Mode.SKIP;
            if (m == Mode.TIMES && n == 0) {
                m = Mode.OFF;
            }
        } else {
            // activationProbability would make tests nondeterministic; none of ours needs it.
            throw ArgonException.badValue("fail point mode must be \"off\", \"alwaysOn\", {times: n} or {skip: n}; got "
                    + modeValue);
        }
        long before = timesEntered;
        mode = m;
        remaining = n;
        data = newData == null ? new BsonDocument() : newData.clone();
        return before;
    }

    /** Evaluates the fail point once: its data (never null) when it fires, null when it does not. */
    public synchronized BsonDocument evaluate() {
        switch (mode) {
            case OFF:
                return null;
            case SKIP:
                if (remaining > 0) {
                    remaining--;
                    return null;
                }
                break;
            case TIMES:
                if (--remaining == 0) {
                    mode = Mode.OFF;
                }
                break;
            default:
                break;
        }
        timesEntered++;
        return data.clone();
    }

    /** For errors raised on behalf of a fail point's data ({@code failBeforeCommitExceptionCode}). */
    static MongoErrorCode code(BsonValue v, String field) {
        if (v == null || !v.isNumber()) {
            throw ArgonException.badValue("fail point data '" + field + "' must be a number");
        }
        MongoErrorCode c = MongoErrorCode.byCode(v.asNumber().intValue());
        if (c == null) {
            throw ArgonException.badValue("fail point data '" + field + "': Argon does not know error code " + v.asNumber().intValue());
        }
        return c;
    }
}
