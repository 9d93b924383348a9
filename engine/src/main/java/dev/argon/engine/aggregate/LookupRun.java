package dev.argon.engine.aggregate;

import static dev.argon.engine.aggregate.Args.error;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.bson.BsonOrder;
import dev.argon.engine.bson.BsonSize;
import dev.argon.engine.spill.StageLimits;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonValue;

/**
 * One run of a {@link LookupStage}: where each input document's foreign candidates come from, and the join.
 * Candidates come, in order of preference, from an index on the foreign field (per input document, while no table
 * was built); from the foreign collection held as an in-memory table keyed by the foreign field, read once per run
 * while its BSON size stays within {@code internalQuerySBELookupApproxMemoryUseInBytesBeforeSpill} (mongod's hash
 * join); past that the table is dropped and each later document reads the foreign collection afresh, streaming (a
 * nested-loop join, mongod's classic plan), so what is held is one input document and its matches. The matches of
 * one document are capped at {@code internalLookupStageIntermediateDocumentMaxSizeBytes} (4568), unless the stage
 * absorbed the {@code $unwind} of its {@code as} field that followed it: then each match is its own output
 * document and nothing accumulates. Not thread-safe: one per run of the stage.
 */
final class LookupRun {
    /** Per foreign document in the table beyond its BSON: the list slot and its share of the key map. */
    private static final long TABLE_OVERHEAD = 64;

    private final LookupStage stage;
    private final RunContext ctx;
    private final Pipeline.StageStats stats;
    private final StageLimits limits;
    /** The in-memory table: the foreign documents in scan order, and their positions by foreign-field value. */
    private List<BsonDocument> foreignDocs;
    private Map<ValueKey, List<Integer>> table;
    /** The foreign collection passed the table's limit: every later document without an index reads it afresh. */
    private boolean tooBig;
    /** How many documents a block may take (a cap on the block's key map); halved when a block's matches did not fit. */
    private int blockDocs = 100_000;

    LookupRun(LookupStage stage, RunContext ctx) {
        this.stage = stage;
        this.ctx = ctx;
        this.stats = ctx.counters(stage);
        this.limits = ctx.spill().stageLimits();
        if (stats != null) {
            stats.lookup = true;
        }
    }

    /** The input document with its matches as the {@code as} array (the stage without an absorbed $unwind). */
    BsonDocument joined(BsonDocument doc) {
        try (Matches m = matches(doc)) {
            return withMatches(doc, m);
        }
    }

    private BsonDocument withMatches(BsonDocument doc, Iterator<BsonDocument> matches) {
        long limit = limits.lookupResultBytes();
        BsonArray out = new BsonArray();
        long bytes = 0;
        while (matches.hasNext()) {
            BsonDocument d = matches.next();
            if (limit != Long.MAX_VALUE) {
                bytes += BsonSize.of(d);
                if (bytes > limit) {
                    throw tooManyMatches(limit);
                }
            }
            out.add(d);
        }
        return FieldPaths.setNested(doc, stage.as, 0, out);
    }

    private ArgonException tooManyMatches(long limit) {
        return error(MongoErrorCode.LOCATION_4568, "Total size of documents in " + stage.from
                + " matching pipeline's $lookup stage exceeds " + limit + " bytes");
    }

    /**
     * Whether the next input documents are joined a block at a time ({@link #joinedBlock}): the equality form, once
     * the foreign collection did not fit the table.
     */
    boolean joinsInBlocks() {
        return tooBig && stage.pipeline == null && stage.localField != null && ctx.resolver() != null;
    }

