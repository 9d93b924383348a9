package dev.argon.engine.aggregate;

import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The variables visible to an expression: {@code $$ROOT}, {@code $$CURRENT}, {@code $$NOW} and user
 * variables bound by $let, $map, $filter, $reduce and $lookup's let. Immutable: binding returns a new
 * frame, so one instance can be shared by concurrently evaluated sub-expressions.
 */
public final class Variables {
    private final BsonDocument root;
    private final BsonValue current;
    private final BsonDateTime now;
    private final Frame frame;

    private Variables(BsonDocument root, BsonValue current, BsonDateTime now, Frame frame) {
        this.root = root;
        this.current = current;
        this.now = now;
        this.frame = frame;
    }

    public static Variables of(BsonDocument root) {
        return of(root, new BsonDateTime(System.currentTimeMillis()));
    }

    /** now: the value of $$NOW, fixed for a whole pipeline run. */
    public static Variables of(BsonDocument root, BsonDateTime now) {
        return new Variables(root, root, now, null);
    }

    /** Same user variables and $$NOW, new $$ROOT and $$CURRENT. */
    public Variables withRoot(BsonDocument newRoot) {
        return new Variables(newRoot, newRoot, now, frame);
    }

    public Variables bind(String name, BsonValue value) {
        if ("CURRENT".equals(name)) {
            return new Variables(root, value, now, frame);
        }
        return new Variables(root, current, now, new Frame(name, value, frame));
    }

    public BsonDocument root() {
        return root;
    }

    public BsonValue current() {
        return current;
    }

    public BsonDateTime now() {
        return now;
    }

    /** A variable's value; null when it holds "missing" ($$REMOVE or an unset binding). */
    public BsonValue get(String name) {
        for (Frame f = frame; f != null; f = f.parent) {
            if (f.name.equals(name)) {
                return f.value;
            }
        }
        switch (name) {
            case "ROOT": return root;
            case "CURRENT": return current;
            case "NOW": return now;
            default: return null;
        }
    }

    private static final class Frame {
        final String name;
        final BsonValue value;
        final Frame parent;

        Frame(String name, BsonValue value, Frame parent) {
            this.name = name;
            this.value = value;
            this.parent = parent;
        }
    }
}
