package dev.argon.engine.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.engine.ArgonException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.junit.jupiter.api.Test;

class PipelineTest {
    private static final JsonWriterSettings EXACT = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();

    static BsonDocument json(String s) {
        return BsonDocument.parse(s);
    }

    static List<BsonDocument> docs(String array) {
        List<BsonDocument> out = new ArrayList<>();
        for (BsonValue v : BsonArray.parse(array)) {
            out.add(v.asDocument());
        }
        return out;
    }

    static List<BsonDocument> stages(String array) {
        return docs(array);
    }

    private final Map<String, List<BsonDocument>> collections = new HashMap<>();

    private List<BsonDocument> run(String pipeline, String input) {
        Pipeline p = Pipeline.compile(stages(pipeline), name -> collections.getOrDefault(name, List.of()).iterator());
        List<BsonDocument> out = new ArrayList<>();
        p.run(docs(input).iterator()).forEachRemaining(out::add);
        return out;
    }

    /** Exact comparison: types and field order matter. */
    private static void assertDocs(String expected, List<BsonDocument> actual) {
        String want = docs(expected).stream().map(d -> d.toJson(EXACT)).collect(Collectors.joining(",\n"));
        String got = actual.stream().map(d -> d.toJson(EXACT)).collect(Collectors.joining(",\n"));
        assertEquals(want, got);
    }

    private ArgonException error(String pipeline, String input) {
        return assertThrows(ArgonException.class, () -> run(pipeline, input));
    }

    @Test
    void matchFiltersIncludingExpr() {
        assertDocs("[{a: 2}]", run("[{$match: {a: {$gt: 1}}}]", "[{a: 1}, {a: 2}]"));
        assertDocs("[{a: 2, b: 1}]", run("[{$match: {$expr: {$gt: ['$a', '$b']}}}]", "[{a: 1, b: 1}, {a: 2, b: 1}]"));
    }

    @Test
    void projectInclusionKeepsDocumentOrderAndAddsComputedFields() {
        assertDocs("[{_id: 1, a: 1, b: 2, c: 3}]",
                run("[{$project: {b: 1, c: {$add: ['$a', '$b']}, a: 1}}]", "[{_id: 1, a: 1, b: 2, x: 9}]"));
        assertDocs("[{a: 1}]", run("[{$project: {_id: 0, a: 1}}]", "[{_id: 1, a: 1, b: 2}]"));
        assertDocs("[{_id: 1, a: [{b: 1}, {b: 2}, {}]}]",
                run("[{$project: {'a.b': 1}}]", "[{_id: 1, a: [{b: 1, c: 1}, {b: 2}, 5, {c: 3}]}]"));
        assertDocs("[{_id: 1, a: {b: 7}}]", run("[{$project: {'a.b': {$literal: 7}}}]", "[{_id: 1, a: 5}]"));
        assertDocs("[{_id: 1, s: 'lit'}]", run("[{$project: {s: 'lit'}}]", "[{_id: 1}]"));
    }

    @Test
    void projectExclusion() {
        assertDocs("[{_id: 1, a: {c: 2}, d: [{c: 1}, 5]}]",
                run("[{$project: {'a.b': 0, x: 0, 'd.b': 0}}]", "[{_id: 1, a: {b: 1, c: 2}, x: 1, d: [{b: 1, c: 1}, 5]}]"));
        assertDocs("[{a: 1}]", run("[{$project: {_id: 0}}]", "[{_id: 1, a: 1}]"));
    }

    @Test
    void projectErrors() {
        assertEquals(31254, error("[{$project: {a: 1, b: 0}}]", "[]").code());
        assertEquals(31253, error("[{$project: {a: 0, b: 1}}]", "[]").code());
        assertEquals(51272, error("[{$project: {}}]", "[]").code());
        assertEquals(31250, error("[{$project: {a: 1, 'a.b': 1}}]", "[]").code());
    }

    @Test
    void addFieldsSetAndUnset() {
        assertDocs("[{_id: 1, a: 5, b: {c: 1, d: 2}, n: 2}]",
                run("[{$addFields: {a: 5, 'b.d': 2, n: {$size: '$arr'}}}, {$unset: 'arr'}]",
                        "[{_id: 1, a: 1, b: {c: 1}, arr: [1, 2]}]"));
        assertDocs("[{_id: 1, b: {c: 1, e: 3}}]", run("[{$set: {b: {e: 3}}}]", "[{_id: 1, b: {c: 1}}]"));
        assertDocs("[{_id: 1, arr: [{x: 1, y: 2}, {y: 2}]}]", run("[{$set: {'arr.y': 2}}]", "[{_id: 1, arr: [{x: 1}, 7]}]"));
        assertDocs("[{_id: 1}]", run("[{$set: {a: '$$REMOVE'}}]", "[{_id: 1, a: 1}]"));
        assertDocs("[{_id: 1}]", run("[{$unset: ['a', 'b.c']}]", "[{_id: 1, a: 1}]"));
        assertEquals(31119, error("[{$unset: []}]", "[]").code());
    }