    /**
     * The next input documents joined with one scan of the foreign collection between them (a block nested loop):
     * documents are taken while they fill at most half the table's limit, and the scan gives each foreign document
     * to every document of the block whose local values it equals. Documents an index serves take their matches
     * from it. If the block's matches pass the table's limit the scan stops and the block's documents are joined one
     * by one instead ({@link #joined}, a scan each), and later blocks are half as long, so memory stays bounded
     * whatever the matches. The outputs are in input order, as one document at a time gives them.
     */
    Iterator<BsonDocument> joinedBlock(Iterator<BsonDocument> input) {
        long budget = limits.lookupHashBytes();
        List<BsonDocument> docs = new ArrayList<>();
        List<List<BsonDocument>> found = new ArrayList<>();
        Map<ValueKey, List<Integer>> wanted = new HashMap<>();
        long bytes = 0;
        while (input.hasNext() && docs.size() < blockDocs && bytes <= budget / 2) {
            BsonDocument doc = input.next();
            List<BsonValue> locals = localValues(doc);
            List<BsonDocument> viaIndex = viaIndex(locals, stage.foreignField, stage.foreignPath, false);
            int pos = docs.size();
            docs.add(doc);
            bytes += size(doc);
            if (viaIndex != null) {
                found.add(viaIndex);
                for (BsonDocument d : viaIndex) {
                    bytes += size(d);
                }
            } else {
                found.add(new ArrayList<>());
                for (BsonValue v : locals) {
                    List<Integer> at = wanted.computeIfAbsent(new ValueKey(v), k -> new ArrayList<>());
                    if (at.isEmpty() || at.get(at.size() - 1) != pos) {
                        at.add(pos);
                    }
                }
            }
        }
        if (!wanted.isEmpty() && !scanInto(wanted, found, bytes, budget)) {
            // Too many matches to hold for the block: one document at a time, and shorter blocks from now on.
            blockDocs = Math.max(1, docs.size() / 2);
            Iterator<BsonDocument> each = docs.iterator();
            return new MappingIterator(each) {
                @Override
                BsonDocument map(BsonDocument doc) {
                    return joined(doc);
                }
            };
        }
        List<BsonDocument> out = new ArrayList<>(docs.size());
        for (int i = 0; i < docs.size(); i++) {
            out.add(withMatches(docs.get(i), found.get(i).iterator()));
        }
        return out.iterator();
    }

    /**
     * One scan of the foreign collection, each document added to the matches of the block's documents it equals;
     * false (the scan stopped) when the block's documents and matches pass the budget.
     */
    private boolean scanInto(Map<ValueKey, List<Integer>> wanted, List<List<BsonDocument>> found, long bytes, long budget) {
        long resultLimit = limits.lookupResultBytes();
        long[] matchBytes = new long[found.size()];
        Iterator<BsonDocument> s = ctx.resolver().scan(stage.from);
        if (stats != null) {
            stats.collectionScans++;
        }
        try {
            Iterator<BsonDocument> scan = Pipeline.StageStats.counted(s, stats);
            List<BsonValue> values = new ArrayList<>();
            Set<Integer> hit = new java.util.TreeSet<>();
            while (scan.hasNext()) {
                BsonDocument f = scan.next();
                values.clear();
                foreignValues(f, stage.foreignField, values);
                hit.clear();
                for (BsonValue v : values) {
                    List<Integer> at = wanted.get(new ValueKey(v));
                    if (at != null) {
                        hit.addAll(at);
                    }
                }
                if (hit.isEmpty()) {
                    continue;
                }
                long n = size(f);
                for (int pos : hit) {
                    found.get(pos).add(f);
                    matchBytes[pos] += n;
                    if (matchBytes[pos] > resultLimit) {
                        throw tooManyMatches(resultLimit);
                    }
                    bytes += n;
                }
                if (bytes > budget) {
                    return false;
                }
            }
            return true;
        } finally {
            close(s instanceof AutoCloseable c ? c : null);
        }
    }

    /** BSON bytes counted against a limit; nothing to count without one (internal runs). */
    private long size(BsonDocument d) {
        return limits.lookupHashBytes() == Long.MAX_VALUE ? 0 : BsonSize.of(d);
    }

    /**
     * The input document once per match, the match as its {@code as} field (the stage with its $unwind absorbed):
     * lazily, so a document with millions of matches holds one at a time. No match: nothing, or the document
     * without the field when the $unwind preserves null and empty arrays, as {@link UnwindStage} does.
     */
    Iterator<BsonDocument> unwound(BsonDocument doc) {
        Matches m = matches(doc);
        if (!m.hasNext()) {
            m.close();
            return stage.unwindPreserve
                    ? Collections.singletonList(withIndex(FieldPaths.setNested(doc, stage.as, 0, null), BsonNull.VALUE)).iterator()
                    : Collections.emptyIterator();
        }
        return new Iterator<>() {
            private long i;

            @Override
            public boolean hasNext() {
                return m.hasNext();
            }

            @Override
            public BsonDocument next() {
                if (!m.hasNext()) {
                    throw new NoSuchElementException();
                }
                return withIndex(FieldPaths.setNested(doc, stage.as, 0, m.next()), new BsonInt64(i++));
            }
        };
    }

