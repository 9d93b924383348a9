package dev.argon.engine.command.crud;

import dev.argon.engine.ArgonException;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.exec.QueryPlan;
import dev.argon.engine.query.Projection;
import dev.argon.engine.session.RetryableWrite;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.Store;
import dev.argon.engine.store.WriteSession;
import dev.argon.engine.update.UpdateSpec;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonValue;

/**
 * {@code findAndModify}: removes or updates the first document in sort order and returns it (before or,
 * with {@code new: true}, after the change), with {@code lastErrorObject} as mongod reports it. A retry
 * ({@code txnNumber}) of an applied findAndModify answers the stored reply of the first attempt.
 */
public final class FindAndModifyHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        String coll = ctx.collectionName();
        BsonDocument query = ctx.document("query");
        BsonDocument sort = ctx.document("sort");
        boolean remove = ctx.bool("remove", false);
        boolean returnNew = ctx.bool("new", false);
        boolean upsert = ctx.bool("upsert", false);
        BsonValue update = ctx.command().get("update");
        BsonDocument fields = ctx.document("fields");
        if (remove && update != null) {
            throw ArgonException.failedToParse("Cannot specify both an update and remove=true");
        }
        if (!remove && update == null) {
            throw ArgonException.failedToParse("Either an update or remove=true must be specified");
        }
        if (remove && (upsert || returnNew)) {
            throw ArgonException.failedToParse("Cannot specify both upsert=true and remove=true");
        }
        Projection projection = fields == null || fields.isEmpty() ? null : Projection.compile(fields);
        BsonDocument lastError = new BsonDocument();
        BsonValue value = BsonNull.VALUE;
        RetryableWrite rw = ctx.retryableWrite();
        BsonDocument before = rw.previous(0);
        if (before != null) {
            // The first attempt's answer, document included, even if the document has changed since.
            return new BsonDocument("lastErrorObject", before.getDocument("lastErrorObject")).append("value", before.get("value"))
                    .append("retriedStmtId", new BsonInt32(rw.stmtId(0)));
        }
        try (Store.Write w = ctx.beginWrite()) {
            rw.beforeWrite();
            WriteSession s = w.session();
            if (ctx.bool("bypassDocumentValidation", false)) {
                s.bypassValidation();
            }
            CollectionInfo c = s.collection(ctx.db(), coll);
            if (remove) {
                BsonDocument target = null;
                if (c != null) {
                    try (QueryPlan.Result r = QueryPlan.find(s, c, new QueryPlan.Query(query, sort, 0, 1, null, ctx.document("let"),
                            ctx.command().get("hint")))) {
                        target = r.hasNext() ? r.next() : null;
                    }
                }
                if (target != null) {
                    s.delete(c, target);
                    value = project(projection, target);
                }
                lastError.append("n", new BsonInt32(target == null ? 0 : 1));
            } else {
                UpdateSpec spec = UpdateSpec.compile(update, UpdateHandler.arrayFilters(ctx.command()));
                if (c == null && upsert) {
                    c = s.collectionForWrite(ctx.db(), coll);
                }
                if (c == null) {
                    lastError.append("n", new BsonInt32(0)).append("updatedExisting", BsonBoolean.FALSE);
                } else {
                    Updater.Outcome o = Updater.apply(s, c, query, sort, spec, false, upsert, ctx.document("let"),
                            ctx.command().get("hint"));
                    if (o.upsertedId() != null) {
                        lastError.append("n", new BsonInt32(1)).append("updatedExisting", BsonBoolean.FALSE)
                                .append("upserted", o.upsertedId());
                        if (returnNew) {
                            value = project(projection, o.newDoc());
                        }
                    } else {
                        lastError.append("n", new BsonInt32(o.matched())).append("updatedExisting", BsonBoolean.valueOf(o.matched() > 0));
                        if (o.matched() > 0) {
                            value = project(projection, returnNew ? o.newDoc() : o.oldDoc());
                        }
                    }
                }
            }
            rw.applied(0, new BsonDocument("lastErrorObject", lastError).append("value", value));
            ctx.commit(s);
        }
        return new BsonDocument("lastErrorObject", lastError).append("value", value);
    }

    private static BsonValue project(Projection p, BsonDocument d) {
        return p == null ? d : p.apply(d, null);
    }
}
