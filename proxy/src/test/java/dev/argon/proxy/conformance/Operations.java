package dev.argon.proxy.conformance;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoNamespace;
import com.mongodb.MongoSocketException;
import com.mongodb.ReadPreference;
import com.mongodb.TransactionOptions;
import com.mongodb.client.AggregateIterable;
import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.ClientSession;
import com.mongodb.client.DistinctIterable;
import com.mongodb.client.FindIterable;
import com.mongodb.client.ListCollectionsIterable;
import com.mongodb.client.ListDatabasesIterable;
import com.mongodb.client.ListIndexesIterable;
import com.mongodb.client.ListSearchIndexesIterable;
import com.mongodb.client.MongoCluster;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.MongoIterable;
import com.mongodb.client.TransactionBody;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.ChangeStreamPreAndPostImagesOptions;
import com.mongodb.client.model.ClusteredIndexOptions;
import com.mongodb.client.model.CountOptions;
import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.CreateViewOptions;
import com.mongodb.client.model.DeleteManyModel;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.DeleteOptions;
import com.mongodb.client.model.EstimatedDocumentCountOptions;
import com.mongodb.client.model.FindOneAndDeleteOptions;
import com.mongodb.client.model.FindOneAndReplaceOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.InsertOneOptions;
import com.mongodb.client.model.RenameCollectionOptions;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.SearchIndexModel;
import com.mongodb.client.model.SearchIndexType;
import com.mongodb.client.model.TimeSeriesGranularity;
import com.mongodb.client.model.TimeSeriesOptions;
import com.mongodb.client.model.UpdateManyModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.ValidationOptions;
import com.mongodb.client.model.WriteModel;
import com.mongodb.client.model.bulk.ClientBulkWriteOptions;
import com.mongodb.client.model.bulk.ClientDeleteManyOptions;
import com.mongodb.client.model.bulk.ClientDeleteOneOptions;
import com.mongodb.client.model.bulk.ClientNamespacedWriteModel;
import com.mongodb.client.model.bulk.ClientReplaceOneOptions;
import com.mongodb.client.model.bulk.ClientUpdateManyOptions;
import com.mongodb.client.model.bulk.ClientUpdateOneOptions;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.client.model.changestream.FullDocumentBeforeChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.conversions.Bson;

/**
 * Maps the format's operations onto the sync Java driver, one method per entity type. Each operation reads all its
 * arguments and calls {@link Args#done()} before it touches the server, so an argument the runner does not pass on
 * skips the test instead of silently running a different operation.
 */
final class Operations {

    /**
     * The outcome of a successful operation.
     *
     * @param value    the result as BSON (null when the operation returns nothing)
     * @param entity   a non-BSON result that can be saved as an entity (a cursor), or null
     * @param iterable whether {@code value} is an array of root-level documents (the results of a cursor)
     */
    record Result(BsonValue value, Object entity, boolean iterable) {
        static final Result NONE = new Result(null, null, false);

        static Result of(BsonValue v) {
            return new Result(v, null, false);
        }

        static Result documents(List<BsonDocument> docs) {
            return new Result(Bsons.array(docs), null, true);
        }
    }

    /** What the special (testRunner) operations need from the runner. */
    interface Runner {
        /**
         * Runs a nested operation (a withTransaction callback step) with its own expectations. An error it raised,
         * expected or not, is thrown on to the driver's withTransaction, which decides from it whether to retry or
         * abort, as the unified format requires.
         */
        void executeInCallback(BsonDocument operation);

        /** Runs a special testRunner operation. */
        Result special(String name, Args args);
    }

    private final Entities entities;
    private final Runner runner;
    private final boolean ignoreRawData;

    /**
     * @param ignoreRawData whether the server predates rawData (8.2), in which case drivers must not send the
     *                      option; the Java driver never does, so the argument is then satisfied by leaving it out
     */
    Operations(Entities entities, Runner runner, boolean ignoreRawData) {
        this.entities = entities;
        this.runner = runner;
        this.ignoreRawData = ignoreRawData;
    }

    @SuppressWarnings("unchecked")
    Result run(String object, String name, BsonDocument arguments) {
        Args a = new Args(name, arguments);
        if (ignoreRawData && a.has("rawData")) {
            a.ignore("rawData");
        }
        if (object.equals("testRunner")) {
            return runner.special(name, a);
        }
        Object target = entities.get(object);
        ClientSession session = a.has("session") ? entities.get(a.string("session"), ClientSession.class) : null;
        if (target instanceof MongoCollection<?> c) {
            return collection(object, (MongoCollection<BsonDocument>) c, name, a, session);
        }
        if (target instanceof MongoDatabase db) {
            return database(object, db, name, a, session);
        }
        if (target instanceof Entities.ClientEntity c) {
            return client(c, name, a, session);
        }
        if (target instanceof ClientSession s) {
            return session(s, name, a);
        }
        if (target instanceof Cursors.RunnerCursor c) {
            return cursor(c, name, a);
        }
        if (target instanceof com.mongodb.client.gridfs.GridFSBucket b) {
            return Buckets.run(b, name, a);
        }
        throw SkipTest.unsupported("runner: operations on " + target.getClass().getSimpleName());
    }

    // ---------------------------------------------------------------- collection