    private BsonDocument withIndex(BsonDocument doc, BsonValue index) {
        return stage.unwindIndex == null ? doc : FieldPaths.setNested(doc, stage.unwindIndex, 0, index);
    }

    /** The joined documents of one input document: the candidates, through the stage's pipeline if it has one. */
    private Matches matches(BsonDocument doc) {
        Variables bound = null;
        BsonValue exprValue = null;
        if (stage.pipeline != null) {
            Variables vars = ctx.vars(doc);
            bound = ctx.base();
            for (Map.Entry<String, Expression> e : stage.let.entrySet()) {
                BsonValue v = e.getValue().evaluate(vars);
                bound = bound.bind(e.getKey(), v);
                if (e.getKey().equals(stage.exprVar)) {
                    exprValue = v;
                }
            }
        }
        Iterator<BsonDocument> candidates = null;
        AutoCloseable scan = null;
        if (foreignDocs == null && ctx.resolver() != null) {
            List<BsonDocument> viaIndex = null;
            if (stage.localField != null) {
                viaIndex = viaIndex(localValues(doc), stage.foreignField, stage.foreignPath, false);
            } else if (stage.exprField != null && exprValue != null) {
                // The pipeline's own $match re-checks each candidate with $expr's equality.
                viaIndex = viaIndex(List.of(exprValue), stage.exprFieldParts, stage.exprField, true);
            }
            if (viaIndex != null) {
                candidates = viaIndex.iterator();
            }
        }
        if (candidates == null) {
            if (foreignDocs == null && !tooBig) {
                loadTable();
            }
            if (foreignDocs != null) {
                candidates = stage.localField == null ? foreignDocs.iterator() : probe(doc).iterator();
            } else {
                Iterator<BsonDocument> s = ctx.resolver().scan(stage.from);
                scan = s instanceof AutoCloseable c ? c : null;
                if (stats != null) {
                    stats.collectionScans++;
                }
                candidates = Pipeline.StageStats.counted(s, stats);
                if (stage.localField != null) {
                    candidates = equalTo(candidates, keys(localValues(doc)));
                }
            }
        }
        Iterator<BsonDocument> out = stage.pipeline == null ? candidates : stage.pipeline.run(candidates, ctx.withBase(bound));
        return new Matches(out, scan);
    }

    /**
     * Reads the foreign collection into the table, or, once its BSON size passes the limit, stops, drops what it
     * read and marks the run {@link #tooBig}. Without a resolver (a pipeline run outside a database) it is empty.
     */
    private void loadTable() {
        long limit = limits.lookupHashBytes();
        List<BsonDocument> docs = new ArrayList<>();
        if (ctx.resolver() != null) {
            Iterator<BsonDocument> s = ctx.resolver().scan(stage.from);
            long bytes = 0;
            long read = 0;
            try {
                while (s.hasNext()) {
                    BsonDocument d = s.next();
                    read++;
                    if (limit != Long.MAX_VALUE) {
                        bytes += BsonSize.of(d) + TABLE_OVERHEAD;
                        if (bytes > limit) {
                            tooBig = true;
                            break;
                        }
                    }
                    docs.add(d);
                }
            } finally {
                if (tooBig) {
                    close(s instanceof AutoCloseable c ? c : null);
                }
            }
            if (stats != null) {
                stats.collectionScans++;
                stats.docsExamined += read;
            }
        }
        if (!tooBig) {
            foreignDocs = docs;
            if (stage.foreignField != null) {
                table = buildTable(docs);
            }
        }
    }

    /**
     * The foreign documents whose field equals one of the values, read through an index on it, or null when none
     * serves them (or they pass the table's limit: the caller then scans). superset: leave candidates that only
     * find's equality matches to the pipeline.
     */
    private List<BsonDocument> viaIndex(List<BsonValue> locals, String[] parts, String path, boolean superset) {
        Pipeline.IndexedLookup hits = ctx.resolver().lookup(stage.from, path, locals, limits.lookupHashBytes());
        if (hits == null) {
            return null;
        }
        if (stats != null) {
            stats.indexesUsed.add(hits.index());
            stats.keysExamined += hits.keysExamined();
            stats.docsExamined += hits.docsExamined();
        }
        Set<ValueKey> wanted = keys(locals);
        List<BsonDocument> out = new ArrayList<>();
        for (BsonDocument f : hits.docs()) {
            if (superset || matchesAny(f, parts, wanted)) {
                out.add(f);
            }
        }
        // The order a scan of the foreign collection gives: _id order.
        out.sort((a, b) -> BsonOrder.compare(a.get("_id"), b.get("_id")));
        return out;
    }

