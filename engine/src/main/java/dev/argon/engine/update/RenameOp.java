package dev.argon.engine.update;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.aggregate.BsonText;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonValue;

/**
 * $rename: a $set of the destination followed by an $unset of the source. Neither path may go through
 * an array, and neither may be positional, as in MongoDB.
 */
final class RenameOp extends UpdateOp {
    private final UpdatePath from;

    RenameOp(UpdatePath from, UpdatePath to, String rawTo) {
        super("$rename", to);
        this.from = from;
        String spec = BsonText.element(from.dotted, new org.bson.BsonString(rawTo));
        if (rawTo.indexOf('\0') >= 0) {
            throw ArgonException.badValue("The 'to' field for $rename cannot contain an embedded null byte");
        }
        if (from.dotted.equals(to.dotted)) {
            throw ArgonException.badValue("The source and target field for $rename must differ: " + spec);
        }
        if (isPrefix(from.parts, to.parts) || isPrefix(to.parts, from.parts)) {
            throw ArgonException.badValue("The source and target field for $rename must not be on the same path: " + spec);
        }
        if (from.dynamic) {
            throw ArgonException.badValue("The source field for $rename may not be dynamic: " + from.dotted);
        }
        if (to.dynamic) {
            throw ArgonException.badValue("The destination field for $rename may not be dynamic: " + to.dotted);
        }
    }

    private static boolean isPrefix(String[] a, String[] b) {
        if (a.length >= b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!a[i].equals(b[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    UpdatePath[] claimedPaths() {
        return new UpdatePath[] {from, path};
    }

    @Override
    boolean creates() {
        return true;
    }

    @Override
    void apply(WorkingDoc doc, List<String[]> targets) {
        doc.touch(from.parts);
        doc.touch(path.parts);
        for (int i = 1; i < from.parts.length; i++) {
            BsonValue parent = doc.read(from.parts, i);
            if (parent == null) {
                return;
            }
            boolean traversable = parent.isDocument()
                    || (parent.isArray() && WorkingDoc.arrayIndex(from.parts[i]) >= 0);
            if (!traversable) {
                throw new ArgonException(MongoErrorCode.PATH_NOT_VIABLE, "cannot use the part (" + from.parts[i]
                        + " of " + from.dotted + ") to traverse the element ({" + BsonText.element(from.parts[i - 1], parent)
                        + "})");
            }
        }
        BsonValue value = doc.read(from.parts, from.parts.length);
        if (value == null) {
            return;
        }
        checkNoArray(doc, from.parts, from.parts.length - 1, "source", from.dotted);
        checkNoArray(doc, path.parts, path.parts.length - 1, "destination", path.dotted);
        WorkingDoc.Slot target = doc.resolve(path.parts, true);
        target.set(value);
        WorkingDoc.Slot source = doc.resolve(from.parts, false);
        source.remove();
    }

    @Override
    void applyAt(WorkingDoc.Slot slot, WorkingDoc doc) {
        throw new UnsupportedOperationException("$rename applies itself");
    }

    /** Renaming into or out of array elements is refused. */
    private static void checkNoArray(WorkingDoc doc, String[] parts, int count, String which, String dotted) {
        for (int i = 1; i <= count; i++) {
            BsonValue v = doc.read(parts, i);
            if (v == null) {
                return;
            }
            if (v instanceof BsonArray) {
                throw ArgonException.badValue("The " + which + " field cannot be an array element, '" + dotted
                        + "' in doc with " + doc.idText() + " has an array field called '" + parts[i - 1] + "'");
            }
        }
    }
}
