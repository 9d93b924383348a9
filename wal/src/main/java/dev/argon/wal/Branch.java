package dev.argon.wal;

/**
 * A branch: a name over an id, a parent id (0 for {@code main}) and the fork point {@code baseLsn}; its own
 * entries lie in {@code (baseLsn, headLsn]}. Immutable snapshot; the registry holds the current one.
 */
public record Branch(int id, String name, int parentId, long baseLsn, long headLsn, long createdAt, String createdBy,
                     boolean protectedBranch) {
    public static final String MAIN = "main";
    public static final int MAIN_ID = 1;

    Branch withHead(long lsn) {
        return new Branch(id, name, parentId, baseLsn, lsn, createdAt, createdBy, protectedBranch);
    }
}
