package dev.argon.engine.update;

import java.util.List;
import org.bson.BsonValue;

/**
 * One operator applied to one path, e.g. {@code $inc} on {@code "a.b"}. Compiled ops are immutable; all
 * per-document state lives in the {@link WorkingDoc}.
 */
abstract class UpdateOp {
    final String operator;
    final UpdatePath path;

    UpdateOp(String operator, UpdatePath path) {
        this.operator = operator;
        this.path = path;
    }

    /** Whether missing fields on the path are created (set-like operators) or the op is a no-op. */
    abstract boolean creates();

    /** Applies at one concrete location; the slot's value may be missing. */
    abstract void applyAt(WorkingDoc.Slot slot, WorkingDoc doc);

    /** Paths the op claims in the conflict check (the target path; $rename adds its source). */
    UpdatePath[] claimedPaths() {
        return new UpdatePath[] {path};
    }

    /**
     * The concrete paths to update. Called for every op before any op is applied: like MongoDB, array
     * filters are matched against the document as it was before the update.
     */
    List<String[]> targets(WorkingDoc doc) {
        return path.expand(doc);
    }

    void apply(WorkingDoc doc, List<String[]> targets) {
        for (String[] concrete : targets) {
            doc.touch(concrete);
            WorkingDoc.Slot slot = doc.resolve(concrete, creates());
            if (slot != null) {
                applyAt(slot, doc);
            }
        }
    }

    /** The last component of the slot's path, as MongoDB names fields in messages. */
    static String fieldName(WorkingDoc.Slot slot) {
        return slot.key;
    }

    static String typeName(BsonValue v) {
        return dev.argon.engine.aggregate.Values.typeName(v);
    }
}
