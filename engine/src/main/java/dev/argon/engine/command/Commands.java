package dev.argon.engine.command;

import dev.argon.engine.command.admin.ArgonBackupHandler;
import dev.argon.engine.command.admin.ArgonStorageHandler;
import dev.argon.engine.command.admin.BuildInfoHandler;
import dev.argon.engine.command.admin.CompactHistoryHandler;
import dev.argon.engine.command.admin.ConfigureFailPointHandler;
import dev.argon.engine.command.admin.ConnectionStatusHandler;
import dev.argon.engine.command.admin.EndSessionsHandler;
import dev.argon.engine.command.admin.GcHandler;
import dev.argon.engine.command.admin.GetCmdLineOptsHandler;
import dev.argon.engine.command.admin.GetLogHandler;
import dev.argon.engine.command.admin.GetParameterHandler;
import dev.argon.engine.command.admin.HelloHandler;
import dev.argon.engine.command.admin.HostInfoHandler;
import dev.argon.engine.command.admin.KillAllSessionsHandler;
import dev.argon.engine.command.admin.KillSessionsHandler;
import dev.argon.engine.command.admin.ListCommandsHandler;
import dev.argon.engine.command.admin.NotImplementedHandler;
import dev.argon.engine.command.admin.PingHandler;
import dev.argon.engine.command.admin.RefreshSessionsHandler;
import dev.argon.engine.command.admin.SearchIndexHandler;
import dev.argon.engine.command.admin.ServerStatusHandler;
import dev.argon.engine.command.admin.SetParameterHandler;
import dev.argon.engine.command.admin.StartSessionHandler;
import dev.argon.engine.command.admin.WhatsMyUriHandler;
import dev.argon.engine.command.branch.ArgonStatusHandler;
import dev.argon.engine.command.branch.BranchLogHandler;
import dev.argon.engine.command.branch.CreateTagHandler;
import dev.argon.engine.command.branch.DiffHandler;
import dev.argon.engine.command.branch.DropTagHandler;
import dev.argon.engine.command.branch.ListTagsHandler;
import dev.argon.engine.command.branch.MergeBranchHandler;
import dev.argon.engine.command.branch.ResetBranchHandler;
import dev.argon.engine.command.branch.RevertHandler;
import dev.argon.engine.command.branch.CreateBranchHandler;
import dev.argon.engine.command.branch.DropBranchHandler;
import dev.argon.engine.command.branch.ListBranchesHandler;
import dev.argon.engine.command.branch.ProtectBranchHandler;
import dev.argon.engine.command.branch.RenameBranchHandler;
import dev.argon.engine.command.catalog.CollModHandler;
import dev.argon.engine.command.catalog.CollStatsHandler;
import dev.argon.engine.command.catalog.CreateHandler;
import dev.argon.engine.command.catalog.CreateIndexesHandler;
import dev.argon.engine.command.catalog.DbHashHandler;
import dev.argon.engine.command.catalog.DbStatsHandler;
import dev.argon.engine.command.catalog.DropDatabaseHandler;
import dev.argon.engine.command.catalog.DropHandler;
import dev.argon.engine.command.catalog.DropIndexesHandler;
import dev.argon.engine.command.catalog.ListCollectionsHandler;
import dev.argon.engine.command.catalog.ListDatabasesHandler;
import dev.argon.engine.command.catalog.ListIndexesHandler;
import dev.argon.engine.command.catalog.RenameCollectionHandler;
import dev.argon.engine.command.crud.AggregateHandler;
import dev.argon.engine.command.crud.CountHandler;
import dev.argon.engine.command.crud.DeleteHandler;
import dev.argon.engine.command.crud.DistinctHandler;
import dev.argon.engine.command.crud.ExplainHandler;
import dev.argon.engine.command.crud.FindAndModifyHandler;
import dev.argon.engine.command.crud.FindHandler;
import dev.argon.engine.command.crud.GetMoreHandler;
import dev.argon.engine.command.crud.InsertHandler;
import dev.argon.engine.command.crud.KillCursorsHandler;
import dev.argon.engine.command.crud.UpdateHandler;
import dev.argon.engine.command.txn.AbortTransactionHandler;
import dev.argon.engine.command.txn.CommitTransactionHandler;

/** Builds the command table: one line per command, in alphabetical order. */
public final class Commands {
    private Commands() {}

    public static CommandTable table() {
        return table(false);
    }

