package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Branch and tag names: what could escape a path, break {@code db~branch@point}, or alias another name. */
class BranchNamesTest {
    @Test
    void pathAndRefDelimitersAreRefused() {
        for (String bad : List.of("..", "../x", "a/../b", "/abs", "x/", ".hidden", "trailing.", "a/b", "a\\b", "C:x",
                "a~b", "a@b", "a^b", "a[b", "a*b", "a?b", "a b", "a$b", "-rf")) {
            assertNotNull(BranchNames.problem(bad), bad);
        }
    }

    @Test
    void controlFormatAndSpaceCharactersAreRefused() {
        for (String bad : List.of("a\0b", "a\nb", "a\u007fb", "a\u0085b", "a\u200bb", "a\u202eb", "a\ufeffb", "a\u00a0b",
                "a\u3000b", "a\u2028b", "a\ue000b", "a\ud800b", "a\udc00")) {
            String problem = BranchNames.problem(bad);
            assertNotNull(problem, bad);
            assertTrue(!problem.contains("\0"), "the message shows NUL escaped: " + problem);
        }
    }

    @Test
    void unicodeLookAlikesCannotAliasOrEscape() {
        // Full-width solidus, full-width full stop, one-dot leader, two-dot leader: NFKC turns them into / . ..
        // Fraction slash, division slash, set minus, tilde operator: NFKC keeps them, yet they read as / \ ~.
        for (String bad : List.of("a\uff0fb", "\uff0e\uff0e", "a\u2024b", "\u2025", "a\u2044b", "a\u2215b", "a\u2216b",
                "a\u223cb", "\uff4d\uff41\uff49\uff4e", "\ufb01x", "caf\u0065\u0301")) {
            assertNotNull(BranchNames.problem(bad), bad);
        }
        assertTrue(BranchNames.problem("caf\u0065\u0301").contains("NFKC"));
    }

    @Test
    void lengthIsBoundedInCharactersAndBytes() {
        assertNull(BranchNames.problem("x".repeat(BranchNames.MAX_LENGTH)));
        assertNotNull(BranchNames.problem("x".repeat(BranchNames.MAX_LENGTH + 1)));
        // 40 code points of 4 bytes: under the character limit, over the byte limit.
        assertNotNull(BranchNames.problem("\uD83D\uDE00".repeat(40)));
        assertNotNull(BranchNames.problem(""));
        assertNotNull(BranchNames.problem(null));
    }

    @Test
    void lettersOfAnyScriptStayAllowed() {
        for (String ok : List.of("main", "exp-1_a", "caf\u00e9", "\u5b9f\u9a13", "\u03ba\u03bb\u03ac\u03b4\u03bf\u03c2", "x".repeat(64),
                "\uD83D\uDE00")) {
            assertNull(BranchNames.problem(ok), ok);
        }
    }
}
