package dev.argon.engine.failpoint;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * One named fail point and its mode, as mongod's {@code configureFailPoint} sets it: {@code "off"},
 * {@code "alwaysOn"}, {@code {times: n}} (fires on the next n evaluations, then turns itself off) or
 * {@code {skip: n}} (lets n evaluations pass, then fires on every one) or {@code {activationProbability: p}} (fires
 * on each evaluation with probability p, 0 to 1). An evaluation may carry a condition on the data (the command
 * names of {@code failCommand}, its {@code appName}); one whose condition does not hold neither fires nor counts
 * against {@code times} or {@code skip}, as on mongod. Thread-safe: every method is synchronized,
 * so concurrent evaluations of a {@code times} fail point fire exactly n times in total.
 */
public final class FailPoint {
    private enum Mode { OFF, ALWAYS_ON, TIMES, SKIP, PROBABILITY }

    private final String name;
    /** Volatile so that {@link #armed} can read it without the lock. */
    private volatile Mode mode = Mode.OFF;
    private long remaining;
    private double probability;
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
        double p = 0;
        if (modeValue == null) {
            throw ArgonException.badValue("configureFailPoint needs a 'mode': \"off\", \"alwaysOn\", {times: n} or {skip: n}");
        }
        if (modeValue.isString()) {
            m = switch (modeValue.asString().getValue()) {
                case "off" -> Mode.OFF;
                case "alwaysOn" -> Mode.ALWAYS_ON;
                default -> throw ArgonException.badValue("unknown fail point mode '" + modeValue.asString().getValue()
                        + "'; use \"off\", \"alwaysOn\", {times: n}, {skip: n} or {activationProbability: p}");
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
        } else if (modeValue.isDocument() && modeValue.asDocument().size() == 1
                && modeValue.asDocument().containsKey("activationProbability")) {
            BsonValue v = modeValue.asDocument().get("activationProbability");
            if (!v.isNumber() || v.asNumber().doubleValue() < 0 || v.asNumber().doubleValue() > 1) {
                throw ArgonException.badValue("'activationProbability' option to 'mode' must be a number between 0 and 1");
            }
            p = v.asNumber().doubleValue();
            m = Mode.PROBABILITY;
        } else {
            throw ArgonException.badValue("fail point mode must be \"off\", \"alwaysOn\", {times: n}, {skip: n} or "
                    + "{activationProbability: p}; got "
                    + modeValue);
        }
        long before = timesEntered;
        mode = m;
        remaining = n;
        probability = p;
        data = newData == null ? new BsonDocument() : newData.clone();
        return before;
    }

    /** False while the fail point is off; read without the lock, so it may be stale by one configuration. */
    public boolean armed() {
        return mode != Mode.OFF;
    }

    /** Evaluates the fail point once: its data (never null) when it fires, null when it does not. */
    public BsonDocument evaluate() {
        return evaluate(d -> true);
    }

    /**
     * Evaluates the fail point once for an event that its data's condition must accept: its data (a copy, never
     * null) when it fires, null when it does not or the condition rejects the event (which then does not count).
     */
    public synchronized BsonDocument evaluate(Predicate<BsonDocument> condition) {
        if (mode == Mode.OFF || !condition.test(data)) {
            return null;
        }
        switch (mode) {
            case PROBABILITY:
                if (ThreadLocalRandom.current().nextDouble() >= probability) {
                    return null;
                }
                break;
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
