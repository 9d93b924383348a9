package dev.argon.engine.command.crud;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.exec.QueryPlan;
import dev.argon.engine.query.MatchDetails;
import dev.argon.engine.query.Matcher;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.DataView;
import dev.argon.engine.store.WriteSession;
import dev.argon.engine.update.UpdateSpec;
import dev.argon.engine.bson.RawFields;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

/**
 * One update statement inside a write session: find the targets (the first match, or all with multi, in
 * sort order when given), apply the update, keep {@code _id}, upsert when nothing matched. Shared by
 * {@code update} and {@code findAndModify}. A single update by {@code _id} reads its target without planning a
 * query ({@link #pointRead}); for {@code update}, one operator on one top-level field is applied to the stored
 * bytes ({@link #patch}), since one field changing is the common write and decoding and re-encoding the whole
 * document was most of its cost. Stateless; each call belongs to the thread that holds the write session.
 */
final class Updater {
    /** What one statement did. oldDoc/newDoc are those of the last document touched. */
    record Outcome(int matched, int modified, BsonValue upsertedId, BsonDocument oldDoc, BsonDocument newDoc) {}

    private Updater() {}

    static Outcome apply(WriteSession s, CollectionInfo c, BsonDocument filter, BsonDocument sort, UpdateSpec spec,
                         boolean multi, boolean upsert, BsonDocument let, BsonValue hint) {
        return apply(s, c, filter, sort, spec, multi, upsert, let, hint, false);
    }

    /**
     * As the other overload; with {@code countsOnly} (the {@code update} command, which reports counts and never
     * the documents) the outcome's documents may be read-only {@link RawBsonDocument}s, which lets an update by
     * {@code _id} of one top-level field change that field in the stored bytes instead of decoding and encoding
     * the whole document ({@link #patch}).
     */
    static Outcome apply(WriteSession s, CollectionInfo c, BsonDocument filter, BsonDocument sort, UpdateSpec spec,
                         boolean multi, boolean upsert, BsonDocument let, BsonValue hint, boolean countsOnly) {
        BsonDocument q = filter == null ? new BsonDocument() : filter;
        // The plan matches the filter itself; matched again here only for the positional $'s match details.
        Matcher matcher = spec.needsMatchDetails() ? Matcher.compile(q, let) : null;
        int matched = 0;
        int modified = 0;
        BsonDocument lastOld = null;
        BsonDocument lastNew = null;
        // A multi update scans a fixed state of the session and writes as it goes, so that memory does not grow
        // with the number of documents (the session stages chunks) and no document is met twice. A single update
        // reads its one target through the session and closes the scan before writing.
        DataView source = multi ? s.frozen() : s;
        BsonDocument point = multi || matcher != null ? null : pointRead(s, c, q, sort, let, hint);
        if (point instanceof RawBsonDocument raw && countsOnly) {
            Outcome patched = patch(s, c, raw, spec);
            if (patched != null) {
                return patched;
            }
        }
        if (point instanceof RawBsonDocument raw) {
            // The general path edits a decoded copy (pointRead wraps the whole stored array).
            point = dev.argon.wal.Bson.document(raw.getBackingArray());
        }
        try (QueryPlan.Result r = point != null ? null
                : QueryPlan.find(source, c, new QueryPlan.Query(q, sort, 0, multi ? 0 : 1, null, let, hint))) {
            BsonDocument single = point == NOT_FOUND ? null : point;
            if (!multi && point == null) {
                single = r.hasNext() ? r.next() : null;
                r.close();
            }
            while (multi ? r.hasNext() : single != null) {
                BsonDocument old = multi ? r.next() : single;
                single = null;
                matched++;
                MatchDetails details = null;
                if (matcher != null) {
                    details = new MatchDetails();
                    matcher.matches(old, details);
                }
                BsonDocument updated = spec.apply(old, details, false);
                checkId(old, updated);
                byte[] bson = Documents.validateAndEncodeUpdated(updated);
                lastOld = old;
                lastNew = updated;
                if (!updated.equals(old)) {
                    s.update(c, old, updated, bson, spec.isReplacement());
                    modified++;
                }
            }
        }
        if (matched > 0 || !upsert) {
            return new Outcome(matched, modified, null, lastOld, lastNew);
        }
        BsonDocument seed = spec.upsertSeed(q);
        BsonDocument inserted = Documents.prepareForUpsert(spec.isReplacement() ? seed : spec.apply(seed, null, true));
        s.insert(c, inserted);
        return new Outcome(0, 0, inserted.get("_id"), null, inserted);
    }

    /** {@link #pointRead}'s answer when no document has the filter's {@code _id}. */
    private static final BsonDocument NOT_FOUND = new BsonDocument();