    /** @param testCommands also the test-only commands (mongod's {@code enableTestCommands}) */
    public static CommandTable table(boolean testCommands) {
        CommandTable t = new CommandTable();
        HelloHandler hello = new HelloHandler();
        PingHandler ok = new PingHandler();
        SearchIndexHandler search = new SearchIndexHandler();
        t.add("abortTransaction", new AbortTransactionHandler(), false, "abort the session's transaction")
                .add("aggregate", new AggregateHandler(), false, "run an aggregation pipeline over a collection")
                .add("argonBackup", new ArgonBackupHandler(), false, "Argon: back the data directory up to file:// or s3:// (incremental)")
                .add("argonStatus", new ArgonStatusHandler(), false, "Argon: head LSN, last commit time, branch and tag counts")
                .add("argonStorage", new ArgonStorageHandler(), false, "Argon: bytes in RocksDB, objects and bucket; compression; per-branch unique bytes")
                .add("branchLog", new BranchLogHandler(), false, "Argon: commits of a branch, newest first")
                .add("buildInfo", new BuildInfoHandler(), false, "server version and build details")
                .add("collMod", new CollModHandler(), true, "change a collection's validator or an index option")
                .add("collStats", new CollStatsHandler(), false, "count, sizes and indexes of a collection on the branch")
                .add("commitTransaction", new CommitTransactionHandler(), false, "commit the session's transaction as one commit")
                .add("compactHistory", new CompactHistoryHandler(), true, "Argon: move history older than the hot window into the tier's segments")
                .add("connectionStatus", new ConnectionStatusHandler(), false, "who this connection is authenticated as")
                .add("count", new CountHandler(), false, "count documents matching a query")
                .add("create", new CreateHandler(), true, "create a collection")
                .add("createBranch", new CreateBranchHandler(), true, "Argon: create a branch from a ref, an LSN or a time")
                .add("createIndexes", new CreateIndexesHandler(), true, "create secondary indexes")
                .add("createSearchIndexes", search, false, "Atlas Search only: answers SearchNotEnabled")
                .add("createTag", new CreateTagHandler(), true, "Argon: tag a branch at a point")
                .add("dbHash", new DbHashHandler(), false, "per-collection MD5 of the documents in _id order")
                .add("dbStats", new DbStatsHandler(), false, "database statistics")
                .add("delete", new DeleteHandler(), true, "delete documents")
                .add("diff", new DiffHandler(), false, "Argon: documents that differ between two refs")
                .add("distinct", new DistinctHandler(), false, "distinct values of a field")
                .add("drop", new DropHandler(), true, "drop a collection")
                .add("dropBranch", new DropBranchHandler(), true, "Argon: delete a branch")
                .add("dropDatabase", new DropDatabaseHandler(), true, "drop every collection of a database")
                .add("dropIndexes", new DropIndexesHandler(), true, "drop secondary indexes")
                .add("dropSearchIndex", search, false, "Atlas Search only: answers SearchNotEnabled")
                .add("dropTag", new DropTagHandler(), true, "Argon: delete a tag")
                .add("endSessions", new EndSessionsHandler(), false, "end sessions: their cursors are killed within a second")
                .add("explain", new ExplainHandler(), false, "the query plan of find, aggregate, count, distinct, update, delete, findAndModify")
                .add("find", new FindHandler(), false, "query a collection")
                .add("findAndModify", new FindAndModifyHandler(), true, "update or remove one document and return it")
                .add("gc", new GcHandler(), true, "Argon: reclaim history no name reaches (dryRun: count only)")
                .add("getCmdLineOpts", new GetCmdLineOptsHandler(), false, "the server's command line")
                .add("getLog", new GetLogHandler(), false, "recent log lines (none are kept)")
                .add("getMore", new GetMoreHandler(), false, "next batch of a cursor")
                .add("getParameter", new GetParameterHandler(), false, "read server parameters")
                .add("hello", hello, false, "handshake: topology, limits, wire versions")
                .add("hostInfo", new HostInfoHandler(), false, "the host machine")
                .add("insert", new InsertHandler(), true, "insert documents")
                .add("isMaster", hello, false, "legacy handshake")
                .add("killAllSessions", new KillAllSessionsHandler(), false, "kill every session's cursors")
                .add("killCursors", new KillCursorsHandler(), false, "close cursors")
                .add("killSessions", new KillSessionsHandler(), false, "kill the given sessions' cursors at once")
                .add("listBranches", new ListBranchesHandler(), false, "Argon: list branches")
                .add("listCollections", new ListCollectionsHandler(), false, "collections of a database")
                .add("listDatabases", new ListDatabasesHandler(), false, "databases of the branch")
                .add("listIndexes", new ListIndexesHandler(), false, "indexes of a collection")
                .add("listTags", new ListTagsHandler(), false, "Argon: list tags")
                .add("mergeBranch", new MergeBranchHandler(), true, "Argon: three-way merge of a branch into another")
                .add("ping", ok, false, "check the server answers")
                .add("protectBranch", new ProtectBranchHandler(), true, "Argon: protect or unprotect a branch")
                .add("refreshSessions", new RefreshSessionsHandler(), false, "keep sessions alive (accepted)")
                .add("renameBranch", new RenameBranchHandler(), true, "Argon: rename a branch")
                .add("renameCollection", new RenameCollectionHandler(), true, "rename a collection")
                .add("resetBranch", new ResetBranchHandler(), true, "Argon: move a branch head back to a point")
                .add("revert", new RevertHandler(), true, "Argon: append the inverse of commits")
                .add("replSetGetStatus", new NotImplementedHandler("replica-set status (Argon is a single member)"), false, "not yet")
                .add("serverStatus", new ServerStatusHandler(), false, "live server figures")
                .add("setParameter", new SetParameterHandler(), false, "change server parameters (cursors, transaction lifetime, sort, group, $push, $addToSet, $lookup and $facet memory limits, allowDiskUseByDefault, the TTL monitor)")
                .add("startSession", new StartSessionHandler(), false, "a new session id")
                .add("update", new UpdateHandler(), true, "update documents")
                .add("updateSearchIndex", search, false, "Atlas Search only: answers SearchNotEnabled")
                .add("whatsmyuri", new WhatsMyUriHandler(), false, "the client's address");
        if (testCommands) {
            // Test-only, alphabetical too; without test commands these names answer 59 CommandNotFound, as on mongod.
            t.add("configureFailPoint", new ConfigureFailPointHandler(), false, "test only: switch a fail point on or off");
        }
        t.add("listCommands", new ListCommandsHandler(t), false, "the commands this server knows");
        return t;
    }
}
