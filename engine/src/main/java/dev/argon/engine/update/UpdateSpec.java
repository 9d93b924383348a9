package dev.argon.engine.update;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.aggregate.BsonText;
import dev.argon.engine.aggregate.Pipeline;
import dev.argon.engine.aggregate.Values;
import dev.argon.engine.query.MatchDetails;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * A compiled update: a replacement document, a document of update operators, or an aggregation pipeline
 * (array of stages). Compiling validates it with MongoDB's error codes. Immutable and thread-safe.
 * Results of {@link #apply} may share unmodified nested documents and arrays with the input document, so
 * neither should be mutated in place afterwards.
 */
public final class UpdateSpec {
    private static final Set<String> PIPELINE_STAGES = Set.of("$addFields", "$set", "$project", "$unset",
            "$replaceRoot", "$replaceWith");

    private final BsonDocument replacement;
    private final OperatorUpdate operators;
    private final Pipeline pipeline;

    private UpdateSpec(BsonDocument replacement, OperatorUpdate operators, Pipeline pipeline) {
        this.replacement = replacement;
        this.operators = operators;
        this.pipeline = pipeline;
    }

    /** arrayFilters may be null or empty. */
    public static UpdateSpec compile(BsonValue update, List<BsonDocument> arrayFilters) {
        if (update == null || (!update.isDocument() && !update.isArray())) {
            throw ArgonException.failedToParse("Update argument must be either an object or an array");
        }
        if (update.isArray()) {
            if (arrayFilters != null && !arrayFilters.isEmpty()) {
                throw ArgonException.failedToParse("arrayFilters may not be specified for pipeline-style updates");
            }
            return new UpdateSpec(null, null, compilePipeline(update));
        }
        BsonDocument doc = update.asDocument();
        ArrayFilters filters = ArrayFilters.compile(arrayFilters);
        if (!doc.isEmpty() && doc.getFirstKey().startsWith("$")) {
            OperatorUpdate ops = OperatorUpdate.compile(doc, filters);
            filters.checkAllUsed(update);
            return new UpdateSpec(null, ops, null);
        }
        for (String key : doc.keySet()) {
            if (key.startsWith("$")) {
                throw new ArgonException(MongoErrorCode.DOLLAR_PREFIXED_FIELD_NAME, "The dollar ($) prefixed field '"
                        + key + "' in '" + key + "' is not allowed in the context of an update's replacement document. "
                        + "Consider using an aggregation pipeline with $replaceWith.");
            }
        }
        filters.checkAllUsed(update);
        return new UpdateSpec((BsonDocument) Values.copy(doc), null, null);
    }

    private static Pipeline compilePipeline(BsonValue update) {
        List<BsonDocument> stages = new ArrayList<>();
        for (BsonValue v : update.asArray()) {
            if (!v.isDocument()) {
                throw ArgonException.typeMismatch("Each element of the 'pipeline' array must be an object");
            }
            BsonDocument stage = v.asDocument();
            if (stage.size() == 1 && !PIPELINE_STAGES.contains(stage.getFirstKey())) {
                // Let the pipeline parser report unknown or malformed stages with its own codes first.
                Pipeline.compile(Collections.singletonList(stage), null);
                throw new ArgonException(MongoErrorCode.INVALID_OPTIONS, stage.getFirstKey()
                        + " is not allowed to be used within an update");
            }
            stages.add(stage);
        }
        return Pipeline.compile(stages, null);
    }

    /**
     * True when {@link #apply} needs the filter's match details (a positional {@code $} path); otherwise null
     * details do, and the caller need not match the filter again to get them.
     */
    public boolean needsMatchDetails() {
        return operators != null && operators.positional();
    }

    /**
     * The one top-level field this update changes, when it is a single operator on a single top-level field other
     * than {@code _id} with no positional or array-filter part (the common {@code {$set: {f: v}}} or
     * {@code {$inc: {f: 1}}}); else null. Applying such an update to {@code {_id, f}} alone changes exactly what
     * applying it to the whole document changes, which lets a caller leave the other fields encoded.
     */
    public String singleTopLevelField() {
        return operators == null ? null : operators.singleTopLevelField();
    }

    public boolean isReplacement() {
        return replacement != null;
    }

    /**
     * Applies the update to a copy of doc and returns the new document (doc itself is not modified).
     * details: the filter's match details for the positional {@code $}; insert: true when the document is
     * being inserted by an upsert ($setOnInsert then applies). The result keeps doc's {@code _id}; changing
     * it throws ImmutableField (66).
     */
    public BsonDocument apply(BsonDocument doc, MatchDetails details, boolean insert) {
        BsonDocument out;
        if (operators != null) {
            out = operators.apply(doc, details, insert);
        } else if (replacement != null) {
            out = replace(doc, replacement);
        } else {
            Iterator<BsonDocument> it = pipeline.run(Collections.singletonList(doc).iterator(),
                    new BsonDateTime(System.currentTimeMillis()));
            out = replace(doc, it.hasNext() ? it.next() : doc);
        }
        if (insert) {
            out = idFirst(out);
        }
        checkId(out);
        return out;
    }

    /** A whole-document replacement keeps the original _id (first) unless it sets the same value itself. */
    private static BsonDocument replace(BsonDocument original, BsonDocument with) {
        BsonValue oldId = original.get("_id");
        BsonValue newId = with.get("_id");
        BsonDocument out = new BsonDocument();
        if (oldId != null && newId == null) {
            out.put("_id", oldId);
        } else if (oldId != null && !Values.equal(oldId, newId)) {
            throw new ArgonException(MongoErrorCode.IMMUTABLE_FIELD, "After applying the update, the (immutable) field "
                    + "'_id' was found to have been altered to " + BsonText.element("_id", newId));
        }
        for (Map.Entry<String, BsonValue> e : with.entrySet()) {
            out.put(e.getKey(), Values.copy(e.getValue()));
        }
        return out;
    }

    private static BsonDocument idFirst(BsonDocument doc) {
        BsonValue id = doc.get("_id");
        if (id == null || doc.getFirstKey().equals("_id")) {
            return doc;
        }
        BsonDocument out = new BsonDocument("_id", id);
        for (Map.Entry<String, BsonValue> e : doc.entrySet()) {
            if (!e.getKey().equals("_id")) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private static void checkId(BsonDocument doc) {
        BsonValue id = doc.get("_id");
        if (id == null) {
            return;
        }
        switch (id.getBsonType()) {
            case ARRAY:
            case REGULAR_EXPRESSION:
            case UNDEFINED:
                throw new ArgonException(MongoErrorCode.INVALID_ID_FIELD, "The '_id' value cannot be of type "
                        + Values.typeName(id));
            default:
                break;
        }
    }

    /**
     * The document an upsert starts from: the equality fields of the filter (with dotted paths expanded),
     * before {@link #apply} with insert=true. For a replacement the replacement itself (plus the filter's
     * {@code _id} if the replacement has none).
     */
    public BsonDocument upsertSeed(BsonDocument filter) {
        if (replacement == null) {
            return UpsertSeed.fromFilter(filter);
        }
        BsonDocument seed = new BsonDocument();
        BsonValue filterId = replacement.containsKey("_id") ? null : UpsertSeed.idEquality(filter);
        if (filterId != null) {
            seed.put("_id", Values.copy(filterId));
        }
        for (Map.Entry<String, BsonValue> e : replacement.entrySet()) {
            seed.put(e.getKey(), Values.copy(e.getValue()));
        }
        return seed;
    }
}