    @Test
    void sortLimitSkipCount() {
        String input = "[{a: 3}, {a: 1}, {a: 2}, {a: 5}, {a: 4}]";
        assertDocs("[{a: 1}, {a: 2}, {a: 3}, {a: 4}, {a: 5}]", run("[{$sort: {a: 1}}]", input));
        assertDocs("[{a: 5}, {a: 4}]", run("[{$sort: {a: -1}}, {$limit: 2}]", input));
        assertDocs("[{a: 3}, {a: 4}]", run("[{$sort: {a: 1}}, {$skip: 2}, {$limit: 2}]", input));
        assertDocs("[{a: 2}, {a: 5}]", run("[{$skip: 2}, {$limit: 2}]", input));
        assertDocs("[{n: 5}]", run("[{$count: 'n'}]", input));
        assertDocs("[]", run("[{$count: 'n'}]", "[]"));
        assertEquals(15958, error("[{$limit: 0}]", "[]").code());
        assertEquals(15956, error("[{$skip: -1}]", "[]").code());
        assertEquals(40156, error("[{$count: ''}]", "[]").code());
    }

    @Test
    void topKSortIsStableAndMatchesFullSort() {
        List<BsonDocument> input = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            input.add(new BsonDocument("k", new BsonInt32((i * 7919) % 100)).append("i", new BsonInt32(i)));
        }
        Pipeline full = Pipeline.compile(stages("[{$sort: {k: -1}}]"), null);
        Pipeline top = Pipeline.compile(stages("[{$sort: {k: -1}}, {$limit: 50}]"), null);
        List<BsonDocument> expected = new ArrayList<>();
        full.run(input.iterator()).forEachRemaining(expected::add);
        List<BsonDocument> actual = new ArrayList<>();
        top.run(input.iterator()).forEachRemaining(actual::add);
        assertEquals(expected.subList(0, 50), actual);
    }

    @Test
    void groupAccumulators() {
        String input = "[{k: 'a', v: 1}, {k: 'b', v: 2.5}, {k: 'a', v: 3}, {k: 'a', s: 'x'}]";
        assertDocs("[{_id: 'a', sum: 4, avg: 2.0, min: 1, max: 3, first: 1, last: null, push: [1, 3], set: [1, 3], n: 3}, "
                + "{_id: 'b', sum: 2.5, avg: 2.5, min: 2.5, max: 2.5, first: 2.5, last: 2.5, push: [2.5], set: [2.5], n: 1}]",
                run("[{$group: {_id: '$k', sum: {$sum: '$v'}, avg: {$avg: '$v'}, min: {$min: '$v'}, max: {$max: '$v'}, "
                        + "first: {$first: '$v'}, last: {$last: '$v'}, push: {$push: '$v'}, set: {$addToSet: '$v'}, "
                        + "n: {$count: {}}}}]", input));
        assertDocs("[{_id: null, total: 4, c: NumberLong('4294967294')}]",
                run("[{$group: {_id: null, total: {$sum: 1}, c: {$sum: '$big'}}}]",
                        "[{big: 2147483647}, {big: 2147483647}, {}, {}]"));
        assertDocs("[{_id: {x: 1}, n: 2}]", run("[{$group: {_id: {x: '$x'}, n: {$sum: 1}}}]", "[{x: 1}, {x: 1.0}]"));
        assertDocs("[{_id: null, avg: null}]", run("[{$group: {_id: null, avg: {$avg: '$none'}}}]", "[{a: 1}]"));
        assertEquals(15955, error("[{$group: {n: {$sum: 1}}}]", "[]").code());
        assertEquals(15952, error("[{$group: {_id: null, n: {$median: 1}}}]", "[]").code());
        assertEquals(40234, error("[{$group: {_id: null, n: 1}}]", "[]").code());
    }

    @Test
    void sortByCount() {
        assertDocs("[{_id: 'a', count: 2}, {_id: 'b', count: 1}]",
                run("[{$sortByCount: '$k'}]", "[{k: 'b'}, {k: 'a'}, {k: 'a'}]"));
    }

    @Test
    void unwindForms() {
        assertDocs("[{_id: 1, a: 1}, {_id: 1, a: 2}, {_id: 3, a: 'x'}]",
                run("[{$unwind: '$a'}]", "[{_id: 1, a: [1, 2]}, {_id: 2, a: []}, {_id: 3, a: 'x'}, {_id: 4}, {_id: 5, a: null}]"));
        assertDocs("[{_id: 1, a: 1, i: NumberLong(0)}, {_id: 1, a: 2, i: NumberLong(1)}, {_id: 2, i: null}, "
                + "{_id: 4, i: null}, {_id: 5, a: null, i: null}]",
                run("[{$unwind: {path: '$a', includeArrayIndex: 'i', preserveNullAndEmptyArrays: true}}]",
                        "[{_id: 1, a: [1, 2]}, {_id: 2, a: []}, {_id: 4}, {_id: 5, a: null}]"));
        assertDocs("[{_id: 1, o: {l: 1}}, {_id: 1, o: {l: 2}}]", run("[{$unwind: '$o.l'}]", "[{_id: 1, o: {l: [1, 2]}}]"));
        assertEquals(28818, error("[{$unwind: 'a'}]", "[]").code());
        assertEquals(15981, error("[{$unwind: 1}]", "[]").code());
    }

    @Test
    void replaceRootAndReplaceWith() {
        assertDocs("[{x: 1}]", run("[{$replaceRoot: {newRoot: '$sub'}}]", "[{_id: 1, sub: {x: 1}}]"));
        assertDocs("[{x: 1, id: 1}]", run("[{$replaceWith: {$mergeObjects: ['$sub', {id: '$_id'}]}}]",
                "[{_id: 1, sub: {x: 1}}]"));
        ArgonException e = error("[{$replaceRoot: {newRoot: '$sub'}}]", "[{_id: 1}]");
        assertEquals(40228, e.code());
        assertTrue(e.getMessage().contains("MISSING"));
    }

    @Test
    void lookupEqualityForm() {
        collections.put("items", docs("[{_id: 10, sku: 'a'}, {_id: 11, sku: 'b'}, {_id: 12, sku: ['a', 'c']}, {_id: 13}]"));
        assertDocs("[{_id: 1, sku: 'a', m: [{_id: 10, sku: 'a'}, {_id: 12, sku: ['a', 'c']}]}, "
                + "{_id: 2, sku: ['b', 'c'], m: [{_id: 11, sku: 'b'}, {_id: 12, sku: ['a', 'c']}]}, "
                + "{_id: 3, m: [{_id: 13}]}]",
                run("[{$lookup: {from: 'items', localField: 'sku', foreignField: 'sku', as: 'm'}}]",
                        "[{_id: 1, sku: 'a'}, {_id: 2, sku: ['b', 'c']}, {_id: 3}]"));
        assertDocs("[{_id: 1, m: []}]",
                run("[{$lookup: {from: 'none', localField: 'x', foreignField: 'y', as: 'm'}}]", "[{_id: 1}]"));
    }

    @Test
    void lookupPipelineFormWithLet() {
        collections.put("orders", docs("[{item: 'a', qty: 5}, {item: 'a', qty: 1}, {item: 'b', qty: 7}]"));
        assertDocs("[{_id: 1, name: 'a', big: [{qty: 5}]}]",
                run("[{$lookup: {from: 'orders', let: {n: '$name'}, pipeline: ["
                        + "{$match: {$expr: {$and: [{$eq: ['$item', '$$n']}, {$gte: ['$qty', 2]}]}}},"
                        + "{$project: {_id: 0, qty: 1}}], as: 'big'}}]", "[{_id: 1, name: 'a'}]"));
        assertEquals(17276, error("[{$lookup: {from: 'orders', pipeline: [{$match: {$expr: '$$n'}}], as: 'x'}}]", "[]")
                .code());
    }

    @Test
    void facetUnionWithAndSample() {
        assertDocs("[{count: [{n: 3}], top: [{a: 3}]}]",
                run("[{$facet: {count: [{$count: 'n'}], top: [{$sort: {a: -1}}, {$limit: 1}, {$project: {_id: 0}}]}}]",
                        "[{_id: 1, a: 1}, {_id: 2, a: 3}, {_id: 3, a: 2}]"));
        collections.put("other", docs("[{o: 1}, {o: 2}]"));
        assertDocs("[{a: 1}, {o: 2}]", run("[{$unionWith: {coll: 'other', pipeline: [{$match: {o: 2}}]}}]", "[{a: 1}]"));
        assertDocs("[{a: 1}, {o: 1}, {o: 2}]", run("[{$unionWith: 'other'}]", "[{a: 1}]"));
        List<BsonDocument> sample = run("[{$sample: {size: 2}}]", "[{a: 1}, {a: 2}, {a: 3}, {a: 4}]");
        assertEquals(2, sample.size());
        assertEquals(40600, error("[{$facet: {x: [{$facet: {}}]}}]", "[]").code());
    }

    @Test
    void stageNameErrors() {
        ArgonException unknown = error("[{$foo: {}}]", "[]");
        assertEquals(40324, unknown.code());
        assertEquals("Unrecognized pipeline stage name: '$foo'", unknown.getMessage());
        assertEquals(238, error("[{$out: 'x'}]", "[]").code());
        assertTrue(error("[{$merge: {into: 'x'}}]", "[]").getMessage().contains("$merge"));
        assertEquals(238, error("[{$changeStream: {}}]", "[]").code());
        assertEquals(40323, error("[{$match: {}, $limit: 1}]", "[]").code());
    }

    @Test
    void streamingStagesDoNotReadAheadAndBlockingStagesDo() {
        int[] pulled = {0};
        Iterator<BsonDocument> source = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public BsonDocument next() {
                return new BsonDocument("n", new BsonInt32(pulled[0]++));
            }
        };
        Iterator<BsonDocument> out = Pipeline.compile(stages("[{$match: {}}, {$project: {n: 1}}, {$limit: 3}]"), null)
                .run(source);
        int count = 0;
        while (out.hasNext()) {
            out.next();
            count++;
        }
        assertEquals(3, count);
        assertEquals(3, pulled[0]);
        Iterator<BsonDocument> lazy = Pipeline.compile(stages("[{$sort: {n: 1}}]"), null)
                .run(Collections.<BsonDocument>emptyList().iterator());
        assertTrue(!lazy.hasNext());
    }

    @Test
    void moreAccumulatorsAndCompositeKeys() {
        assertDocs("[{_id: {y: 2020, k: 'a'}, m: {p: 1, q: 3}, sd: 1.0, samp: null, set: [1, 'x']}]",
                run("[{$group: {_id: {y: {$year: '$d'}, k: '$k'}, m: {$mergeObjects: '$o'}, sd: {$stdDevPop: '$n'}, "
                        + "samp: {$stdDevSamp: '$none'}, set: {$addToSet: '$v'}}}]",
                        "[{d: {$date: '2020-05-01T00:00:00Z'}, k: 'a', o: {p: 1, q: 2}, n: 1, v: 1}, "
                                + "{d: {$date: '2020-06-01T00:00:00Z'}, k: 'a', o: {q: 3}, n: 3, v: 1.0}, "
                                + "{d: {$date: '2020-07-01T00:00:00Z'}, k: 'a', o: null, v: 'x'}]"));
    }

    @Test
    void lookupIntoDottedPathAndArrayOfSubdocuments() {
        collections.put("p", docs("[{_id: 1, n: 'one'}, {_id: 2, n: 'two'}]"));
        assertDocs("[{_id: 'o', lines: [{pid: 1}, {pid: 2}], x: {found: [{_id: 1, n: 'one'}, {_id: 2, n: 'two'}]}}]",
                run("[{$lookup: {from: 'p', localField: 'lines.pid', foreignField: '_id', as: 'x.found'}}]",
                        "[{_id: 'o', lines: [{pid: 1}, {pid: 2}]}]"));
    }

    @Test
    void compiledPipelineIsSafeToRunConcurrently() throws Exception {
        Pipeline p = Pipeline.compile(stages("[{$group: {_id: {$mod: ['$n', 3]}, c: {$sum: 1}}}, {$sort: {_id: 1}}]"), null);
        List<BsonDocument> input = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            input.add(new BsonDocument("n", new BsonInt32(i)));
        }
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                try {
                    for (int k = 0; k < 20; k++) {
                        List<BsonDocument> out = new ArrayList<>();
                        p.run(input.iterator()).forEachRemaining(out::add);
                        assertDocs("[{_id: 0, c: 1000}, {_id: 1, c: 1000}, {_id: 2, c: 1000}]", out);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(List.of(), failures);
    }
}
