package dev.argon.proxy.conformance;

import com.mongodb.ReadConcern;
import com.mongodb.ReadConcernLevel;
import com.mongodb.ReadPreference;
import com.mongodb.TagSet;
import com.mongodb.Tag;
import com.mongodb.WriteConcern;
import com.mongodb.WriteError;
import com.mongodb.bulk.WriteConcernError;
import com.mongodb.client.model.bulk.ClientBulkWriteResult;
import com.mongodb.bulk.BulkWriteInsert;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.bulk.BulkWriteUpsert;
import com.mongodb.client.model.Collation;
import com.mongodb.client.model.CollationAlternate;
import com.mongodb.client.model.CollationCaseFirst;
import com.mongodb.client.model.CollationMaxVariable;
import com.mongodb.client.model.CollationStrength;
import com.mongodb.client.result.DeleteResult;
import com.mongodb.client.result.InsertManyResult;
import com.mongodb.client.result.InsertOneResult;
import com.mongodb.client.result.UpdateResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;

/** Conversions between the format's BSON descriptions and driver objects, both ways. */
final class Bsons {
    private Bsons() {
    }

    static WriteConcern writeConcern(BsonDocument d) {
        WriteConcern wc = WriteConcern.ACKNOWLEDGED;
        for (Map.Entry<String, BsonValue> e : d.entrySet()) {
            BsonValue v = e.getValue();
            switch (e.getKey()) {
                case "w" -> wc = v.isString() ? wc.withW(v.asString().getValue()) : wc.withW(v.asNumber().intValue());
                case "j", "journal" -> wc = wc.withJournal(v.asBoolean().getValue());
                case "wtimeoutMS", "wtimeout" -> wc = wc.withWTimeout(v.asNumber().longValue(), TimeUnit.MILLISECONDS);
                default -> throw SkipTest.unsupported("runner: write concern option " + e.getKey());
            }
        }
        return wc;
    }

    static ReadConcern readConcern(BsonDocument d) {
        if (!d.containsKey("level")) {
            return ReadConcern.DEFAULT;
        }
        if (d.size() > 1) {
            throw SkipTest.unsupported("runner: read concern " + d.toJson());
        }
        return new ReadConcern(ReadConcernLevel.fromString(d.getString("level").getValue()));
    }

    static ReadPreference readPreference(BsonDocument d) {
        String mode = d.getString("mode").getValue();
        List<TagSet> tagSets = new ArrayList<>();
        if (d.containsKey("tagSets")) {
            for (BsonValue ts : d.getArray("tagSets")) {
                List<Tag> tags = new ArrayList<>();
                for (Map.Entry<String, BsonValue> t : ts.asDocument().entrySet()) {
                    tags.add(new Tag(t.getKey(), t.getValue().asString().getValue()));
                }
                tagSets.add(new TagSet(tags));
            }
        }
        if (d.containsKey("maxStalenessSeconds")) {
            return ReadPreference.valueOf(mode, tagSets, d.getNumber("maxStalenessSeconds").longValue(), TimeUnit.SECONDS);
        }
        return tagSets.isEmpty() ? ReadPreference.valueOf(mode) : ReadPreference.valueOf(mode, tagSets);
    }

    static Collation collation(BsonDocument d) {
        Collation.Builder b = Collation.builder();
        for (Map.Entry<String, BsonValue> e : d.entrySet()) {
            BsonValue v = e.getValue();
            switch (e.getKey()) {
                case "locale" -> b.locale(v.asString().getValue());
                case "caseLevel" -> b.caseLevel(v.asBoolean().getValue());
                case "caseFirst" -> b.collationCaseFirst(CollationCaseFirst.fromString(v.asString().getValue()));
                case "strength" -> b.collationStrength(CollationStrength.fromInt(v.asNumber().intValue()));
                case "numericOrdering" -> b.numericOrdering(v.asBoolean().getValue());
                case "alternate" -> b.collationAlternate(CollationAlternate.fromString(v.asString().getValue()));
                case "maxVariable" -> b.collationMaxVariable(CollationMaxVariable.fromString(v.asString().getValue()));
                case "normalization" -> b.normalization(v.asBoolean().getValue());
                case "backwards" -> b.backwards(v.asBoolean().getValue());
                default -> throw SkipTest.unsupported("runner: collation option " + e.getKey());
            }
        }
        return b.build();
    }

    static List<BsonDocument> documents(BsonValue array) {
        List<BsonDocument> out = new ArrayList<>();
        for (BsonValue v : array.asArray()) {
            out.add(v.asDocument());
        }
        return out;
    }

    static BsonDocument insertOne(InsertOneResult r) {
        if (!r.wasAcknowledged()) {
            return unacknowledged();
        }
        BsonDocument d = new BsonDocument();
        if (r.getInsertedId() != null) {
            d.put("insertedId", r.getInsertedId());
        }
        return d;
    }

