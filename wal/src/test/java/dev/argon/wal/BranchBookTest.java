package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link BranchBook} on its own: names, ids, drops and resets, and what survives a reopen. */
class BranchBookTest {
    private Rooms r;

    @BeforeEach
    void open() throws Exception {
        r = new Rooms(Files.createTempDirectory("wal-branchbook-"));
    }

    @AfterEach
    void close() {
        r.close();
    }

    @Test
    void aNewDirectoryHasMainAndNamesAreUniqueAcrossBranchesAndTags() {
        Branch main = r.main();
        assertNotNull(main);
        assertEquals(Branch.MAIN_ID, main.id());
        r.book.createBranch("exp", main.id(), 0, "t");
        assertEquals(BranchException.Kind.EXISTS,
                assertThrows(BranchException.class, () -> r.book.createBranch("exp", main.id(), 0, "t")).kind());
        assertEquals(BranchException.Kind.EXISTS,
                assertThrows(BranchException.class, () -> r.book.createBranch("main", main.id(), 0, "t")).kind());
        r.tags.createTag("v1", main.id(), 0, "t");
        assertEquals(BranchException.Kind.EXISTS,
                assertThrows(BranchException.class, () -> r.book.createBranch("v1", main.id(), 0, "t")).kind(),
                "a branch may not take a tag's name");
        Branch other = r.book.createBranch("other", main.id(), 0, "t");
        assertEquals(BranchException.Kind.EXISTS,
                assertThrows(BranchException.class, () -> r.book.renameBranch(other.id(), "exp")).kind());
        assertEquals(BranchException.Kind.INVALID_NAME,
                assertThrows(BranchException.class, () -> r.book.createBranch("", main.id(), 0, "t")).kind());
    }

    @Test
    void aRenameFreesTheOldNameAndKeepsTheId() throws Exception {
        Branch a = r.book.createBranch("a", r.main().id(), 0, "t");
        Branch b = r.book.renameBranch(a.id(), "b");
        assertEquals(a.id(), b.id());
        assertNull(r.branches.byName("a"));
        assertSame(b, r.branches.byName("b"));
        r.book.createBranch("a", r.main().id(), 0, "t");
        r = r.reopen();
        assertEquals(a.id(), r.branches.byName("b").id());
        assertNotNull(r.branches.byName("a"));
    }

    @Test
    void aDroppedBranchsIdIsNeverReusedEvenOnceItsRecordIsGoneAndAfterAReopen() throws Exception {
        Set<Integer> seen = new HashSet<>();
        seen.add(Branch.MAIN_ID);
        Branch a = r.book.createBranch("a", r.main().id(), 0, "t");
        assertTrue(seen.add(a.id()));
        r.book.dropBranch(a.id());
        assertNull(r.branches.byName("a"));
        assertNull(r.branch(a.id()).name(), "a dropped id keeps a nameless record");
        Branch again = r.book.createBranch("a", r.main().id(), 0, "t");
        assertTrue(seen.add(again.id()), "a new branch of the same name gets a new id");

        // The newest id dropped and its record deleted (as GC does once nothing names it): only the persisted
        // counter remembers it.
        r.book.dropBranch(again.id());
        r.writer.underCommitLock(() -> {
            r.gc.forgetBranches(Set.of(again.id()), r.gc.marks().withoutCeilings(Set.of(again.id())));
            return null;
        });
        assertNull(r.branches.get(again.id()));
        r = r.reopen();
        assertNull(r.branches.get(again.id()), "the forgotten record stays forgotten");
        Branch next = r.book.createBranch("b", r.main().id(), 0, "t");
        assertTrue(seen.add(next.id()), "id " + next.id() + " was handed out before");
        assertTrue(next.id() > again.id());
    }

    @Test
    void dropIsRefusedForMainAndForABranchWithChildren() {
        Branch parent = r.book.createBranch("parent", r.main().id(), 0, "t");
        r.book.createBranch("child", parent.id(), 0, "t");
        assertEquals(BranchException.Kind.PROTECTED,
                assertThrows(BranchException.class, () -> r.book.dropBranch(r.main().id())).kind());
        assertEquals(BranchException.Kind.HAS_CHILDREN,
                assertThrows(BranchException.class, () -> r.book.dropBranch(parent.id())).kind());
        assertNotNull(r.branches.byName("parent"), "a refused drop changes nothing");
        assertThrows(WalException.class, () -> r.book.dropBranch(parent.id() + 100), "no such branch id");
    }

    /*
     * main: c1 ── c2 ── c3            exp reset to c1: a new id forked from main at c1, replacing the old id
     *                                 (which keeps its whole range, nameless: the reflog entry).
     */
    @Test
    void aResetMovesTheNameToANewIdAndKeepsTheOldOneAsItsReflogEntry() throws Exception {
        int main = r.main().id();
        long c1 = r.commit(main, "a").endLsn();
        Branch exp = r.book.createBranch("exp", main, c1, "t");
        long e1 = r.commit(exp.id(), "b").endLsn();
        long e2 = r.commit(exp.id(), "c").endLsn();
        Branch old = r.branch(exp.id());
        assertEquals(e2, old.headLsn());

        Branch fresh = r.book.resetBranch(exp.id(), main, c1, "exp-backup", "t");
        assertEquals("exp", fresh.name());
        assertTrue(fresh.id() > old.id(), "the new id comes after the old one and its parent");
        assertEquals(main, fresh.parentId());
        assertEquals(c1, fresh.headLsn());
        assertEquals(old.id(), fresh.replacesId());
        Branch hidden = r.branch(old.id());
        assertNull(hidden.name(), "the old id loses its name");
        assertEquals(e2, hidden.headLsn(), "and keeps its whole range");
        Branch backup = r.branches.byName("exp-backup");
        assertEquals(old.id(), backup.parentId());
        assertEquals(e2, backup.headLsn());

        // The reflog: the name at a point before the reset is the old id, after it the new one.
        assertEquals(old.id(), r.book.branchAsOf(fresh, e1).id());
        assertEquals(fresh.id(), r.book.branchAsOf(fresh, fresh.replacedAtLsn() + 1).id());

        r = r.reopen();
        Branch reopened = r.branches.byName("exp");
        assertEquals(fresh.id(), reopened.id());
        assertEquals(old.id(), r.book.branchAsOf(reopened, e1).id(), "the reflog entry survives a restart");
        assertEquals(e2, r.branch(old.id()).headLsn());
    }

    @Test
    void aResetRoundsItsPointToACommitBoundary() {
        int main = r.main().id();
        CommitResult c = r.commit(main, "a", "b", "c");
        Branch exp = r.book.createBranch("exp", main, c.endLsn(), "t");
        Branch fresh = r.book.resetBranch(exp.id(), main, c.startLsn() + 1, null, "t");
        assertEquals(c.startLsn() - 1, fresh.headLsn(), "a point inside a commit means the state before it");
        assertFalse(r.branches.named().stream().anyMatch(b -> b.id() == exp.id()));
    }
}
