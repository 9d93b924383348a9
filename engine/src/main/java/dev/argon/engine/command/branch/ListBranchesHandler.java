package dev.argon.engine.command.branch;

import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.wal.Branch;
import dev.argon.wal.VersionStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;

/** {@code {listBranches: 1}} &rarr; {@code {branches: [{name, parent, baseLsn, headLsn, createdAt, protected}]}}, by name. */
public final class ListBranchesHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        VersionStore wal = ctx.engine().store().versions();
        List<Branch> all = new ArrayList<>(wal.branches());
        all.sort(Comparator.comparing(Branch::name));
        BsonArray out = new BsonArray();
        for (Branch b : all) {
            out.add(BranchDocs.of(wal, b));
        }
        return new BsonDocument("branches", out);
    }
}
