package dev.argon.engine.command;

/**
 * What a command's {@code $db} selects: a database on a branch, at the head (writable) or at a point in time
 * (read-only). {@code ref} is the text the client wrote after {@code ~}, for messages.
 *
 * @param atLsn the inclusive read point, or -1 for the branch head
 */
public record Target(String db, int branchId, String branchName, long atLsn, String ref) {
    public boolean readOnly() {
        return atLsn >= 0;
    }
}
