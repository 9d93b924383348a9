package dev.argon.engine.command.crud;

import dev.argon.engine.ArgonException;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.session.RetryableWrite;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.Store;
import dev.argon.engine.store.WriteSession;
import dev.argon.engine.update.UpdateSpec;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;

/**
 * {@code update}: each statement {@code {q, u, upsert, multi, arrayFilters}} in order; every change of the
 * command is one commit. Reports {@code n} (matched plus upserted), {@code nModified} and {@code upserted}. A
 * retried statement ({@code txnNumber}) answers what it answered the first time instead of running again.
 */
public final class UpdateHandler implements CommandHandler {
    private static final java.util.Set<String> STATEMENT_FIELDS =
            java.util.Set.of("q", "u", "upsert", "multi", "arrayFilters", "collation", "hint", "c", "upsertSupplied");

    @Override
    public BsonDocument handle(CommandContext ctx) {
        String coll = ctx.collectionName();
        BsonValue updates = ctx.command().get("updates");
        if (updates == null || !updates.isArray()) {
            throw ArgonException.failedToParse("BSON field 'update.updates' is missing but a required field");
        }
        boolean ordered = ctx.bool("ordered", true);
        WriteErrors errors = new WriteErrors();
        int n = 0;
        int modified = 0;
        BsonArray upserted = new BsonArray();
        for (BsonValue v : updates.asArray()) {
            statement(v);
        }
        // Compiling an update needs no lock: done first, it runs beside other writers of the branch instead of in
        // its one-at-a-time section. A statement that does not compile keeps its error for its turn.
        Object[] specs = new Object[updates.asArray().size()];
        for (int i = 0; i < specs.length; i++) {
            BsonDocument st = updates.asArray().get(i).asDocument();
            try {
                specs[i] = UpdateSpec.compile(st.get("u"), arrayFilters(st));
            } catch (RuntimeException e) {
                specs[i] = e;
            }
        }
        RetryableWrite rw = ctx.retryableWrite();
        try (Store.Write w = ctx.beginWrite()) {
            WriteSession s = w.session();
            if (ctx.bool("bypassDocumentValidation", false)) {
                s.bypassValidation();
            }
            CollectionInfo c = s.collection(ctx.db(), coll);
            BsonArray list = updates.asArray();
            for (int i = 0; i < list.size(); i++) {
                BsonDocument before = rw.previous(i);
                if (before != null) {
                    n += before.getInt32("n").getValue();
                    modified += before.getInt32("nModified").getValue();
                    if (before.containsKey("upserted")) {
                        upserted.add(new BsonDocument("index", new BsonInt32(i)).append("_id", before.get("upserted")));
                    }
                    continue;
                }
                try {
                    BsonDocument st = statement(list.get(i));
                    boolean upsert = st.getBoolean("upsert", org.bson.BsonBoolean.FALSE).getValue();
                    boolean multi = st.getBoolean("multi", org.bson.BsonBoolean.FALSE).getValue();
                    if (specs[i] instanceof RuntimeException e) {
                        throw e;
                    }
                    UpdateSpec spec = (UpdateSpec) specs[i];
                    if (multi && spec.isReplacement()) {
                        throw ArgonException.failedToParse("multi update is not supported for replacement-style update");
                    }
                    if (multi && rw.active()) {
                        throw new ArgonException(MongoErrorCode.INVALID_OPTIONS, "Cannot use (or request) retryable writes with multi=true");
                    }
                    rw.beforeWrite();
                    if (c == null) {
                        if (!upsert) {
                            rw.applied(i, result(0, 0, null));
                            continue;
                        }
                        c = s.collectionForWrite(ctx.db(), coll);
                    }
                    Updater.Outcome o = Updater.apply(s, c, st.isDocument("q") ? st.getDocument("q") : null, null, spec, multi, upsert, ctx.document("let"),
                            st.get("hint"), true);
                    n += o.matched();
                    modified += o.modified();
                    if (o.upsertedId() != null) {
                        n++;
                        upserted.add(new BsonDocument("index", new BsonInt32(i)).append("_id", o.upsertedId()));
                    }
                    rw.applied(i, result(o.matched() + (o.upsertedId() != null ? 1 : 0), o.modified(), o.upsertedId()));
                } catch (ArgonException e) {
                    errors.add(i, e);
                    if (ordered) {
                        break;
                    }
                }
            }
            ctx.commit(s);
        }
        BsonDocument reply = new BsonDocument("n", new BsonInt32(n)).append("nModified", new BsonInt32(modified));
        if (!upserted.isEmpty()) {
            reply.append("upserted", upserted);
        }
        errors.appendTo(reply);
        rw.appendRetried(reply);
        return reply;
    }

    /** What one statement answered, as a retry of it answers again. */
    private static BsonDocument result(int n, int modified, BsonValue upsertedId) {
        BsonDocument r = new BsonDocument("n", new BsonInt32(n)).append("nModified", new BsonInt32(modified));
        if (upsertedId != null) {
            r.append("upserted", upsertedId);
        }
        return r;
    }

    private static BsonDocument statement(BsonValue v) {
        if (!v.isDocument()) {
            throw ArgonException.typeMismatch("BSON field 'update.updates' must contain only objects");
        }
        BsonDocument d = v.asDocument();
        for (String k : d.keySet()) {
            if (!STATEMENT_FIELDS.contains(k)) {
                // As mongod 7.0 answers, e.g. for 'sort', which only 8.0 accepts.
                throw new ArgonException(dev.argon.engine.MongoErrorCode.LOCATION_40415, "BSON field 'update.updates." + k + "' is an unknown field.");
            }
        }
        if (!d.containsKey("q")) {
            throw ArgonException.failedToParse("BSON field 'update.updates.q' is missing but a required field");
        }
        if (!d.containsKey("u")) {
            throw ArgonException.failedToParse("BSON field 'update.updates.u' is missing but a required field");
        }
        return d;
    }

    static List<BsonDocument> arrayFilters(BsonDocument st) {
        BsonValue af = st.get("arrayFilters");
        if (af == null || af.isNull()) {
            return null;
        }
        if (!af.isArray()) {
            throw ArgonException.typeMismatch("BSON field 'arrayFilters' is the wrong type, expected type 'array'");
        }
        List<BsonDocument> out = new ArrayList<>();
        for (BsonValue v : af.asArray()) {
            if (!v.isDocument()) {
                throw ArgonException.typeMismatch("arrayFilters must contain only objects");
            }
            out.add(v.asDocument());
        }
        return out;
    }
}