    private Result collection(String id, MongoCollection<BsonDocument> c, String name, Args a, ClientSession s) {
        switch (name) {
            case "insertOne" -> {
                BsonDocument doc = a.document("document");
                InsertOneOptions o = new InsertOneOptions();
                if (a.has("bypassDocumentValidation")) {
                    o.bypassDocumentValidation(a.bool("bypassDocumentValidation"));
                }
                if (a.has("comment")) {
                    o.comment(a.get("comment"));
                }
                a.done();
                return Result.of(Bsons.insertOne(s == null ? c.insertOne(doc, o) : c.insertOne(s, doc, o)));
            }
            case "insertMany" -> {
                List<BsonDocument> docs = Bsons.documents(a.required("documents"));
                InsertManyOptions o = new InsertManyOptions();
                if (a.has("ordered")) {
                    o.ordered(a.bool("ordered"));
                }
                if (a.has("bypassDocumentValidation")) {
                    o.bypassDocumentValidation(a.bool("bypassDocumentValidation"));
                }
                if (a.has("comment")) {
                    o.comment(a.get("comment"));
                }
                a.done();
                return Result.of(Bsons.insertMany(s == null ? c.insertMany(docs, o) : c.insertMany(s, docs, o)));
            }
            case "find", "findOne", "createFindCursor" -> {
                FindIterable<BsonDocument> it = find(c, a, s, name.equals("findOne"));
                a.done();
                if (name.equals("findOne")) {
                    return single(it.first());
                }
                if (name.equals("createFindCursor")) {
                    return new Result(null, Cursors.of(it.cursor()), false);
                }
                return Result.documents(it.into(new ArrayList<>()));
            }
            case "aggregate" -> {
                return aggregate(a, pipeline -> s == null ? c.aggregate(pipeline) : c.aggregate(s, pipeline));
            }
            case "countDocuments" -> {
                BsonDocument filter = a.document("filter");
                CountOptions o = new CountOptions();
                if (a.has("skip")) {
                    o.skip(a.integer("skip"));
                }
                if (a.has("limit")) {
                    o.limit(a.integer("limit"));
                }
                if (a.has("collation")) {
                    o.collation(Bsons.collation(a.document("collation")));
                }
                hint(a, o::hint, o::hintString);
                if (a.has("comment")) {
                    o.comment(a.get("comment"));
                }
                if (a.has("maxTimeMS")) {
                    o.maxTime(a.number("maxTimeMS"), TimeUnit.MILLISECONDS);
                }
                a.done();
                return Result.of(new BsonInt64(s == null ? c.countDocuments(filter, o) : c.countDocuments(s, filter, o)));
            }
            case "estimatedDocumentCount" -> {
                EstimatedDocumentCountOptions o = new EstimatedDocumentCountOptions();
                if (a.has("comment")) {
                    o.comment(a.get("comment"));
                }
                if (a.has("maxTimeMS")) {
                    o.maxTime(a.number("maxTimeMS"), TimeUnit.MILLISECONDS);
                }
                a.done();
                return Result.of(new BsonInt64(c.estimatedDocumentCount(o)));
            }
            case "count" -> {
                // The Java driver dropped the legacy count helper; the command it sent is rebuilt here, so that
                // the server's count command is still exercised by the spec's count tests.
                BsonDocument cmd = new BsonDocument("count", new BsonString(c.getNamespace().getCollectionName()));
                cmd.append("query", a.has("filter") ? a.document("filter") : new BsonDocument());
                for (String k : List.of("skip", "limit", "collation", "comment", "hint", "maxTimeMS")) {
                    if (a.has(k)) {
                        cmd.append(k, a.get(k));
                    }
                }
                a.done();
                Entities.ClientEntity client = entities.clientOf(id);
                MongoDatabase db = client.client().getDatabase(c.getNamespace().getDatabaseName());
                boolean retry = client.retryReads() && (s == null || !s.hasActiveTransaction());
                return Result.of(legacyCount(db, s, cmd, retry).get("n"));
            }
            case "distinct" -> {
                String field = a.string("fieldName");
                BsonDocument filter = a.document("filter");
                DistinctIterable<BsonValue> it = s == null ? c.distinct(field, filter, BsonValue.class)
                        : c.distinct(s, field, filter, BsonValue.class);
                if (a.has("collation")) {
                    it.collation(Bsons.collation(a.document("collation")));
                }
                if (a.has("comment")) {
                    it.comment(a.get("comment"));
                }
                hint(a, it::hint, it::hintString);
                if (a.has("maxTimeMS")) {
                    it.maxTime(a.number("maxTimeMS"), TimeUnit.MILLISECONDS);
                }
                a.done();
                return Result.of(Bsons.array(it.into(new ArrayList<>())));
            }
            case "mapReduce" -> {
                // The driver's (deprecated) helper, so that the command and its retry rules are the driver's own.
                String map = a.required("map").asJavaScript().getCode();
                String reduce = a.required("reduce").asJavaScript().getCode();
                BsonDocument out = a.document("out");
                if (out == null || !out.containsKey("inline") || out.size() != 1) {
                    throw SkipTest.unsupported("runner: mapReduce out other than inline");
                }
                a.done();
                @SuppressWarnings("deprecation")
                com.mongodb.client.MapReduceIterable<BsonDocument> it = s == null ? c.mapReduce(map, reduce)
                        : c.mapReduce(s, map, reduce);
                return Result.documents(it.into(new ArrayList<>()));
            }
            case "updateOne", "updateMany" -> {
                BsonDocument filter = a.document("filter");
                BsonValue update = a.required("update");
                UpdateOptions o = updateOptions(a);
                a.done();
                boolean one = name.equals("updateOne");
                if (update.isArray()) {
                    List<BsonDocument> p = Bsons.documents(update);
                    return Result.of(Bsons.update(one
                            ? (s == null ? c.updateOne(filter, p, o) : c.updateOne(s, filter, p, o))
                            : (s == null ? c.updateMany(filter, p, o) : c.updateMany(s, filter, p, o))));
                }
                BsonDocument u = update.asDocument();
                return Result.of(Bsons.update(one
                        ? (s == null ? c.updateOne(filter, u, o) : c.updateOne(s, filter, u, o))
                        : (s == null ? c.updateMany(filter, u, o) : c.updateMany(s, filter, u, o))));
            }
            case "replaceOne" -> {
                BsonDocument filter = a.document("filter");
                BsonDocument replacement = a.document("replacement");
                ReplaceOptions o = replaceOptions(a);
                a.done();
                return Result.of(Bsons.update(s == null ? c.replaceOne(filter, replacement, o)
                        : c.replaceOne(s, filter, replacement, o)));
            }
            case "deleteOne", "deleteMany" -> {
                BsonDocument filter = a.document("filter");
                DeleteOptions o = deleteOptions(a);
                a.done();
                boolean one = name.equals("deleteOne");
                return Result.of(Bsons.delete(one
                        ? (s == null ? c.deleteOne(filter, o) : c.deleteOne(s, filter, o))
                        : (s == null ? c.deleteMany(filter, o) : c.deleteMany(s, filter, o))));
            }
            case "findOneAndDelete" -> {
                BsonDocument filter = a.document("filter");
                FindOneAndDeleteOptions o = new FindOneAndDeleteOptions();
                if (a.has("projection")) {
                    o.projection(a.document("projection"));
                }
                if (a.has("sort")) {
                    o.sort(a.document("sort"));
                }
                if (a.has("collation")) {
                    o.collation(Bsons.collation(a.document("collation")));
                }
                hint(a, o::hint, o::hintString);
                if (a.has("comment")) {
                    o.comment(a.get("comment"));
                }
                if (a.has("let")) {
                    o.let(a.document("let"));
                }
                if (a.has("maxTimeMS")) {
                    o.maxTime(a.number("maxTimeMS"), TimeUnit.MILLISECONDS);
                }
                a.done();
                return modified(c, s, s == null ? c.findOneAndDelete(filter, o) : c.findOneAndDelete(s, filter, o));
            }
            case "findOneAndReplace" -> {
                BsonDocument filter = a.document("filter");
                BsonDocument replacement = a.document("replacement");
                FindOneAndReplaceOptions o = new FindOneAndReplaceOptions();
                if (a.has("projection")) {
                    o.projection(a.document("projection"));
                }
                if (a.has("sort")) {
                    o.sort(a.document("sort"));
                }
                if (a.has("upsert")) {
                    o.upsert(a.bool("upsert"));
                }
                if (a.has("returnDocument")) {
                    o.returnDocument(returnDocument(a.string("returnDocument")));
                }
                if (a.has("bypassDocumentValidation")) {
                    o.bypassDocumentValidation(a.bool("bypassDocumentValidation"));
                }
                if (a.has("collation")) {
                    o.collation(Bsons.collation(a.document("collation")));
                }
                hint(a, o::hint, o::hintString);
                if (a.has("comment")) {
                    o.comment(a.get("comment"));
                }
                if (a.has("let")) {
                    o.let(a.document("let"));
                }
                if (a.has("maxTimeMS")) {
                    o.maxTime(a.number("maxTimeMS"), TimeUnit.MILLISECONDS);
                }
                a.done();
                return modified(c, s, s == null ? c.findOneAndReplace(filter, replacement, o)
                        : c.findOneAndReplace(s, filter, replacement, o));
            }
            case "findOneAndUpdate" -> {
                BsonDocument filter = a.document("filter");
                BsonValue update = a.required("update");
                FindOneAndUpdateOptions o = new FindOneAndUpdateOptions();
                if (a.has("projection")) {
                    o.projection(a.document("projection"));
                }
                if (a.has("sort")) {
                    o.sort(a.document("sort"));
                }
                if (a.has("upsert")) {
                    o.upsert(a.bool("upsert"));
                }
                if (a.has("returnDocument")) {
                    o.returnDocument(returnDocument(a.string("returnDocument")));
                }
                if (a.has("bypassDocumentValidation")) {
                    o.bypassDocumentValidation(a.bool("bypassDocumentValidation"));
                }
                if (a.has("arrayFilters")) {
                    o.arrayFilters(Bsons.documents(a.get("arrayFilters")));
                }
                if (a.has("collation")) {
                    o.collation(Bsons.collation(a.document("collation")));
                }
                hint(a, o::hint, o::hintString);
                if (a.has("comment")) {
                    o.comment(a.get("comment"));
                }
                if (a.has("let")) {
                    o.let(a.document("let"));
                }
                if (a.has("maxTimeMS")) {
                    o.maxTime(a.number("maxTimeMS"), TimeUnit.MILLISECONDS);
                }
                a.done();
                if (update.isArray()) {
                    List<BsonDocument> p = Bsons.documents(update);
                    return modified(c, s, s == null ? c.findOneAndUpdate(filter, p, o) : c.findOneAndUpdate(s, filter, p, o));
                }
                return modified(c, s, s == null ? c.findOneAndUpdate(filter, update.asDocument(), o)
                        : c.findOneAndUpdate(s, filter, update.asDocument(), o));
            }
            case "bulkWrite" -> {
                List<WriteModel<BsonDocument>> requests = new ArrayList<>();
                for (BsonValue r : a.required("requests").asArray()) {
                    requests.add(writeModel(r.asDocument()));
                }
                BulkWriteOptions o = new BulkWriteOptions();
                if (a.has("ordered")) {
                    o.ordered(a.bool("ordered"));
                }
                if (a.has("bypassDocumentValidation")) {
                    o.bypassDocumentValidation(a.bool("bypassDocumentValidation"));
                }
                if (a.has("comment")) {
                    o.comment(a.get("comment"));
                }
                if (a.has("let")) {
                    o.let(a.document("let"));
                }
                a.done();
                return Result.of(Bsons.bulk(s == null ? c.bulkWrite(requests, o) : c.bulkWrite(s, requests, o)));
            }
            case "createIndex" -> {
                BsonDocument keys = a.document("keys");
                IndexOptions o = new IndexOptions();
                if (a.has("name")) {
                    o.name(a.string("name"));
                }
                if (a.has("unique")) {
                    o.unique(a.bool("unique"));
                }
                if (a.has("sparse")) {
                    o.sparse(a.bool("sparse"));
                }
                if (a.has("expireAfterSeconds")) {
                    o.expireAfter(a.number("expireAfterSeconds"), TimeUnit.SECONDS);
                }
                if (a.has("partialFilterExpression")) {
                    o.partialFilterExpression(a.document("partialFilterExpression"));
                }
                if (a.has("hidden")) {
                    o.hidden(a.bool("hidden"));
                }
                a.done();
                return Result.of(new BsonString(s == null ? c.createIndex(keys, o) : c.createIndex(s, keys, o)));
            }
            case "dropIndex" -> {
                String index = a.string("name");
                a.done();
                if (s == null) {
                    c.dropIndex(index);
                } else {
                    c.dropIndex(s, index);
                }
                return Result.NONE;
            }
            case "dropIndexes" -> {
                a.done();
                if (s == null) {
                    c.dropIndexes();
                } else {
                    c.dropIndexes(s);
                }
                return Result.NONE;
            }
            case "listIndexNames" -> {
                a.done();
                List<BsonValue> names = new ArrayList<>();
                for (BsonDocument ix : s == null ? c.listIndexes(BsonDocument.class) : c.listIndexes(s, BsonDocument.class)) {
                    names.add(ix.get("name"));
                }
                return Result.of(Bsons.array(names));
            }
            case "listIndexes" -> {
                ListIndexesIterable<BsonDocument> it = s == null ? c.listIndexes(BsonDocument.class)
                        : c.listIndexes(s, BsonDocument.class);
                if (a.has("batchSize")) {
                    it.batchSize(a.integer("batchSize"));
                }
                a.done();
                return Result.documents(it.into(new ArrayList<>()));
            }
            case "createSearchIndex" -> {
                SearchIndexModel m = searchIndexModel(a.document("model"));
                a.done();
                return Result.of(new BsonString(c.createSearchIndexes(List.of(m)).get(0)));
            }
            case "createSearchIndexes" -> {
                List<SearchIndexModel> models = new ArrayList<>();
                for (BsonValue m : a.required("models").asArray()) {
                    models.add(searchIndexModel(m.asDocument()));
                }
                a.done();
                List<BsonValue> names = new ArrayList<>();
                for (String n : c.createSearchIndexes(models)) {
                    names.add(new BsonString(n));
                }
                return Result.of(Bsons.array(names));
            }
            case "dropSearchIndex" -> {
                String index = a.string("name");
                a.done();
                c.dropSearchIndex(index);
                return Result.NONE;
            }
            case "updateSearchIndex" -> {
                String index = a.string("name");
                BsonDocument definition = a.document("definition");
                a.done();
                c.updateSearchIndex(index, definition);
                return Result.NONE;
            }
            case "listSearchIndexes" -> {
                ListSearchIndexesIterable<BsonDocument> it = c.listSearchIndexes(BsonDocument.class);
                if (a.has("name")) {
                    it.name(a.string("name"));
                }
                BsonDocument options = a.document("aggregationOptions");
                if (options != null) {
                    Args o = new Args("aggregationOptions", options);
                    if (o.has("batchSize")) {
                        it.batchSize(o.integer("batchSize"));
                    }
                    o.done();
                }
                a.done();
                return Result.documents(it.into(new ArrayList<>()));
            }
            case "rename" -> {
                String to = a.string("to");
                RenameCollectionOptions o = new RenameCollectionOptions();
                if (a.has("dropTarget")) {
                    o.dropTarget(a.bool("dropTarget"));
                }
                a.done();
                MongoNamespace ns = new MongoNamespace(c.getNamespace().getDatabaseName(), to);
                if (s == null) {
                    c.renameCollection(ns, o);
                } else {
                    c.renameCollection(s, ns, o);
                }
                return Result.NONE;
            }
            case "drop" -> {
                a.done();
                if (s == null) {
                    c.drop();
                } else {
                    c.drop(s);
                }
                return Result.NONE;
            }
            case "createChangeStream" -> {
                return changeStream(a, p -> s == null ? c.watch(p, BsonDocument.class) : c.watch(s, p, BsonDocument.class));
            }
            default -> throw SkipTest.unsupported("runner: collection operation " + name);
        }
    }

