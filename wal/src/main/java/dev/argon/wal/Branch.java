package dev.argon.wal;

/**
 * A branch: a name over an id, a parent id (0 for {@code main}) and the fork point {@code baseLsn}; its own
 * entries lie in {@code (baseLsn, headLsn]}. A reset gives the name a new id whose parent is the old id at
 * the reset point; {@code replacesId} and {@code replacedAtLsn} (the last LSN of the data directory when the
 * reset happened) let {@code name@point} resolve to the id the name showed at that point. Immutable snapshot;
 * the registry holds the current one.
 */
public record Branch(int id, String name, int parentId, long baseLsn, long headLsn, long createdAt, String createdBy,
                     boolean protectedBranch, int replacesId, long replacedAtLsn) {
    public static final String MAIN = "main";
    public static final int MAIN_ID = 1;

    public Branch(int id, String name, int parentId, long baseLsn, long headLsn, long createdAt, String createdBy,
                  boolean protectedBranch) {
        this(id, name, parentId, baseLsn, headLsn, createdAt, createdBy, protectedBranch, 0, 0);
    }

    Branch withHead(long lsn) {
        return new Branch(id, name, parentId, baseLsn, lsn, createdAt, createdBy, protectedBranch, replacesId, replacedAtLsn);
    }

    Branch withName(String newName) {
        return new Branch(id, newName, parentId, baseLsn, headLsn, createdAt, createdBy, protectedBranch, replacesId, replacedAtLsn);
    }

    Branch withProtected(boolean p) {
        return new Branch(id, name, parentId, baseLsn, headLsn, createdAt, createdBy, p, replacesId, replacedAtLsn);
    }
}
