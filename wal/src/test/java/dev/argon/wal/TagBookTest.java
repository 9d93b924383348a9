package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link TagBook} on its own: where a tag lands, the shared name space, and what survives a reopen. */
class TagBookTest {
    private Rooms r;

    @BeforeEach
    void open() throws Exception {
        r = new Rooms(Files.createTempDirectory("wal-tagbook-"));
    }

    @AfterEach
    void close() {
        r.close();
    }

    @Test
    void aTagSitsOnACommitBoundaryAtOrBelowItsBranchsHead() {
        int main = r.main().id();
        CommitResult c1 = r.commit(main, "a");
        CommitResult c2 = r.commit(main, "b", "c", "d");
        Tag inside = r.tags.createTag("inside", main, c2.startLsn() + 1, "t");
        assertEquals(c1.endLsn(), inside.lsn(), "a point inside a commit means the state before it");
        Tag above = r.tags.createTag("above", main, c2.endLsn() + 1000, "t");
        assertEquals(c2.endLsn(), above.lsn(), "capped at the head");
        Tag exact = r.tags.createTag("exact", main, c2.endLsn(), "t");
        assertEquals(c2.endLsn(), exact.lsn());
        assertEquals("t", exact.createdBy());
        assertEquals(main, exact.branchId());
    }

    @Test
    void tagNamesAreUniqueAndShareTheBranchNameSpace() {
        int main = r.main().id();
        r.tags.createTag("v1", main, 0, "t");
        assertEquals(BranchException.Kind.EXISTS, assertThrows(BranchException.class, () -> r.tags.createTag("v1", main, 0, "t")).kind());
        assertEquals(BranchException.Kind.EXISTS, assertThrows(BranchException.class, () -> r.tags.createTag("main", main, 0, "t")).kind(),
                "a tag may not take a branch's name");
        assertEquals(BranchException.Kind.INVALID_NAME, assertThrows(BranchException.class, () -> r.tags.createTag("", main, 0, "t")).kind());
        assertEquals(List.of("v1"), r.tags.tags().stream().map(Tag::name).toList());
    }

    @Test
    void aDroppedTagIsGoneAndItsNameFreeAndTagsSurviveAReopen() throws Exception {
        int main = r.main().id();
        long at = r.commit(main, "a").endLsn();
        r.tags.createTag("keep", main, at, "t");
        r.tags.createTag("gone", main, at, "t");
        r.tags.dropTag("gone");
        assertNull(r.tags.tag("gone"));
        assertEquals(BranchException.Kind.NOT_FOUND, assertThrows(BranchException.class, () -> r.tags.dropTag("gone")).kind());
        r.book.createBranch("gone", main, at, "t");

        r = r.reopen();
        assertEquals(at, r.tags.tag("keep").lsn());
        assertNull(r.tags.tag("gone"));
        assertEquals(List.of("keep"), r.tags.tags().stream().map(Tag::name).toList());
    }

    @Test
    void aTagOfAnUnknownBranchIdIsRefusedAndWritesNothing() {
        assertThrows(WalException.class, () -> r.tags.createTag("x", 4242, 0, "t"));
        assertNull(r.tags.tag("x"));
    }
}