    /** A single-document result: the format writes "no document" as null. */
    private static Result single(BsonDocument d) {
        return Result.of(d == null ? BsonNull.VALUE : d);
    }

    /**
     * The result of findOneAndX. An unacknowledged write has no result by definition, whatever the server's reply
     * carried, so the spec expects it unset or null. Inside a transaction the collection's write concern is not
     * sent (only the commit carries one), so the statement is acknowledged and has its result.
     */
    private static Result modified(MongoCollection<BsonDocument> c, ClientSession s, BsonDocument d) {
        boolean acknowledged = c.getWriteConcern().isAcknowledged() || (s != null && s.hasActiveTransaction());
        return acknowledged ? single(d) : Result.NONE;
    }

    private FindIterable<BsonDocument> find(MongoCollection<BsonDocument> c, Args a, ClientSession s, boolean one) {
        BsonDocument filter = a.has("filter") ? a.document("filter") : new BsonDocument();
        FindIterable<BsonDocument> it = s == null ? c.find(filter) : c.find(s, filter);
        if (a.has("sort")) {
            it.sort(a.document("sort"));
        }
        if (a.has("projection")) {
            it.projection(a.document("projection"));
        }
        if (a.has("skip")) {
            it.skip(a.integer("skip"));
        }
        if (a.has("limit")) {
            it.limit(a.integer("limit"));
        }
        if (!one && a.has("batchSize")) {
            it.batchSize(a.integer("batchSize"));
        }
        if (a.has("comment")) {
            it.comment(a.get("comment"));
        }
        hint(a, it::hint, it::hintString);
        if (a.has("let")) {
            it.let(a.document("let"));
        }
        if (a.has("collation")) {
            it.collation(Bsons.collation(a.document("collation")));
        }
        if (a.has("allowDiskUse")) {
            it.allowDiskUse(a.bool("allowDiskUse"));
        }
        if (a.has("max")) {
            it.max(a.document("max"));
        }
        if (a.has("min")) {
            it.min(a.document("min"));
        }
        if (a.has("maxTimeMS")) {
            it.maxTime(a.number("maxTimeMS"), TimeUnit.MILLISECONDS);
        }
        if (a.has("returnKey")) {
            it.returnKey(a.bool("returnKey"));
        }
        if (a.has("showRecordId")) {
            it.showRecordId(a.bool("showRecordId"));
        }
        if (a.has("noCursorTimeout")) {
            it.noCursorTimeout(a.bool("noCursorTimeout"));
        }
        return it;
    }