    private List<BsonDocument> probe(BsonDocument doc) {
        BitSet hits = new BitSet(foreignDocs.size());
        for (BsonValue v : localValues(doc)) {
            List<Integer> ids = table.get(new ValueKey(v));
            if (ids != null) {
                for (int i : ids) {
                    hits.set(i);
                }
            }
        }
        List<BsonDocument> out = new ArrayList<>(hits.cardinality());
        for (int i = hits.nextSetBit(0); i >= 0; i = hits.nextSetBit(i + 1)) {
            out.add(foreignDocs.get(i));
        }
        return out;
    }

    private Map<ValueKey, List<Integer>> buildTable(List<BsonDocument> docs) {
        Map<ValueKey, List<Integer>> idx = new HashMap<>();
        List<BsonValue> values = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            values.clear();
            foreignValues(docs.get(i), stage.foreignField, values);
            for (BsonValue v : values) {
                List<Integer> ids = idx.computeIfAbsent(new ValueKey(v), k -> new ArrayList<>());
                if (ids.isEmpty() || ids.get(ids.size() - 1) != i) {
                    ids.add(i);
                }
            }
        }
        return idx;
    }

    /** The scanned documents whose foreign field equals one of the wanted values (the nested loop's test). */
    private Iterator<BsonDocument> equalTo(Iterator<BsonDocument> scan, Set<ValueKey> wanted) {
        return new Iterator<>() {
            private BsonDocument next;

            @Override
            public boolean hasNext() {
                while (next == null && scan.hasNext()) {
                    BsonDocument f = scan.next();
                    if (matchesAny(f, stage.foreignField, wanted)) {
                        next = f;
                    }
                }
                return next != null;
            }

            @Override
            public BsonDocument next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                BsonDocument out = next;
                next = null;
                return out;
            }
        };
    }


    private static boolean matchesAny(BsonDocument f, String[] parts, Set<ValueKey> wanted) {
        List<BsonValue> values = new ArrayList<>();
        foreignValues(f, parts, values);
        for (BsonValue v : values) {
            if (wanted.contains(new ValueKey(v))) {
                return true;
            }
        }
        return false;
    }

    /** What an equality on the foreign field compares: its values and whole arrays, or null when it is missing. */
    private static void foreignValues(BsonDocument f, String[] parts, List<BsonValue> out) {
        LookupStage.collect(f, parts, 0, out, true);
        if (out.isEmpty()) {
            out.add(BsonNull.VALUE);
        }
    }

    private static Set<ValueKey> keys(List<BsonValue> values) {
        Set<ValueKey> out = new HashSet<>();
        for (BsonValue v : values) {
            out.add(new ValueKey(v));
        }
        return out;
    }

    private List<BsonValue> localValues(BsonDocument doc) {
        List<BsonValue> locals = new ArrayList<>();
        LookupStage.collect(doc, stage.localField, 0, locals, false);
        if (locals.isEmpty() && FieldPaths.get(doc, stage.localField, 0) == null) {
            locals.add(BsonNull.VALUE);
        }
        return locals;
    }

    private static void close(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // a scan's close releases storage iterators; the command's spill closes it again at the end
            }
        }
    }

    /** One document's joined documents, closing the foreign scan it reads (if any) when read or dropped. */
    private static final class Matches implements Iterator<BsonDocument>, AutoCloseable {
        private final Iterator<BsonDocument> docs;
        private final AutoCloseable scan;
        private boolean closed;

        Matches(Iterator<BsonDocument> docs, AutoCloseable scan) {
            this.docs = docs;
            this.scan = scan;
        }

        @Override
        public boolean hasNext() {
            if (closed) {
                return false;
            }
            if (docs.hasNext()) {
                return true;
            }
            close();
            return false;
        }

        @Override
        public BsonDocument next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return docs.next();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                LookupRun.close(scan);
            }
        }
    }
}
