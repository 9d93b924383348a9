package dev.argon.engine.vc;

import static dev.argon.engine.vc.Repo.docs;
import static dev.argon.engine.vc.Repo.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.engine.ArgonException;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.IndexInfo;
import dev.argon.engine.store.Store;
import java.util.List;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Merges over a real store. Each scenario draws its history: {@code ●} is a commit, a branch line forks where it
 * leaves its parent, {@code merge} marks the merge commit on the target.
 */
class MergerTest {
    private static final String NS = "db.c";
    private Repo r;

    @BeforeEach
    void open() {
        r = new Repo();
    }

    @AfterEach
    void close() {
        r.close();
    }

    private static Merger.Strategy[] all() {
        return Merger.Strategy.values();
    }

    private List<String> indexNames(String branch) {
        return r.collection(branch, NS).indexes().stream().map(IndexInfo::name).toList();
    }

    // ---- the source state a merge records ----

    @Test
    void aSourceWriteDuringTheMergeIsLeftForTheNextMergeNotLost() {
        //   main:  a1 ─────────────── merge(exp@x1) ──────── merge ──
        //            \                    ↑                    /
        //   exp:      x1 ── x2 (lands while the first merge runs)
        r.insert("main", NS, "{_id: 1}").fork("exp", "main").insert("exp", NS, "{_id: 2}");
        Store store = r.store;
        try (Store.Write w = store.beginWrite(r.branch("main").id())) {
            Merger m = new Merger(store, r.branch("exp"), r.branch("main"), Merger.Strategy.FAIL);
            r.insert("exp", NS, "{_id: 3}");
            try (Merger.Walk walk = m.walk(w.session())) {
                walk.finish();
            }
            w.session().commit("test", "merge", false, List.of(m.markWrite()));
        }
        assertEquals(docs("{_id: 1}", "{_id: 2}"), r.docs("main", NS), "the merge took the source as it planned it");
        assertEquals(json("{'db.c': {insert: 1}}"), r.counts("exp", "main"), "the later write is still to be merged");
        r.merge("exp", "main");
        assertEquals(r.docs("exp", NS), r.docs("main", NS));
        assertEquals(new BsonDocument(), r.counts("exp", "main"));
    }

    // ---- a collection dropped on one side and changed on the other ----

    @Test
    void droppedOnTheSourceAndEditedOnTheTargetIsAConflict() {
        //   main:  a1 (c: 1, 2) ─────── edit c/1 ── merge ──
        //            \                               /
        //   exp:      ●──────── drop c ──────────────
        for (Merger.Strategy s : all()) {
            try (Repo repo = new Repo()) {
                repo.insert("main", NS, "{_id: 1, v: 0}", "{_id: 2, v: 0}").fork("exp", "main")
                        .drop("exp", NS).replace("main", NS, "{_id: 1, v: 'ours'}");
                List<BsonDocument> conflicts = repo.conflicts("exp", "main");
                assertEquals(1, conflicts.size(), conflicts.toString());
                assertEquals("collection", conflicts.get(0).getString("kind").getValue());
                assertEquals(List.of("documents"), conflicts.get(0).getArray("fields").stream().map(v -> v.asString().getValue()).toList());
                assertTrue(conflicts.get(0).isNull("theirs"), "dropped on the source");
                if (s == Merger.Strategy.FAIL) {
                    ArgonException e = assertThrows(ArgonException.class, () -> repo.merge("exp", "main", s));
                    assertEquals(96, e.code());
                    assertEquals(docs("{_id: 1, v: 'ours'}", "{_id: 2, v: 0}"), repo.docs("main", NS), "nothing applied");
                } else {
                    MergeRunner.Applied a = repo.merge("exp", "main", s);
                    assertEquals(1, a.conflictCount());
                    if (s == Merger.Strategy.OURS) {
                        assertEquals(docs("{_id: 1, v: 'ours'}", "{_id: 2, v: 0}"), repo.docs("main", NS), "ours: the target kept it, edits and all");
                    } else {
                        assertNull(repo.docs("main", NS), "theirs: the source dropped it");
                    }
                }
            }
        }
    }