    private Result aggregate(Args a, Function<List<BsonDocument>, AggregateIterable<BsonDocument>> open) {
        List<BsonDocument> pipeline = Bsons.documents(a.required("pipeline"));
        AggregateIterable<BsonDocument> it = open.apply(pipeline);
        if (a.has("batchSize")) {
            it.batchSize(a.integer("batchSize"));
        }
        if (a.has("allowDiskUse")) {
            it.allowDiskUse(a.bool("allowDiskUse"));
        }
        if (a.has("bypassDocumentValidation")) {
            it.bypassDocumentValidation(a.bool("bypassDocumentValidation"));
        }
        if (a.has("collation")) {
            it.collation(Bsons.collation(a.document("collation")));
        }
        if (a.has("comment")) {
            it.comment(a.get("comment"));
        }
        hint(a, it::hint, it::hintString);
        if (a.has("let")) {
            it.let(a.document("let"));
        }
        if (a.has("maxTimeMS")) {
            it.maxTime(a.number("maxTimeMS"), TimeUnit.MILLISECONDS);
        }
        a.done();
        String last = pipeline.isEmpty() ? "" : pipeline.get(pipeline.size() - 1).getFirstKey();
        if (last.equals("$out") || last.equals("$merge")) {
            // Iterating would make the driver read the output collection with an extra find; the spec's
            // expectations are for the aggregate alone.
            it.toCollection();
            return Result.documents(List.of());
        }
        return Result.documents(it.into(new ArrayList<>()));
    }

