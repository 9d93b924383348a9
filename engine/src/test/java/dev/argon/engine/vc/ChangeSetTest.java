package dev.argon.engine.vc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.argon.engine.store.CollectionInfo;
import dev.argon.wal.ReadView;
import dev.argon.wal.Wal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bson.BsonInt32;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which documents a change set names, read from the log only, over a real store. */
class ChangeSetTest {
    private Repo r;
    private Wal wal;

    @BeforeEach
    void open() {
        r = new Repo();
        wal = r.store.walForTests();
    }

    @AfterEach
    void close() {
        r.close();
    }

    private ReadView head(String branch) {
        return wal.headView(r.branch(branch).id());
    }

    private static List<BsonValue> ints(int... ids) {
        List<BsonValue> out = new ArrayList<>();
        for (int i : ids) {
            out.add(new BsonInt32(i));
        }
        return out;
    }

    private List<BsonValue> candidates(ChangeSet cs, String ns, String... branches) {
        List<BsonValue> out = new ArrayList<>();
        dev.argon.engine.store.DataView[] views = new dev.argon.engine.store.DataView[branches.length];
        for (int i = 0; i < branches.length; i++) {
            views[i] = r.store.view(head(branches[i]));
        }
        try (Candidates c = cs.candidates(ns, views)) {
            c.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void oneSideHoldsOnlyWhatThatSideWroteSinceTheFork() {
        //   main:  insert 1, 2 ──●── update 2, insert 9
        //                         \
        //   exp:                   ●── insert 3, update 1, delete 2 (in two commits)
        r.insert("main", "db.c", "{_id: 1}", "{_id: 2}").fork("exp", "main")
                .insert("exp", "db.c", "{_id: 3}").replace("exp", "db.c", "{_id: 1, v: 1}").delete("exp", "db.c", 2)
                .replace("main", "db.c", "{_id: 2, v: 2}").insert("main", "db.c", "{_id: 9}");
        ReadView fork = ReadView.common(head("exp"), head("main"));
        ChangeSet exp = ChangeSet.from(wal, fork, head("exp"), null);
        assertEquals(Set.of("db.c"), exp.namespaces());
        assertEquals(ints(1, 2, 3), candidates(exp, "db.c"), "in _id order, once each");
        assertEquals(3, exp.entriesRead);
        ChangeSet both = ChangeSet.between(wal, head("main"), head("exp"), null);
        assertEquals(ints(1, 2, 3, 9), candidates(both, "db.c"));
        assertEquals(5, both.entriesRead);
    }

    @Test
    void aDropOrRenameMarksTheNamespacesForAFullComparison() {
        //   main:  a (1, 2), b (1) ──●
        //                             \
        //   exp:                       ●── drop a ── rename b -> b2 ── insert a/5
        r.insert("main", "db.a", "{_id: 1}", "{_id: 2}").insert("main", "db.b", "{_id: 1}").fork("exp", "main")
                .drop("exp", "db.a")
                .write("exp", s -> {
                    CollectionInfo b = s.collection("db", "b");
                    s.dropCollection(b);
                    s.putCatalog(b.renamed("db", "b2"), "rename");
                })
                .insert("exp", "db.a", "{_id: 5}");
        ChangeSet cs = ChangeSet.between(wal, head("main"), head("exp"), null);
        assertEquals(Set.of("db.a", "db.b", "db.b2"), cs.fullCompare);
        assertEquals(ints(1, 2, 5), candidates(cs, "db.a", "main", "exp"), "the vanished documents come from the scans");
        assertEquals(ints(1), candidates(cs, "db.b2", "main", "exp"));
    }

    @Test
    void aNamespaceFilterSkipsOtherCommitsUnread() {
        //   main:  ●
        //           \
        //   exp:     ●── 50 commits on db.noise ── 1 commit on db.c
        r.insert("main", "db.c", "{_id: 1}").fork("exp", "main");
        for (int i = 0; i < 50; i++) {
            r.insert("exp", "db.noise", "{_id: " + i + "}");
        }
        r.replace("exp", "db.c", "{_id: 1, v: 1}");
        ChangeSet cs = ChangeSet.from(wal, ReadView.common(head("exp"), head("main")), head("exp"), "db.c");
        assertEquals(Set.of("db.c"), cs.namespaces());
        assertEquals(1, cs.entriesRead, "only the commit that touched db.c was read");
        assertTrue(candidates(cs, "db.noise").isEmpty());
    }
}