    @Test
    void targetOnlyInsertsIntoACollectionTheSourceDroppedAreAConflictNotLost() {
        //   main:  a1 (c: 1) ── insert c/9 ── merge(ours) ──
        //            \                         /
        //   exp:      ●──── drop c ────────────
        r.insert("main", NS, "{_id: 1}").fork("exp", "main").drop("exp", NS).insert("main", NS, "{_id: 9}");
        assertEquals(1, r.conflicts("exp", "main").size());
        r.merge("exp", "main", Merger.Strategy.OURS);
        assertEquals(docs("{_id: 1}", "{_id: 9}"), r.docs("main", NS));
    }

    @Test
    void aDropOnTheSourceOfAnUntouchedCollectionIsMergedWithoutConflict() {
        //   main:  a1 (c: 1, 2; other: 1) ── edit other ── merge ──
        //            \                                   /
        //   exp:      ●──────── drop c ──────────────────
        r.insert("main", NS, "{_id: 1}", "{_id: 2}").insert("main", "db.other", "{_id: 1}").fork("exp", "main")
                .drop("exp", NS).replace("main", "db.other", "{_id: 1, v: 1}");
        assertTrue(r.conflicts("exp", "main").isEmpty());
        r.merge("exp", "main", Merger.Strategy.OURS);
        assertNull(r.docs("main", NS), "nothing on the target disagreed with the drop");
        assertEquals(docs("{_id: 1, v: 1}"), r.docs("main", "db.other"));
    }

    @Test
    void droppedOnTheTargetAndEditedOnTheSourceComesBackWholeUnderTheirs() {
        //   main:  a1 (c {capped: false}, index v_1; docs 1, 2, 3) ─── drop c ─── merge(theirs) ──
        //            \                                                           /
        //   exp:      ●──── edit c/2 ── insert c/4 ──────────────────────────────
        r.create("main", NS, "{validationLevel: 'moderate'}").insert("main", NS, "{_id: 1, v: 1}", "{_id: 2, v: 2}", "{_id: 3, v: 3}")
                .index("main", NS, "{v: 1}").fork("exp", "main")
                .replace("exp", NS, "{_id: 2, v: 20}").insert("exp", NS, "{_id: 4, v: 4}").drop("main", NS);
        List<BsonDocument> conflicts = r.conflicts("exp", "main");
        assertEquals(1, conflicts.size());
        assertTrue(conflicts.get(0).isNull("ours"), "dropped on the target");
        assertEquals(96, assertThrows(ArgonException.class, () -> r.merge("exp", "main")).code());

        r.merge("exp", "main", Merger.Strategy.OURS);
        assertNull(r.docs("main", NS), "ours: the target dropped it");

        r.merge("exp", "main", Merger.Strategy.THEIRS);
        assertEquals(docs("{_id: 1, v: 1}", "{_id: 2, v: 20}", "{_id: 3, v: 3}", "{_id: 4, v: 4}"), r.docs("main", NS),
                "every document as the source has it, not only the edited ones");
        CollectionInfo c = r.collection("main", NS);
        assertEquals(json("{validationLevel: 'moderate'}"), c.options());
        assertEquals(List.of("v_1"), indexNames("main"));
    }

    @Test
    void droppedOnTheTargetAndOnlyIndexedOnTheSourceIsAConflictToo() {
        //   main:  a1 (c: 1) ── drop c ── merge(theirs) ──
        //            \                    /
        //   exp:      ●── index v_1 ──────
        r.insert("main", NS, "{_id: 1, v: 1}").fork("exp", "main").index("exp", NS, "{v: 1}").drop("main", NS);
        List<BsonDocument> conflicts = r.conflicts("exp", "main");
        assertEquals(1, conflicts.size());
        assertEquals(List.of("indexes"), conflicts.get(0).getArray("fields").stream().map(v -> v.asString().getValue()).toList());
        r.merge("exp", "main", Merger.Strategy.THEIRS);
        assertEquals(docs("{_id: 1, v: 1}"), r.docs("main", NS));
        assertEquals(List.of("v_1"), indexNames("main"));
    }