    private Result changeStream(Args a, Function<List<BsonDocument>, ChangeStreamIterable<BsonDocument>> open) {
        List<BsonDocument> pipeline = a.has("pipeline") ? Bsons.documents(a.get("pipeline")) : List.of();
        ChangeStreamIterable<BsonDocument> it = open.apply(pipeline);
        if (a.has("batchSize")) {
            it.batchSize(a.integer("batchSize"));
        }
        if (a.has("fullDocument")) {
            it.fullDocument(FullDocument.fromString(a.string("fullDocument")));
        }
        if (a.has("fullDocumentBeforeChange")) {
            it.fullDocumentBeforeChange(FullDocumentBeforeChange.fromString(a.string("fullDocumentBeforeChange")));
        }
        if (a.has("comment")) {
            it.comment(a.get("comment"));
        }
        if (a.has("showExpandedEvents")) {
            it.showExpandedEvents(a.bool("showExpandedEvents"));
        }
        if (a.has("maxAwaitTimeMS")) {
            it.maxAwaitTime(a.number("maxAwaitTimeMS"), TimeUnit.MILLISECONDS);
        }
        a.done();
        return new Result(null, Cursors.of(it.withDocumentClass(BsonDocument.class).cursor()), false);
    }

    private static void hint(Args a, Consumer<Bson> doc, Consumer<String> name) {
        if (a.has("hint")) {
            BsonValue h = a.get("hint");
            if (h.isString()) {
                name.accept(h.asString().getValue());
            } else {
                doc.accept(h.asDocument());
            }
        }
    }

    private static ReturnDocument returnDocument(String s) {
        return s.equalsIgnoreCase("after") ? ReturnDocument.AFTER : ReturnDocument.BEFORE;
    }

    private static UpdateOptions updateOptions(Args a) {
        UpdateOptions o = new UpdateOptions();
        if (a.has("upsert")) {
            o.upsert(a.bool("upsert"));
        }
        if (a.has("arrayFilters")) {
            o.arrayFilters(Bsons.documents(a.get("arrayFilters")));
        }
        if (a.has("collation")) {
            o.collation(Bsons.collation(a.document("collation")));
        }
        hint(a, o::hint, o::hintString);
        if (a.has("bypassDocumentValidation")) {
            o.bypassDocumentValidation(a.bool("bypassDocumentValidation"));
        }
        if (a.has("comment")) {
            o.comment(a.get("comment"));
        }
        if (a.has("let")) {
            o.let(a.document("let"));
        }
        if (a.has("sort")) {
            o.sort(a.document("sort"));
        }
        return o;
    }

    private static ReplaceOptions replaceOptions(Args a) {
        ReplaceOptions o = new ReplaceOptions();
        if (a.has("upsert")) {
            o.upsert(a.bool("upsert"));
        }
        if (a.has("collation")) {
            o.collation(Bsons.collation(a.document("collation")));
        }
        hint(a, o::hint, o::hintString);
        if (a.has("bypassDocumentValidation")) {
            o.bypassDocumentValidation(a.bool("bypassDocumentValidation"));
        }
        if (a.has("comment")) {
            o.comment(a.get("comment"));
        }
        if (a.has("let")) {
            o.let(a.document("let"));
        }
        if (a.has("sort")) {
            o.sort(a.document("sort"));
        }
        return o;
    }

    private static DeleteOptions deleteOptions(Args a) {
        DeleteOptions o = new DeleteOptions();
        if (a.has("collation")) {
            o.collation(Bsons.collation(a.document("collation")));
        }
        hint(a, o::hint, o::hintString);
        if (a.has("comment")) {
            o.comment(a.get("comment"));
        }
        if (a.has("let")) {
            o.let(a.document("let"));
        }
        return o;
    }

    private static WriteModel<BsonDocument> writeModel(BsonDocument request) {
        String type = request.getFirstKey();
        Args a = new Args("bulkWrite " + type, request.getDocument(type));
        WriteModel<BsonDocument> m;
        switch (type) {
            case "insertOne" -> m = new InsertOneModel<>(a.document("document"));
            case "updateOne", "updateMany" -> {
                BsonDocument filter = a.document("filter");
                BsonValue update = a.required("update");
                UpdateOptions o = updateOptions(a);
                boolean one = type.equals("updateOne");
                if (update.isArray()) {
                    List<BsonDocument> p = Bsons.documents(update);
                    m = one ? new UpdateOneModel<>(filter, p, o) : new UpdateManyModel<>(filter, p, o);
                } else {
                    m = one ? new UpdateOneModel<>(filter, update.asDocument(), o)
                            : new UpdateManyModel<>(filter, update.asDocument(), o);
                }
            }
            case "replaceOne" -> m = new ReplaceOneModel<>(a.document("filter"), a.document("replacement"), replaceOptions(a));
            case "deleteOne" -> m = new DeleteOneModel<>(a.document("filter"), deleteOptions(a));
            case "deleteMany" -> m = new DeleteManyModel<>(a.document("filter"), deleteOptions(a));
            default -> throw SkipTest.unsupported("runner: bulkWrite request " + type);
        }
        a.done();
        return m;
    }

