package dev.argon.engine.command.crud;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.cursor.DocSize;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonObjectId;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import dev.argon.engine.bson.KeyEncoder;
import dev.argon.engine.bson.RawDocuments;
import dev.argon.engine.bson.RawFields;

/**
 * Checks a document must pass before it is stored, and {@code _id} generation. Stateless.
 *
 * <p>The limits are mongod's for user documents: 16 MiB of BSON and 100 levels of nesting. Each write path
 * reports them with the code and message mongod 7.0 uses on that path (insert, update result, upsert), because
 * drivers and applications match on them.
 */
final class Documents {
    /** BSONObjMaxUserSize. */
    static final int MAX_SIZE = 16 * 1024 * 1024;
    /** BSONDepth::getMaxDepthForUserStorage(): the top-level fields are level 1. */
    static final int MAX_DEPTH = 100;

    /** Which write produced a document; decides the error mongod would give for an oversized one. */
    enum Origin { INSERT, UPDATE, UPSERT }

    private Documents() {}

    /**
     * A document ready to insert, its BSON (the bytes that become the stored version), its {@code _id} and that
     * id's key encoding: found and encoded here, before the branch lock, rather than under it.
     */
    record Prepared(BsonDocument doc, byte[] bson, BsonValue id, byte[] encId) {}

    /**
     * The document with an {@code _id} first (generated when missing), validated as an insert, and encoded once:
     * the size check reads the encoding's length instead of walking the document, and the write stores that
     * same encoding. (A document from the wire is nested at most 200 levels, so the encoder's own depth limit
     * never speaks before the 100-level check.)
     */
    static Prepared prepareForInsert(BsonDocument doc) {
        if (doc instanceof RawBsonDocument raw) {
            Prepared p = prepareRaw(raw);
            if (p != null) {
                return p;
            }
        }
        BsonDocument out = withIdFirst(doc);
        byte[] bson = dev.argon.wal.Bson.bytes(out);
        checkSize(bson.length, Origin.INSERT);
        checkDepth(out, Origin.INSERT);
        BsonValue id = out.get("_id");
        checkId(id);
        return new Prepared(out, bson, id, KeyEncoder.encode(id));
    }

    /**
     * {@link #prepareForInsert} for a document that arrived as raw BSON the proxy found canonical (its bytes are
     * what decoding and encoding would give): its bytes are stored as they are, with an ObjectId {@code _id}
     * written in front when it has none, and the checks walk the bytes instead of a decoded tree. Null when its
     * {@code _id} is not its first field: the general path moves it.
     */
    private static Prepared prepareRaw(RawBsonDocument raw) {
        byte[] b = raw.getBackingArray();
        int offset = raw.getByteOffset();
        int length = raw.getByteLength();
        RawBsonDocument out = raw;
        byte[] bson;
        if (RawDocuments.firstFieldIsId(b, offset)) {
            bson = offset == 0 && length == b.length ? b : java.util.Arrays.copyOfRange(b, offset, offset + length);
        } else if (RawFields.get(raw, "_id", ID) == null) {
            bson = RawDocuments.withObjectId(b, offset, length, new org.bson.types.ObjectId());
            out = new RawBsonDocument(bson);
        } else {
            return null;
        }
        checkSize(bson.length, Origin.INSERT);
        if (RawDocuments.exceedsDepth(bson, 0, 1, MAX_DEPTH)) {
            throw new ArgonException(MongoErrorCode.OVERFLOW, "cannot insert document because it exceeds " + MAX_DEPTH + " levels of nesting");
        }
        BsonValue id = RawFields.get(out, "_id", ID);
        checkId(id);
        return new Prepared(out, bson, id, KeyEncoder.encode(id));
    }

    private static final byte[] ID = RawFields.name("_id");

    /** As {@link #prepareForInsert}, for the document an upsert inserts. */
    static BsonDocument prepareForUpsert(BsonDocument doc) {
        return prepare(doc, Origin.UPSERT);
    }

    private static BsonDocument prepare(BsonDocument doc, Origin origin) {
        BsonDocument out = withIdFirst(doc);
        validate(out, origin);
        return out;
    }