    @Test
    void aCollectionCreatedOnTheSourceKeepsItsOptionsAndIndexes() {
        //   main:  a1 ───────────────────────── merge ──
        //            \                           /
        //   exp:      create c {validationLevel: off} ── index k_1 ── insert
        r.insert("main", "db.other", "{_id: 1}").fork("exp", "main")
                .create("exp", NS, "{validationLevel: 'off'}").index("exp", NS, "{k: 1}").insert("exp", NS, "{_id: 1, k: 'a'}");
        r.merge("exp", "main");
        assertEquals(json("{validationLevel: 'off'}"), r.collection("main", NS).options());
        assertEquals(List.of("k_1"), indexNames("main"));
        assertEquals(docs("{_id: 1, k: 'a'}"), r.docs("main", NS));
    }

    @Test
    void indexesAndOptionsMergeThreeWay() {
        //   main:  a1 (c, index a_1) ── index t_1 ── merge ──
        //            \                                /
        //   exp:      ●── drop a_1, index s_1 ─────────
        r.insert("main", NS, "{_id: 1}").index("main", NS, "{a: 1}").fork("exp", "main")
                .write("exp", s -> {
                    CollectionInfo c = s.collection("db", "c");
                    s.putCatalog(c.withIndexes(List.of()), "dropIndexes");
                })
                .index("exp", NS, "{s: 1}").index("main", NS, "{t: 1}");
        assertTrue(r.conflicts("exp", "main").isEmpty());
        r.merge("exp", "main");
        assertEquals(List.of("t_1", "s_1"), indexNames("main"), "the source's drop and creation, the target's creation");
    }

    @Test
    void optionsChangedDifferentlyOnBothSidesAreAConflict() {
        //   main:  a1 (c {}) ── collMod level=off ── merge ──
        //            \                                /
        //   exp:      ●── collMod level=moderate ─────
        r.create("main", NS, "{}").insert("main", NS, "{_id: 1}").fork("exp", "main");
        setOptions("exp", "{validationLevel: 'moderate'}");
        setOptions("main", "{validationLevel: 'off'}");
        List<BsonDocument> conflicts = r.conflicts("exp", "main");
        assertEquals(1, conflicts.size());
        assertEquals("options", conflicts.get(0).getArray("fields").get(0).asString().getValue());
        r.merge("exp", "main", Merger.Strategy.OURS);
        assertEquals(json("{validationLevel: 'off'}"), r.collection("main", NS).options());
        r.merge("exp", "main", Merger.Strategy.THEIRS);
        assertEquals(json("{validationLevel: 'moderate'}"), r.collection("main", NS).options());
    }

    private void setOptions(String branch, String options) {
        r.write(branch, s -> {
            CollectionInfo c = s.collection("db", "c");
            s.putCatalog(new CollectionInfo(c.db(), c.name(), c.collectionId(), json(options), c.indexes(), c.uuid()), "collMod");
        });
    }

    // ---- documents ----

    @Test
    void oursKeepsTheSourcesDisjointFieldChanges() {
        //   main:  a1 {v: 0, w: 0} ── v = ours ── merge(ours) ──
        //            \                             /
        //   exp:      ●── v = theirs, w = 1 ────────
        r.insert("main", NS, "{_id: 1, v: 0, w: 0}").fork("exp", "main")
                .replace("exp", NS, "{_id: 1, v: 'theirs', w: 1}").replace("main", NS, "{_id: 1, v: 'ours', w: 0}");
        r.merge("exp", "main", Merger.Strategy.OURS);
        assertEquals(docs("{_id: 1, v: 'ours', w: 1}"), r.docs("main", NS));
    }

    // ---- merge marks across resets and both directions ----

    @Test
    void aResetOfTheSourceKeepsTheMarkOfWhatWasMerged() {
        //   main:  a1 ── merge(x1) ── v = 2 ────────────────── merge ──
        //            \      /                                   /
        //   exp:      x1 (v = 1) ── junk ╳ reset to x1 ── insert 7
        r.insert("main", NS, "{_id: 1, v: 0}").fork("exp", "main").replace("exp", NS, "{_id: 1, v: 1}");
        r.merge("exp", "main");
        long merged = r.head("exp");
        r.replace("main", NS, "{_id: 1, v: 2}").insert("exp", NS, "{_id: 5}").reset("exp", merged).insert("exp", NS, "{_id: 7}");
        assertTrue(r.conflicts("exp", "main").isEmpty(), "no false conflict on _id 1");
        r.merge("exp", "main");
        assertEquals(docs("{_id: 1, v: 2}", "{_id: 7}"), r.docs("main", NS));
    }