    private static SearchIndexModel searchIndexModel(BsonDocument d) {
        Args a = new Args("search index model", d);
        BsonDocument definition = a.document("definition");
        String name = a.string("name");
        String type = a.string("type");
        a.done();
        if (type != null) {
            return new SearchIndexModel(name, definition, SearchIndexType.of(new BsonString(type)));
        }
        return name == null ? new SearchIndexModel(definition) : new SearchIndexModel(name, definition);
    }

    // ---------------------------------------------------------------- database

    private Result database(String id, MongoDatabase db, String name, Args a, ClientSession s) {
        switch (name) {
            case "runCommand" -> {
                BsonDocument command = a.document("command");
                a.string("commandName");
                ReadPreference rp = a.has("readPreference") ? Bsons.readPreference(a.document("readPreference")) : null;
                a.done();
                BsonDocument reply;
                if (rp == null) {
                    reply = s == null ? db.runCommand(command, BsonDocument.class) : db.runCommand(s, command, BsonDocument.class);
                } else {
                    reply = s == null ? db.runCommand(command, rp, BsonDocument.class) : db.runCommand(s, command, rp, BsonDocument.class);
                }
                return Result.of(reply);
            }
            case "runCursorCommand", "createCommandCursor" -> {
                BsonDocument command = a.document("command");
                a.string("commandName");
                Integer batchSize = a.integer("batchSize");
                Long maxTimeMS = a.number("maxTimeMS");
                BsonValue comment = a.get("comment");
                if (a.has("cursorType")) {
                    a.string("cursorType"); // the command document itself asks for a tailable cursor
                }
                if (a.has("readPreference")) {
                    throw SkipTest.unsupported("runner: readPreference for " + name);
                }
                a.done();
                Cursors.CommandCursor cursor = new Cursors.CommandCursor(entities.clientOf(id).client(), db, s, command,
                        batchSize, maxTimeMS, comment);
                if (name.equals("createCommandCursor")) {
                    return new Result(null, cursor, false);
                }
                try {
                    List<BsonDocument> docs = new ArrayList<>();
                    for (BsonDocument d = cursor.next(); d != null; d = cursor.next()) {
                        docs.add(d);
                    }
                    return Result.documents(docs);
                } finally {
                    cursor.close();
                }
            }
            case "aggregate" -> {
                return aggregate(a, p -> (s == null ? db.aggregate(p, BsonDocument.class) : db.aggregate(s, p, BsonDocument.class)));
            }
            case "createCollection" -> {
                String coll = a.string("collection");
                if (a.has("viewOn")) {
                    String viewOn = a.string("viewOn");
                    List<BsonDocument> pipeline = a.has("pipeline") ? Bsons.documents(a.get("pipeline")) : List.of();
                    CreateViewOptions vo = new CreateViewOptions();
                    if (a.has("collation")) {
                        vo.collation(Bsons.collation(a.document("collation")));
                    }
                    a.done();
                    if (s == null) {
                        db.createView(coll, viewOn, pipeline, vo);
                    } else {
                        db.createView(s, coll, viewOn, pipeline, vo);
                    }
                    return new Result(null, db.getCollection(coll, BsonDocument.class), false);
                }
                CreateCollectionOptions o = createOptions(a);
                a.done();
                if (s == null) {
                    db.createCollection(coll, o);
                } else {
                    db.createCollection(s, coll, o);
                }
                // Drivers return the new collection; tests save it as an entity to use it further on.
                return new Result(null, db.getCollection(coll, BsonDocument.class), false);
            }
            case "dropCollection" -> {
                String coll = a.string("collection");
                a.done();
                MongoCollection<BsonDocument> c = db.getCollection(coll, BsonDocument.class);
                if (s == null) {
                    c.drop();
                } else {
                    c.drop(s);
                }
                return Result.NONE;
            }
            case "listCollections", "listCollectionObjects" -> {
                ListCollectionsIterable<BsonDocument> it = s == null ? db.listCollections(BsonDocument.class)
                        : db.listCollections(s, BsonDocument.class);
                if (a.has("filter")) {
                    it.filter(a.document("filter"));
                }
                if (a.has("batchSize")) {
                    it.batchSize(a.integer("batchSize"));
                }
                if (a.has("comment")) {
                    it.comment(a.get("comment"));
                }
                a.done();
                return Result.documents(it.into(new ArrayList<>()));
            }
            case "listCollectionNames" -> {
                MongoIterable<String> it = s == null ? db.listCollectionNames() : db.listCollectionNames(s);
                if (a.has("filter")) {
                    throw SkipTest.unsupported("runner: filter of listCollectionNames");
                }
                a.done();
                List<BsonValue> names = new ArrayList<>();
                for (String n : it) {
                    names.add(new BsonString(n));
                }
                return Result.of(Bsons.array(names));
            }
            case "modifyCollection" -> {
                // The Java driver has no collMod helper; the command the spec describes is sent as is.
                BsonDocument cmd = new BsonDocument("collMod", a.required("collection"));
                for (String k : List.of("validator", "validationLevel", "validationAction", "index",
                        "changeStreamPreAndPostImages", "expireAfterSeconds", "timeseries")) {
                    if (a.has(k)) {
                        cmd.append(k, a.get(k));
                    }
                }
                a.done();
                return Result.of(s == null ? db.runCommand(cmd, BsonDocument.class) : db.runCommand(s, cmd, BsonDocument.class));
            }
            case "drop", "dropDatabase" -> {
                a.done();
                if (s == null) {
                    db.drop();
                } else {
                    db.drop(s);
                }
                return Result.NONE;
            }
            case "createChangeStream" -> {
                return changeStream(a, p -> s == null ? db.watch(p, BsonDocument.class) : db.watch(s, p, BsonDocument.class));
            }
            default -> throw SkipTest.unsupported("runner: database operation " + name);
        }
    }