    private static BsonDocument withIdFirst(BsonDocument doc) {
        BsonDocument out = doc;
        BsonValue id = doc.get("_id");
        if (id == null) {
            out = new BsonDocument("_id", new BsonObjectId());
            for (Map.Entry<String, BsonValue> e : doc.entrySet()) {
                out.append(e.getKey(), e.getValue());
            }
        } else if (!doc.getFirstKey().equals("_id")) {
            out = new BsonDocument("_id", id);
            for (Map.Entry<String, BsonValue> e : doc.entrySet()) {
                if (!e.getKey().equals("_id")) {
                    out.append(e.getKey(), e.getValue());
                }
            }
        }
        return out;
    }

    /**
     * Validates the result of an update and returns its BSON: the size check reads the encoding's length, and
     * the write stores that same encoding instead of encoding the document again. (A stored document has at most
     * 100 levels and an update adds at most the wire's 200, far below the encoder's own depth limit.)
     */
    static byte[] validateAndEncodeUpdated(BsonDocument doc) {
        checkDepth(doc, Origin.UPDATE);
        byte[] bson = dev.argon.wal.Bson.bytes(doc);
        checkSize(bson.length, Origin.UPDATE);
        checkId(doc.get("_id"));
        return bson;
    }

    /**
     * {@link #validateAndEncodeUpdated}'s checks for an updated document of which only the fields of
     * {@code changed} differ from its stored version (which passed them when it was written, {@code _id} included),
     * {@code size} being its new encoded size: depth, then size, in the same order.
     */
    static void validateUpdatedFields(BsonDocument changed, int size) {
        checkDepth(changed, Origin.UPDATE);
        checkSize(size, Origin.UPDATE);
    }

    private static void validate(BsonDocument doc, Origin origin) {
        // mongod checks an insert's size before its depth, and an update's or upsert's depth (storage
        // validation) before its size.
        if (origin == Origin.INSERT) {
            checkSize(doc, origin);
            checkDepth(doc, origin);
        } else {
            checkDepth(doc, origin);
            checkSize(doc, origin);
        }
        checkId(doc.get("_id"));
    }

    private static void checkSize(BsonDocument doc, Origin origin) {
        checkSize(DocSize.estimate(doc), origin);
    }

    private static void checkSize(int size, Origin origin) {
        if (size <= MAX_SIZE) {
            return;
        }
        switch (origin) {
            case INSERT -> throw new ArgonException(MongoErrorCode.BAD_VALUE,
                    "object to insert too large. size in bytes: " + size + ", max size: " + MAX_SIZE);
            case UPDATE -> throw new ArgonException(MongoErrorCode.LOCATION_17419,
                    "Resulting document after update is larger than " + MAX_SIZE);
            case UPSERT -> throw new ArgonException(MongoErrorCode.LOCATION_17420,
                    "Document to upsert is larger than " + MAX_SIZE);
        }
    }

    private static void checkDepth(BsonDocument doc, Origin origin) {
        if (exceedsDepth(doc, 1)) {
            throw new ArgonException(MongoErrorCode.OVERFLOW, origin == Origin.INSERT
                    ? "cannot insert document because it exceeds " + MAX_DEPTH + " levels of nesting"
                    : "Document exceeds maximum nesting depth of " + MAX_DEPTH);
        }
    }

    /**
     * True if some element of {@code container}, whose own elements are at {@code level}, lies deeper than
     * {@link #MAX_DEPTH}. An empty document or array adds no level, as in mongod. Recursion stops at the limit, so
     * the stack it uses is bounded whatever the input.
     */
    static boolean exceedsDepth(BsonValue container, int level) {
        if (level > MAX_DEPTH) {
            return true;
        }
        Iterable<BsonValue> children = container.isDocument() ? container.asDocument().values() : (BsonArray) container;
        for (BsonValue child : children) {
            if ((child.isDocument() && !child.asDocument().isEmpty() || child.isArray() && !child.asArray().isEmpty())
                    && exceedsDepth(child, level + 1)) {
                return true;
            }
        }
        return false;
    }

    private static void checkId(BsonValue id) {
        if (id == null) {
            return;
        }
        if (id.isArray()) {
            throw new ArgonException(MongoErrorCode.BAD_VALUE, "The '_id' value cannot be of type array");
        }
        if (id.isRegularExpression()) {
            throw new ArgonException(MongoErrorCode.BAD_VALUE, "can't use a regex for _id");
        }
        if (id.isDocument()) {
            for (String k : id.asDocument().keySet()) {
                if (k.startsWith("$")) {
                    throw new ArgonException(MongoErrorCode.DOLLAR_PREFIXED_FIELD_NAME,
                            "_id fields may not contain '$'-prefixed fields: " + k + " is not valid for storage.");
                }
            }
        }
    }
}