    /**
     * The target of a single update whose filter is only {@code {_id: <string, ObjectId, int or long>}} (the
     * common update by id), read without planning a query: the document, {@link #NOT_FOUND}, or null when the
     * filter is of another shape or the stored {@code _id} is an equal value of another type (1 for 1.0), which
     * the query plan then decides. The plan would make the same point read ({@code Plan.IdHack}) and count the
     * same use of the {@code _id} index; its matcher accepts every document whose {@code _id} is the identical
     * value, so skipping it changes no answer.
     */
    private static BsonDocument pointRead(WriteSession s, CollectionInfo c, BsonDocument q, BsonDocument sort,
                                          BsonDocument let, BsonValue hint) {
        if (c == null || q.size() != 1 || let != null || hint != null || (sort != null && !sort.isEmpty())) {
            return null;
        }
        BsonValue id = q.get("_id");
        if (id == null || !(id.isString() || id.isObjectId() || id.isInt32() || id.isInt64())) {
            return null;
        }
        byte[] bytes = s.documentBytes(c, id);
        RawBsonDocument d = bytes == null ? null : new RawBsonDocument(bytes);
        if (d != null && !id.equals(RawFields.get(d, "_id", ID))) {
            return null;
        }
        s.indexUsed(c, dev.argon.engine.store.IndexAccesses.ID_INDEX);
        return d == null ? NOT_FOUND : d;
    }

    private static final byte[] ID = RawFields.name("_id");

    /**
     * An update of one top-level field ({@link UpdateSpec#singleTopLevelField}) applied to the stored bytes: the
     * update runs on {@code {_id, field}} alone, which gives the same new value, the same errors and the same
     * no-op decision as on the whole document; the field's element is then replaced, appended (a new field goes
     * last, as in the whole document) or cut, and the other fields' bytes stay as they are. Null when the update
     * is not of that shape.
     */
    private static Outcome patch(WriteSession s, CollectionInfo c, RawBsonDocument old, UpdateSpec spec) {
        String field = spec.singleTopLevelField();
        if (field == null) {
            return null;
        }
        byte[] name = RawFields.name(field);
        BsonDocument part = new BsonDocument("_id", RawFields.get(old, "_id", ID));
        BsonValue before = RawFields.get(old, field, name);
        if (before != null) {
            part.put(field, before);
        }
        BsonDocument updated = spec.apply(part, null, false);
        checkId(part, updated);
        BsonValue after = updated.get(field);
        BsonDocument changed = after == null ? new BsonDocument() : new BsonDocument(field, after);
        byte[] bytes = old.getBackingArray();
        int start = old.getByteOffset();
        int length = old.getByteLength();
        int[] at = before == null ? null : RawFields.element(bytes, start, name);
        byte[] element = after == null ? new byte[0] : elementOf(changed);
        // Without the field: its element's place, or the trailing NUL for a new one.
        int cutFrom = at != null ? at[0] : start + length - 1;
        int cutTo = at != null ? at[1] : cutFrom;
        int size = length - (cutTo - cutFrom) + element.length;
        Documents.validateUpdatedFields(changed, size);
        if (updated.equals(part)) {
            return new Outcome(1, 0, null, old, old);
        }
        byte[] out = new byte[size];
        System.arraycopy(bytes, start, out, 0, cutFrom - start);
        System.arraycopy(element, 0, out, cutFrom - start, element.length);
        System.arraycopy(bytes, cutTo, out, cutFrom - start + element.length, start + length - cutTo);
        out[0] = (byte) size;
        out[1] = (byte) (size >>> 8);
        out[2] = (byte) (size >>> 16);
        out[3] = (byte) (size >>> 24);
        RawBsonDocument next = new RawBsonDocument(out);
        s.update(c, old, next, out, false);
        return new Outcome(1, 1, null, old, next);
    }

    /** The encoded element of a one-field document: its bytes without the length in front and the NUL at the end. */
    private static byte[] elementOf(BsonDocument one) {
        byte[] b = dev.argon.wal.Bson.bytes(one);
        return java.util.Arrays.copyOfRange(b, 4, b.length - 1);
    }

    private static void checkId(BsonDocument old, BsonDocument updated) {
        BsonValue before = old.get("_id");
        BsonValue after = updated.get("_id");
        if (after == null) {
            updated.put("_id", before);
        } else if (!after.equals(before)) {
            throw new ArgonException(MongoErrorCode.IMMUTABLE_FIELD, "After applying the update, the (immutable) field '_id' was found to have been altered to _id: "
                    + dev.argon.engine.store.DocFields.shellForm(after));
        }
    }
}
