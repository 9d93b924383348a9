package dev.argon.proxy.conformance;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.GridFSBuckets;
import com.mongodb.client.gridfs.model.GridFSDownloadOptions;
import com.mongodb.client.gridfs.model.GridFSUploadOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonObjectId;
import org.bson.BsonValue;
import org.bson.Document;

/**
 * GridFS {@code bucket} entities and their operations, through the Java driver's {@link GridFSBucket}: the entity's
 * {@code bucketOptions} ({@code bucketName}, {@code chunkSizeBytes}, read and write concern, read preference), and
 * {@code download}, {@code downloadByName} (with {@code revision}), {@code upload} and {@code delete}. The server sees
 * only the driver's ordinary {@code find}, {@code insert} and {@code delete} commands on {@code <bucket>.files} and
 * {@code <bucket>.chunks}, so the retryable-reads GridFS tests check that those reads are retried. Stateless.
 */
final class Buckets {
    private Buckets() {}

    static GridFSBucket create(MongoDatabase db, BsonDocument options) {
        Args opts = new Args("bucketOptions", options);
        String name = opts.string("bucketName");
        GridFSBucket b = name == null ? GridFSBuckets.create(db) : GridFSBuckets.create(db, name);
        if (opts.has("chunkSizeBytes")) {
            b = b.withChunkSizeBytes(opts.integer("chunkSizeBytes"));
        }
        if (opts.has("readConcern")) {
            b = b.withReadConcern(Bsons.readConcern(opts.document("readConcern")));
        }
        if (opts.has("writeConcern")) {
            b = b.withWriteConcern(Bsons.writeConcern(opts.document("writeConcern")));
        }
        if (opts.has("readPreference")) {
            b = b.withReadPreference(Bsons.readPreference(opts.document("readPreference")));
        }
        opts.done();
        return b;
    }

    static Operations.Result run(GridFSBucket b, String name, Args a) {
        switch (name) {
            case "download" -> {
                BsonValue id = a.required("id");
                a.done();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                b.downloadToStream(id, out);
                return Operations.Result.of(new BsonBinary(out.toByteArray()));
            }
            case "downloadByName" -> {
                String filename = a.string("filename");
                GridFSDownloadOptions o = new GridFSDownloadOptions();
                if (a.has("revision")) {
                    o.revision(a.integer("revision"));
                }
                a.done();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                b.downloadToStream(filename, out, o);
                return Operations.Result.of(new BsonBinary(out.toByteArray()));
            }
            case "upload" -> {
                String filename = a.string("filename");
                byte[] source = hexBytes(a.required("source"));
                GridFSUploadOptions o = new GridFSUploadOptions();
                if (a.has("chunkSizeBytes")) {
                    o.chunkSizeBytes(a.integer("chunkSizeBytes"));
                }
                if (a.has("metadata")) {
                    o.metadata(Document.parse(a.document("metadata").toJson()));
                }
                a.done();
                return Operations.Result.of(new BsonObjectId(b.uploadFromStream(filename, new ByteArrayInputStream(source), o)));
            }
            case "delete" -> {
                BsonValue id = a.required("id");
                a.done();
                b.delete(id);
                return Operations.Result.NONE;
            }
            default -> throw SkipTest.unsupported("runner: bucket operation " + name);
        }
    }

    /** The format's {@code {$$hexBytes: "1122"}} as the bytes it stands for. */
    private static byte[] hexBytes(BsonValue v) {
        if (!v.isDocument() || !v.asDocument().isString("$$hexBytes")) {
            throw SkipTest.unsupported("runner: upload source other than $$hexBytes");
        }
        return HexFormat.of().parseHex(v.asDocument().getString("$$hexBytes").getValue());
    }
}