    private static CreateCollectionOptions createOptions(Args a) {
        CreateCollectionOptions o = new CreateCollectionOptions();
        if (a.has("capped")) {
            o.capped(a.bool("capped"));
        }
        if (a.has("size")) {
            o.sizeInBytes(a.number("size"));
        }
        if (a.has("max")) {
            o.maxDocuments(a.number("max"));
        }
        if (a.has("expireAfterSeconds")) {
            o.expireAfter(a.number("expireAfterSeconds"), TimeUnit.SECONDS);
        }
        if (a.has("validator")) {
            o.validationOptions(new ValidationOptions().validator(a.document("validator")));
        }
        if (a.has("collation")) {
            o.collation(Bsons.collation(a.document("collation")));
        }
        if (a.has("changeStreamPreAndPostImages")) {
            o.changeStreamPreAndPostImagesOptions(new ChangeStreamPreAndPostImagesOptions(
                    a.document("changeStreamPreAndPostImages").getBoolean("enabled").getValue()));
        }
        if (a.has("clusteredIndex")) {
            Args ci = new Args("clusteredIndex", a.document("clusteredIndex"));
            ClusteredIndexOptions cio = new ClusteredIndexOptions(ci.document("key"), ci.bool("unique"));
            if (ci.has("name")) {
                cio.name(ci.string("name"));
            }
            ci.done();
            o.clusteredIndexOptions(cio);
        }
        if (a.has("timeseries")) {
            Args ts = new Args("timeseries", a.document("timeseries"));
            TimeSeriesOptions tso = new TimeSeriesOptions(ts.string("timeField"));
            if (ts.has("metaField")) {
                tso.metaField(ts.string("metaField"));
            }
            if (ts.has("granularity")) {
                tso.granularity(TimeSeriesGranularity.valueOf(ts.string("granularity").toUpperCase(Locale.ROOT)));
            }
            if (ts.has("bucketMaxSpanSeconds")) {
                tso.bucketMaxSpan(ts.number("bucketMaxSpanSeconds"), TimeUnit.SECONDS);
            }
            if (ts.has("bucketRoundingSeconds")) {
                tso.bucketRounding(ts.number("bucketRoundingSeconds"), TimeUnit.SECONDS);
            }
            ts.done();
            o.timeSeriesOptions(tso);
        }
        return o;
    }

    // ---------------------------------------------------------------- client

    private Result client(Entities.ClientEntity c, String name, Args a, ClientSession s) {
        switch (name) {
            case "listDatabases", "listDatabaseObjects" -> {
                ListDatabasesIterable<BsonDocument> it = s == null ? c.client().listDatabases(BsonDocument.class)
                        : c.client().listDatabases(s, BsonDocument.class);
                if (a.has("filter")) {
                    it.filter(a.document("filter"));
                }
                if (a.has("nameOnly")) {
                    it.nameOnly(a.bool("nameOnly"));
                }
                if (a.has("authorizedDatabases")) {
                    it.authorizedDatabasesOnly(a.bool("authorizedDatabases"));
                }
                a.done();
                return Result.documents(it.into(new ArrayList<>()));
            }
            case "listDatabaseNames" -> {
                a.done();
                List<BsonValue> names = new ArrayList<>();
                for (String n : s == null ? c.client().listDatabaseNames() : c.client().listDatabaseNames(s)) {
                    names.add(new BsonString(n));
                }
                return Result.of(Bsons.array(names));
            }
            case "close" -> {
                a.done();
                c.client().close();
                return Result.NONE;
            }
            case "clientBulkWrite" -> {
                List<ClientNamespacedWriteModel> models = new ArrayList<>();
                for (BsonValue m : a.required("models").asArray()) {
                    models.add(clientWriteModel(m.asDocument()));
                }
                ClientBulkWriteOptions o = ClientBulkWriteOptions.clientBulkWriteOptions();
                if (a.has("ordered")) {
                    o.ordered(a.bool("ordered"));
                }
                boolean verbose = Boolean.TRUE.equals(a.bool("verboseResults"));
                o.verboseResults(verbose);
                if (a.has("bypassDocumentValidation")) {
                    o.bypassDocumentValidation(a.bool("bypassDocumentValidation"));
                }
                if (a.has("comment")) {
                    o.comment(a.get("comment"));
                }
                if (a.has("let")) {
                    o.let(a.document("let"));
                }
                MongoCluster cluster = c.client();
                if (a.has("writeConcern")) {
                    cluster = cluster.withWriteConcern(Bsons.writeConcern(a.document("writeConcern")));
                }
                a.done();
                return Result.of(Bsons.clientBulk(s == null ? cluster.bulkWrite(models, o) : cluster.bulkWrite(s, models, o)));
            }
            case "createChangeStream" -> {
                return changeStream(a, p -> s == null ? c.client().watch(p, BsonDocument.class)
                        : c.client().watch(s, p, BsonDocument.class));
            }
            default -> throw SkipTest.unsupported("runner: client operation " + name);
        }
    }

