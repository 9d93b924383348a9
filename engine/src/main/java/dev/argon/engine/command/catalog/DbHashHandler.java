package dev.argon.engine.command.catalog;

import dev.argon.engine.ArgonException;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.DataView;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeMap;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

/**
 * {@code {dbHash: 1, [collections: [names]]}}: per collection of the database on the selected branch (or time-travel
 * view), the MD5 of its documents' BSON in {@code _id} order, and {@code md5} over those in name order, as mongod
 * answers it: two directories (a source and its restore, a branch and its clone) hold the same documents when
 * the hashes agree. Costs a scan of the database. Stateless, so thread-safe.
 */
public final class DbHashHandler implements CommandHandler {
    private static final BsonDocumentCodec CODEC = new BsonDocumentCodec();

    @Override
    public BsonDocument handle(CommandContext ctx) {
        long start = System.nanoTime();
        Set<String> only = null;
        BsonValue list = ctx.command().get("collections");
        if (list != null) {
            if (!list.isArray()) {
                throw ArgonException.typeMismatch("'collections' must be an array of collection names");
            }
            only = new HashSet<>();
            for (BsonValue v : list.asArray()) {
                if (!v.isString()) {
                    throw ArgonException.typeMismatch("'collections' must be an array of collection names");
                }
                only.add(v.asString().getValue());
            }
        }
        DataView view = ctx.readView();
        TreeMap<String, String> hashes = new TreeMap<>();
        BsonDocument uuids = new BsonDocument();
        for (CollectionInfo c : view.collections(ctx.db())) {
            if (only != null && !only.contains(c.name())) {
                continue;
            }
            MessageDigest md5 = md5();
            try (DataView.DocumentScan s = view.documents(c)) {
                while (s.hasNext()) {
                    ByteBuffer b = new RawBsonDocument(s.next(), CODEC).getByteBuffer().asNIO();
                    md5.update(b);
                }
            }
            hashes.put(c.name(), HexFormat.of().formatHex(md5.digest()));
            if (c.uuid() != null) {
                uuids.append(c.name(), c.uuid());
            }
        }
        MessageDigest all = md5();
        BsonDocument collections = new BsonDocument();
        for (var e : hashes.entrySet()) {
            collections.append(e.getKey(), new BsonString(e.getValue()));
            all.update(e.getValue().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        return new BsonDocument("host", new BsonString("argon"))
                .append("collections", collections)
                .append("capped", new BsonArray())
                .append("uuids", uuids)
                .append("md5", new BsonString(HexFormat.of().formatHex(all.digest())))
                .append("timeMillis", new BsonInt64((System.nanoTime() - start) / 1_000_000));
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks MD5", e);
        }
    }
}
