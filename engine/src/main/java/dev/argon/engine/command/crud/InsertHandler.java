package dev.argon.engine.command.crud;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.session.RetryableWrite;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.Store;
import dev.argon.engine.store.WriteSession;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;

/**
 * {@code insert}: every document of the command is one log entry; all successful ones are one commit.
 * {@code ordered: true} (the default) stops at the first failing document, {@code false} carries on;
 * either way failures are reported per document in {@code writeErrors}. A retried insert ({@code txnNumber})
 * counts the documents an earlier attempt inserted without inserting them again.
 */
public final class InsertHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        String coll = ctx.collectionName();
        BsonValue docsValue = ctx.command().get("documents");
        if (docsValue == null || !docsValue.isArray()) {
            throw new ArgonException(MongoErrorCode.FAILED_TO_PARSE, "BSON field 'insert.documents' is missing but a required field");
        }
        BsonArray docs = docsValue.asArray();
        boolean ordered = ctx.bool("ordered", true);
        WriteErrors errors = new WriteErrors();
        int n = 0;
        RetryableWrite rw = ctx.retryableWrite();
        // Checking and encoding a document needs no lock: done first, it runs in parallel with other writers of
        // the branch instead of inside the branch's one-at-a-time section (docs/PERFORMANCE.md, "Write path profile").
        Object[] prepared = prepare(docs);
        try (Store.Write w = ctx.beginWrite()) {
            WriteSession s = w.session();
            if (ctx.bool("bypassDocumentValidation", false)) {
                s.bypassValidation();
            }
            CollectionInfo c = s.collectionForWrite(ctx.db(), coll);
            boolean preparedNew = s.allNew(c, preparedIds(prepared));
            for (int i = 0; i < docs.size(); i++) {
                if (rw.previous(i) != null) {
                    n++;
                    continue;
                }
                try {
                    Documents.Prepared d = i < prepared.length ? prepared(prepared[i]) : prepare(docs.get(i), i);
                    if (i < prepared.length) {
                        prepared[i] = null;
                    }
                    // The leading, prepared documents come first, so a later one still meets them in its own check.
                    s.insert(c, d.doc(), d.bson(), d.id(), d.encId(), preparedNew && i < prepared.length);
                    rw.applied(i, null);
                    n++;
                } catch (ArgonException e) {
                    errors.add(i, e);
                    if (ordered) {
                        break;
                    }
                }
            }
            if (rw.hasNewStatements()) {
                // As on mongod, one evaluation per insert command: all of its documents are one commit.
                rw.beforeWrite();
            }
            ctx.commit(s);
        }
        BsonDocument reply = new BsonDocument("n", new BsonInt32(n));
        errors.appendTo(reply);
        rw.appendRetried(reply);
        return reply;
    }

    /**
     * Bytes of encodings prepared before the branch lock is taken: memory stays bounded by this, not by the
     * command's size; the documents past it are prepared under the lock, as they come.
     */
    private static final long PREPARE_AHEAD_BYTES = 16L << 20;

    /** The leading documents prepared (or the error each one gets), up to {@link #PREPARE_AHEAD_BYTES}. */
    private static Object[] prepare(BsonArray docs) {
        java.util.List<Object> out = new java.util.ArrayList<>(Math.min(docs.size(), 1024));
        long bytes = 0;
        for (int i = 0; i < docs.size() && bytes < PREPARE_AHEAD_BYTES; i++) {
            try {
                Documents.Prepared d = prepare(docs.get(i), i);
                bytes += d.bson().length;
                out.add(d);
            } catch (ArgonException e) {
                out.add(e);
            }
        }
        return out.toArray();
    }

    /**
     * The encoded ids of the prepared documents that were not refused. Those an earlier attempt of a retried write
     * applied are among them (asking {@link RetryableWrite#previous} here would record them as retried twice): they
     * are stored, so the batch check says nothing and each document is checked as before.
     */
    private static java.util.List<byte[]> preparedIds(Object[] prepared) {
        java.util.List<byte[]> ids = new java.util.ArrayList<>(prepared.length);
        for (Object o : prepared) {
            if (o instanceof Documents.Prepared d) {
                ids.add(d.encId());
            }
        }
        return ids;
    }

    private static Documents.Prepared prepare(BsonValue v, int i) {
        if (!v.isDocument()) {
            throw ArgonException.typeMismatch("BSON field 'insert.documents." + i + "' is the wrong type, expected type 'object'");
        }
        return Documents.prepareForInsert(v.asDocument());
    }

    private static Documents.Prepared prepared(Object o) {
        if (o instanceof ArgonException e) {
            throw e;
        }
        return (Documents.Prepared) o;
    }
}
