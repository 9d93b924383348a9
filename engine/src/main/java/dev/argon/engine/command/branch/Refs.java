package dev.argon.engine.command.branch;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.wal.Branch;
import dev.argon.wal.Tag;
import dev.argon.wal.VersionStore;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.bson.BsonValue;

/**
 * Resolves a ref ({@code name}, {@code name@<lsn>}, {@code name@<ISO-8601 time>}) to a branch and an
 * inclusive point. Stateless.
 */
public final class Refs {
    /**
     * A branch id at a point; {@code lsn} is the branch head when the ref names no point. {@code tag} is set
     * when the ref is a tag (always a fixed point).
     */
    public record Point(Branch branch, long lsn, boolean explicit, Tag tag) {
        public boolean readOnly() {
            return explicit || tag != null;
        }
    }

    private Refs() {}

    public static Point resolve(VersionStore wal, String ref) {
        String name = ref;
        String at = null;
        int i = ref.indexOf('@');
        if (i >= 0) {
            name = ref.substring(0, i);
            at = ref.substring(i + 1);
        }
        Branch b = wal.branch(name);
        if (b == null) {
            Tag t = wal.tag(name);
            if (t == null) {
                throw new ArgonException(MongoErrorCode.BRANCH_NOT_FOUND, "no branch or tag named '" + name + "'");
            }
            Branch tb = wal.branch(t.branchId());
            long lsn = t.lsn();
            if (at != null) {
                lsn = Math.min(lsn, wal.roundToCommit(tb.id(), point(wal, at, ref)));
            }
            return new Point(tb, lsn, true, t);
        }
        if (at == null) {
            return new Point(b, b.headLsn(), false, null);
        }
        long raw = point(wal, at, ref);
        Branch asOf = wal.branchAsOf(b, raw);
        // Rounded for the id the name showed then: commit boundaries are per branch (streamed commits interleave).
        long p = wal.roundToCommit(asOf.id(), raw);
        return new Point(asOf, Math.min(asOf.headLsn(), p), true, null);
    }

    public static Branch branch(VersionStore wal, String name) {
        Branch b = wal.branch(name);
        if (b == null) {
            throw new ArgonException(MongoErrorCode.BRANCH_NOT_FOUND, "branch '" + name + "' does not exist");
        }
        return b;
    }

    /** An LSN from a decimal number or an ISO-8601 UTC time. */
    public static long point(VersionStore wal, String text, String whole) {
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw ArgonException.badValue("LSN out of range in '" + whole + "'");
            }
        }
        try {
            return wal.lsnAtTime(Instant.parse(text).toEpochMilli());
        } catch (DateTimeParseException e) {
            throw ArgonException.badValue("cannot read '" + text + "' in '" + whole
                    + "' as an LSN or an ISO-8601 UTC time such as 2026-11-01T09:00:00Z");
        }
    }

    /** An {@code at} field: an LSN (number) or a Date. */
    public static long point(VersionStore wal, BsonValue at) {
        if (at.isNumber()) {
            long v = at.asNumber().longValue();
            if (v < 0) {
                throw ArgonException.badValue("'at' must be a non-negative LSN, got " + v);
            }
            return v;
        }
        if (at.isDateTime()) {
            return wal.lsnAtTime(at.asDateTime().getValue());
        }
        if (at.isString()) {
            return point(wal, at.asString().getValue(), at.asString().getValue());
        }
        throw ArgonException.typeMismatch("'at' must be an LSN (number) or a Date");
    }
}
