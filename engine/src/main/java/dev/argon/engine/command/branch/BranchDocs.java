package dev.argon.engine.command.branch;

import dev.argon.wal.Branch;
import dev.argon.wal.VersionStore;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;

/** The document shape of a branch as users see it ({@code parent} by name). Stateless. */
final class BranchDocs {
    private BranchDocs() {}

    static BsonDocument of(VersionStore wal, Branch b) {
        Branch parent = b.parentId() == 0 ? null : wal.branch(b.parentId());
        String parentName = parent == null ? null : parent.name();
        // A reset leaves the name on a new id whose parent is the nameless old one: show the nearest named ancestor.
        while (parent != null && parentName == null && parent.parentId() != 0) {
            parent = wal.branch(parent.parentId());
            parentName = parent == null ? null : parent.name();
        }
        return new BsonDocument("name", new BsonString(b.name()))
                .append("parent", parentName == null ? BsonNull.VALUE : new BsonString(parentName))
                .append("baseLsn", new BsonInt64(b.baseLsn()))
                .append("headLsn", new BsonInt64(b.headLsn()))
                .append("createdAt", new BsonDateTime(b.createdAt()))
                .append("createdBy", b.createdBy() == null ? BsonNull.VALUE : new BsonString(b.createdBy()))
                .append("protected", BsonBoolean.valueOf(b.protectedBranch()));
    }
}
