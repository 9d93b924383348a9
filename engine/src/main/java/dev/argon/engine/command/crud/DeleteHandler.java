package dev.argon.engine.command.crud;

import dev.argon.engine.ArgonException;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.exec.QueryPlan;
import dev.argon.engine.session.RetryableWrite;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.Store;
import dev.argon.engine.store.WriteSession;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;

/**
 * {@code delete}: statements {@code {q, limit: 0|1}}; every removal of the command is one commit. A retried
 * statement ({@code txnNumber}) answers the count it removed the first time instead of running again.
 */
public final class DeleteHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        String coll = ctx.collectionName();
        BsonValue deletes = ctx.command().get("deletes");
        if (deletes == null || !deletes.isArray()) {
            throw ArgonException.failedToParse("BSON field 'delete.deletes' is missing but a required field");
        }
        boolean ordered = ctx.bool("ordered", true);
        WriteErrors errors = new WriteErrors();
        int n = 0;
        BsonArray list = deletes.asArray();
        for (BsonValue v : list) {
            validate(v);
        }
        RetryableWrite rw = ctx.retryableWrite();
        try (Store.Write w = ctx.beginWrite()) {
            WriteSession s = w.session();
            CollectionInfo c = s.collection(ctx.db(), coll);
            for (int i = 0; i < list.size(); i++) {
                BsonDocument before = rw.previous(i);
                if (before != null) {
                    n += before.getInt32("n").getValue();
                    continue;
                }
                try {
                    BsonDocument st = list.get(i).asDocument();
                    long limit = st.get("limit").asNumber().longValue();
                    if (limit == 0 && rw.active()) {
                        throw new ArgonException(dev.argon.engine.MongoErrorCode.INVALID_OPTIONS,
                                "Cannot use (or request) retryable writes with limit=0");
                    }
                    rw.beforeWrite();
                    if (c == null) {
                        rw.applied(i, new BsonDocument("n", new BsonInt32(0)));
                        continue;
                    }
                    BsonDocument q = st.get("q").isDocument() ? st.getDocument("q") : null;
                    int removed = 0;
                    if (limit == 0) {
                        // Deletes as it scans a fixed state of the session: memory stays flat however many match.
                        try (QueryPlan.Result r = QueryPlan.find(s.frozen(), c, new QueryPlan.Query(q, null, 0, 0, null, ctx.document("let"), st.get("hint")))) {
                            while (r.hasNext()) {
                                s.delete(c, r.next());
                                removed++;
                            }
                        }
                    } else {
                        BsonDocument target;
                        try (QueryPlan.Result r = QueryPlan.find(s, c, new QueryPlan.Query(q, null, 0, limit, null, ctx.document("let"), st.get("hint")))) {
                            target = r.hasNext() ? r.next() : null;
                        }
                        if (target != null) {
                            s.delete(c, target);
                            removed++;
                        }
                    }
                    n += removed;
                    rw.applied(i, new BsonDocument("n", new BsonInt32(removed)));
                } catch (ArgonException e) {
                    errors.add(i, e);
                    if (ordered) {
                        break;
                    }
                }
            }
            ctx.commit(s);
        }
        BsonDocument reply = new BsonDocument("n", new BsonInt32(n));
        errors.appendTo(reply);
        rw.appendRetried(reply);
        return reply;
    }

    /** Statement shape errors fail the whole command before anything runs, as on mongod. */
    private static void validate(BsonValue v) {
        if (!v.isDocument() || !v.asDocument().containsKey("q")) {
            throw ArgonException.failedToParse("BSON field 'delete.deletes.q' is missing but a required field");
        }
        BsonValue limitValue = v.asDocument().get("limit");
        if (limitValue == null) {
            throw ArgonException.failedToParse("BSON field 'delete.deletes.limit' is missing but a required field");
        }
        long limit = limitValue.isNumber() ? limitValue.asNumber().longValue() : -1;
        if (limit != 0 && limit != 1) {
            throw ArgonException.failedToParse("The limit field in delete objects must be 0 or 1. Got " + limitValue);
        }
    }
}
