package dev.argon.engine.command.catalog;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.Store;
import dev.argon.engine.store.WriteSession;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * {@code renameCollection: "db.a", to: "db.b"} (run against admin): moves the catalog entry; the documents
 * keep their collection id, so a rename costs the same at any size. {@code dropTarget} replaces an existing
 * target. Source and target are on the branch the command's {@code $db} selects.
 */
public final class RenameCollectionHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        String from = ns(ctx.command().get("renameCollection"), "renameCollection");
        String to = ns(ctx.command().get("to"), "to");
        String[] f = split(from);
        String[] t = split(to);
        boolean dropTarget = ctx.bool("dropTarget", false);
        // Before anything is looked up or dropped: an invalid target never costs the existing one.
        dev.argon.engine.store.Namespaces.validateCollection(t[0], t[1]);
        try (Store.Write w = ctx.beginWrite()) {
            WriteSession s = w.session();
            CollectionInfo source = s.collection(f[0], f[1]);
            if (source == null) {
                throw new ArgonException(MongoErrorCode.NAMESPACE_NOT_FOUND, "Source collection " + from + " does not exist");
            }
            if (from.equals(to)) {
                throw new ArgonException(MongoErrorCode.ILLEGAL_OPERATION, "Can't rename a collection to itself");
            }
            CollectionInfo existing = s.collection(t[0], t[1]);
            if (existing != null) {
                if (!dropTarget) {
                    throw new ArgonException(MongoErrorCode.NAMESPACE_EXISTS, "target namespace exists");
                }
                s.dropCollection(existing);
            }
            s.dropCollection(source);
            s.putCatalog(source.renamed(t[0], t[1]), "rename");
            s.commit(ctx.actor(), ctx.comment(), ctx.journaled());
        }
        return new BsonDocument();
    }

    private static String ns(BsonValue v, String field) {
        if (v == null || !v.isString()) {
            throw ArgonException.typeMismatch("BSON field 'renameCollection." + field + "' is the wrong type, expected type 'string'");
        }
        return v.asString().getValue();
    }

    private static String[] split(String ns) {
        int dot = ns.indexOf('.');
        if (dot <= 0 || dot == ns.length() - 1) {
            throw new ArgonException(MongoErrorCode.INVALID_NAMESPACE, "Invalid namespace specified '" + ns + "'");
        }
        String db = ns.substring(0, dot);
        int tilde = db.indexOf('~');
        return new String[] {tilde >= 0 ? db.substring(0, tilde) : db, ns.substring(dot + 1)};
    }
}