    private static ClientNamespacedWriteModel clientWriteModel(BsonDocument request) {
        String type = request.getFirstKey();
        Args a = new Args("clientBulkWrite " + type, request.getDocument(type));
        MongoNamespace ns = new MongoNamespace(a.string("namespace"));
        ClientNamespacedWriteModel m;
        switch (type) {
            case "insertOne" -> m = ClientNamespacedWriteModel.insertOne(ns, a.document("document"));
            case "updateOne", "updateMany" -> {
                BsonDocument filter = a.document("filter");
                BsonValue update = a.required("update");
                boolean one = type.equals("updateOne");
                ClientUpdateOneOptions oo = ClientUpdateOneOptions.clientUpdateOneOptions();
                ClientUpdateManyOptions mo = ClientUpdateManyOptions.clientUpdateManyOptions();
                if (a.has("arrayFilters")) {
                    List<BsonDocument> af = Bsons.documents(a.get("arrayFilters"));
                    oo.arrayFilters(af);
                    mo.arrayFilters(af);
                }
                if (a.has("collation")) {
                    oo.collation(Bsons.collation(a.document("collation")));
                    mo.collation(Bsons.collation(a.document("collation")));
                }
                hint(a, h -> {
                    oo.hint(h);
                    mo.hint(h);
                }, h -> {
                    oo.hintString(h);
                    mo.hintString(h);
                });
                if (a.has("upsert")) {
                    oo.upsert(a.bool("upsert"));
                    mo.upsert(a.bool("upsert"));
                }
                if (one && a.has("sort")) {
                    oo.sort(a.document("sort"));
                }
                if (update.isArray()) {
                    List<BsonDocument> p = Bsons.documents(update);
                    m = one ? ClientNamespacedWriteModel.updateOne(ns, filter, p, oo)
                            : ClientNamespacedWriteModel.updateMany(ns, filter, p, mo);
                } else {
                    m = one ? ClientNamespacedWriteModel.updateOne(ns, filter, update.asDocument(), oo)
                            : ClientNamespacedWriteModel.updateMany(ns, filter, update.asDocument(), mo);
                }
            }
            case "replaceOne" -> {
                ClientReplaceOneOptions o = ClientReplaceOneOptions.clientReplaceOneOptions();
                BsonDocument filter = a.document("filter");
                BsonDocument replacement = a.document("replacement");
                if (a.has("collation")) {
                    o.collation(Bsons.collation(a.document("collation")));
                }
                hint(a, o::hint, o::hintString);
                if (a.has("upsert")) {
                    o.upsert(a.bool("upsert"));
                }
                if (a.has("sort")) {
                    o.sort(a.document("sort"));
                }
                m = ClientNamespacedWriteModel.replaceOne(ns, filter, replacement, o);
            }
            case "deleteOne" -> {
                ClientDeleteOneOptions o = ClientDeleteOneOptions.clientDeleteOneOptions();
                BsonDocument filter = a.document("filter");
                if (a.has("collation")) {
                    o.collation(Bsons.collation(a.document("collation")));
                }
                hint(a, o::hint, o::hintString);
                m = ClientNamespacedWriteModel.deleteOne(ns, filter, o);
            }
            case "deleteMany" -> {
                ClientDeleteManyOptions o = ClientDeleteManyOptions.clientDeleteManyOptions();
                BsonDocument filter = a.document("filter");
                if (a.has("collation")) {
                    o.collation(Bsons.collation(a.document("collation")));
                }
                hint(a, o::hint, o::hintString);
                m = ClientNamespacedWriteModel.deleteMany(ns, filter, o);
            }
            default -> throw SkipTest.unsupported("runner: clientBulkWrite model " + type);
        }
        a.done();
        return m;
    }

    // ---------------------------------------------------------------- session

    private Result session(ClientSession s, String name, Args a) {
        switch (name) {
            case "endSession" -> {
                a.done();
                s.close();
                return Result.NONE;
            }
            case "startTransaction" -> {
                TransactionOptions o = transactionOptions(a);
                a.done();
                if (o == null) {
                    s.startTransaction();
                } else {
                    s.startTransaction(o);
                }
                return Result.NONE;
            }
            case "commitTransaction" -> {
                a.done();
                s.commitTransaction();
                return Result.NONE;
            }
            case "abortTransaction" -> {
                a.done();
                s.abortTransaction();
                return Result.NONE;
            }
            case "withTransaction" -> {
                BsonArray callback = a.required("callback").asArray();
                TransactionOptions o = transactionOptions(a);
                a.done();
                TransactionBody<Object> body = () -> {
                    for (BsonValue op : callback) {
                        runner.executeInCallback(op.asDocument());
                    }
                    return null;
                };
                if (o == null) {
                    s.withTransaction(body);
                } else {
                    s.withTransaction(body, o);
                }
                return Result.NONE;
            }
            case "getSnapshotTime" -> {
                a.done();
                return Result.of(s.getSnapshotTimestamp());
            }
            default -> throw SkipTest.unsupported("runner: session operation " + name);
        }
    }

    /**
     * The retryable-reads codes (retryable-reads.md, "Determining Retryable Read Errors"): InterruptedAtShutdown,
     * InterruptedDueToReplStateChange, NotWritablePrimary, NotPrimaryNoSecondaryOk, NotPrimaryOrSecondary,
     * PrimarySteppedDown, ShutdownInProgress, HostNotFound, HostUnreachable, NetworkTimeout, SocketException,
     * ExceededTimeLimit, ReadConcernMajorityNotAvailableYet.
     */
    private static final Set<Integer> RETRYABLE_READ_CODES = Set.of(11600, 11602, 10107, 13435, 13436, 189, 91, 7, 6, 89,
            9001, 262, 134);

    /**
     * The {@code count} command as a driver's legacy count helper sends it: a retryable read, so retried once on a
     * network error or a retryable code when the client retries reads and no transaction is running (runCommand,
     * which the command goes through here, never retries).
     */
    private static BsonDocument legacyCount(MongoDatabase db, ClientSession s, BsonDocument cmd, boolean retry) {
        try {
            return s == null ? db.runCommand(cmd, BsonDocument.class) : db.runCommand(s, cmd, BsonDocument.class);
        } catch (MongoSocketException | MongoCommandException e) {
            boolean retryable = e instanceof MongoSocketException || RETRYABLE_READ_CODES.contains(e.getCode());
            if (!retry || !retryable) {
                throw e;
            }
            return s == null ? db.runCommand(cmd, BsonDocument.class) : db.runCommand(s, cmd, BsonDocument.class);
        }
    }

    private static TransactionOptions transactionOptions(Args a) {
        BsonDocument d = new BsonDocument();
        for (String k : List.of("readConcern", "writeConcern", "readPreference", "maxCommitTimeMS")) {
            if (a.has(k)) {
                d.append(k, a.get(k));
            }
        }
        return d.isEmpty() ? null : Entities.transactionOptions(d);
    }

    // ---------------------------------------------------------------- cursor

    private Result cursor(Cursors.RunnerCursor c, String name, Args a) {
        switch (name) {
            case "iterateUntilDocumentOrError" -> {
                a.done();
                BsonDocument d = c.next();
                if (d == null) {
                    throw new NoSuchElementException("cursor exhausted");
                }
                return Result.of(d);
            }
            case "iterateOnce" -> {
                a.done();
                return Result.of(c.tryNext());
            }
            case "close" -> {
                a.done();
                c.close();
                return Result.NONE;
            }
            default -> throw SkipTest.unsupported("runner: cursor operation " + name);
        }
    }
}