    @Test
    void aResetOfTheTargetThatKeepsTheMergeKeepsTheMark() {
        //   main:  a1 ── merge(x1) ── junk ╳ reset ── v = 2 ── merge ──
        //            \      /                                  /
        //   exp:      x1 (v = 1) ────────────── insert 7 ───────
        r.insert("main", NS, "{_id: 1, v: 0}").fork("exp", "main").replace("exp", NS, "{_id: 1, v: 1}");
        long mergedAt = r.merge("exp", "main").headLsn();
        r.insert("main", NS, "{_id: 5}").reset("main", mergedAt).replace("main", NS, "{_id: 1, v: 2}").insert("exp", NS, "{_id: 7}");
        assertTrue(r.conflicts("exp", "main").isEmpty(), "no false conflict on _id 1");
        r.merge("exp", "main");
        assertEquals(docs("{_id: 1, v: 2}", "{_id: 7}"), r.docs("main", NS));
    }

    @Test
    void aResetOfTheTargetBelowTheMergeMergesTheSourceAgain() {
        //   main:  a1 ── merge(x1) ╳ reset to a1 ── merge ──
        //            \      /                       /
        //   exp:      x1 (v = 1) ──────────────────
        r.insert("main", NS, "{_id: 1, v: 0}").fork("exp", "main");
        long before = r.head("main");
        r.replace("exp", NS, "{_id: 1, v: 1}").merge("exp", "main");
        r.reset("main", before);
        assertEquals(docs("{_id: 1, v: 0}"), r.docs("main", NS));
        r.merge("exp", "main");
        assertEquals(docs("{_id: 1, v: 1}"), r.docs("main", NS), "the mark no longer applies, so the change comes back");
    }

    @Test
    void crissCrossMergesGiveNoFalseConflicts() {
        //   a:  ●(x = 0, y = 0) ── x = 1 ── merge(b) ── x = 2 ─────────── merge(b) ──
        //        \                  \         /                            /
        //   b:    ●── y = 1 ──────── merge(a) ── y = 2 ─────────────────────
        //   then a into b again: x = 2 and y = 2 everywhere, without a conflict on either.
        r.insert("main", NS, "{_id: 1, x: 0, y: 0}").fork("a", "main").fork("b", "main");
        r.replace("a", NS, "{_id: 1, x: 1, y: 0}").replace("b", NS, "{_id: 1, x: 0, y: 1}");
        r.merge("a", "b");
        assertEquals(docs("{_id: 1, x: 1, y: 1}"), r.docs("b", NS));
        r.replace("a", NS, "{_id: 1, x: 2, y: 0}");
        assertTrue(r.conflicts("b", "a").isEmpty(), "b into a: " + r.conflicts("b", "a"));
        r.merge("b", "a");
        assertEquals(docs("{_id: 1, x: 2, y: 1}"), r.docs("a", NS));
        r.replace("b", NS, "{_id: 1, x: 1, y: 2}");
        assertTrue(r.conflicts("a", "b").isEmpty(), "a into b again: " + r.conflicts("a", "b"));
        r.merge("a", "b");
        assertEquals(docs("{_id: 1, x: 2, y: 2}"), r.docs("b", NS));
        assertTrue(r.conflicts("b", "a").isEmpty());
        r.merge("b", "a");
        assertEquals(r.docs("a", NS), r.docs("b", NS));
    }

    @Test
    void aMergeMarkDoesNotOutliveADeletedAndRecreatedBranch() {
        //   main:  a1 ── merge(exp@x1) ───────── merge(new exp) ──
        //            \      /                     /
        //   exp:      x1 ╳ deleted    exp (new): ●── v = 3
        r.insert("main", NS, "{_id: 1, v: 0}").fork("exp", "main").replace("exp", NS, "{_id: 1, v: 1}").merge("exp", "main");
        assertNotNull(MergeMark.read(r.store.versions(), r.branch("exp"), r.branch("main")));
        r.store.versions().dropBranch(r.branch("exp").id());
        r.fork("exp", "main");
        assertNull(MergeMark.read(r.store.versions(), r.branch("exp"), r.branch("main")), "a new branch is a new lineage");
        r.replace("exp", NS, "{_id: 1, v: 3}").merge("exp", "main");
        assertEquals(docs("{_id: 1, v: 3}"), r.docs("main", NS));
    }
}