    static BsonDocument insertMany(InsertManyResult r) {
        if (!r.wasAcknowledged()) {
            return unacknowledged();
        }
        BsonDocument ids = new BsonDocument();
        r.getInsertedIds().forEach((i, id) -> ids.put(String.valueOf(i), id));
        return new BsonDocument("insertedIds", ids);
    }

    static BsonDocument update(UpdateResult r) {
        if (!r.wasAcknowledged()) {
            return unacknowledged();
        }
        BsonDocument d = new BsonDocument("matchedCount", new BsonInt64(r.getMatchedCount()))
                .append("modifiedCount", new BsonInt64(r.getModifiedCount()))
                .append("upsertedCount", new BsonInt32(r.getUpsertedId() == null ? 0 : 1));
        if (r.getUpsertedId() != null) {
            d.put("upsertedId", r.getUpsertedId());
        }
        return d;
    }

    static BsonDocument delete(DeleteResult r) {
        return r.wasAcknowledged() ? new BsonDocument("deletedCount", new BsonInt64(r.getDeletedCount())) : unacknowledged();
    }

    static BsonDocument bulk(BulkWriteResult r) {
        if (!r.wasAcknowledged()) {
            return unacknowledged();
        }
        BsonDocument inserted = new BsonDocument();
        for (BulkWriteInsert i : r.getInserts()) {
            inserted.put(String.valueOf(i.getIndex()), i.getId());
        }
        BsonDocument upserted = new BsonDocument();
        for (BulkWriteUpsert u : r.getUpserts()) {
            upserted.put(String.valueOf(u.getIndex()), u.getId());
        }
        return new BsonDocument("deletedCount", new BsonInt32(r.getDeletedCount()))
                .append("insertedCount", new BsonInt32(r.getInsertedCount()))
                .append("insertedIds", inserted)
                .append("matchedCount", new BsonInt32(r.getMatchedCount()))
                .append("modifiedCount", new BsonInt32(r.getModifiedCount()))
                .append("upsertedCount", new BsonInt32(r.getUpserts().size()))
                .append("upsertedIds", upserted);
    }

    /** A client-level bulk write result; the per-operation maps only when the driver kept them (verboseResults). */
    static BsonDocument clientBulk(ClientBulkWriteResult r) {
        if (!r.isAcknowledged()) {
            return unacknowledged();
        }
        BsonDocument d = new BsonDocument("insertedCount", new BsonInt64(r.getInsertedCount()))
                .append("upsertedCount", new BsonInt64(r.getUpsertedCount()))
                .append("matchedCount", new BsonInt64(r.getMatchedCount()))
                .append("modifiedCount", new BsonInt64(r.getModifiedCount()))
                .append("deletedCount", new BsonInt64(r.getDeletedCount()));
        r.getVerboseResults().ifPresent(v -> {
            BsonDocument inserts = new BsonDocument();
            v.getInsertResults().forEach((i, ir) -> inserts.put(String.valueOf(i),
                    new BsonDocument("insertedId", ir.getInsertedId().orElse(BsonNull.VALUE))));
            BsonDocument updates = new BsonDocument();
            v.getUpdateResults().forEach((i, ur) -> {
                BsonDocument u = new BsonDocument("matchedCount", new BsonInt64(ur.getMatchedCount()))
                        .append("modifiedCount", new BsonInt64(ur.getModifiedCount()));
                ur.getUpsertedId().ifPresent(id -> u.append("upsertedId", id));
                updates.put(String.valueOf(i), u);
            });
            BsonDocument deletes = new BsonDocument();
            v.getDeleteResults().forEach((i, dr) -> deletes.put(String.valueOf(i),
                    new BsonDocument("deletedCount", new BsonInt64(dr.getDeletedCount()))));
            d.append("insertResults", inserts).append("updateResults", updates).append("deleteResults", deletes);
        });
        return d;
    }

    static BsonDocument writeError(WriteError e) {
        return new BsonDocument("code", new BsonInt32(e.getCode())).append("message", new BsonString(e.getMessage()))
                .append("details", e.getDetails());
    }

    static BsonDocument writeConcernError(WriteConcernError e) {
        return new BsonDocument("code", new BsonInt32(e.getCode())).append("codeName", new BsonString(e.getCodeName()))
                .append("message", new BsonString(e.getMessage())).append("details", e.getDetails());
    }

    private static BsonDocument unacknowledged() {
        return new BsonDocument("acknowledged", BsonBoolean.FALSE);
    }

    static BsonArray array(Iterable<? extends BsonValue> values) {
        BsonArray a = new BsonArray();
        for (BsonValue v : values) {
            a.add(v);
        }
        return a;
    }
}
