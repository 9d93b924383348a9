package dev.argon.wal;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * Rules for branch and tag names. They travel inside database names ({@code shop~exp}), refs ({@code exp@123}),
 * command lines and, through backups and clones, object keys and file names; so the characters that delimit
 * those are refused, and so is everything that could make two different names look, compare or store alike:
 * <ul>
 *   <li>none of {@code . space $ " \ / ~ @ * < > : | ? ^ [} (Git's ref rules, the database name rules and the
 *       ref syntax): no {@code ..}, no leading or trailing {@code /} or {@code .}, nothing a path could take
 *       apart;</li>
 *   <li>no control, format (zero-width, bidirectional override), unassigned, private-use or surrogate code
 *       point, and no space of any kind (NUL included);</li>
 *   <li>the name must be its own NFKC normal form: NFC and NFD spellings of {@code é} cannot both exist, and
 *       compatibility look-alikes such as the full-width solidus {@code ／} (NFKC: {@code /}) or the one-dot
 *       leader {@code ․} (NFKC: {@code .}) are refused rather than turned into the character they imitate
 *       by some later normalizing layer (a file system, a shell, a bucket's console);</li>
 *   <li>no slash, backslash or tilde look-alike that NFKC keeps (fraction slash, division slash, set minus,
 *       tilde operator...);</li>
 *   <li>not empty, not starting with {@code -} (it would read as a CLI option), at most {@link #MAX_LENGTH}
 *       code points and {@link #MAX_BYTES} bytes of UTF-8.</li>
 * </ul>
 * Letters and digits of any script stay allowed ({@code expérience}, {@code 実験}). Stateless, so thread-safe.
 */
public final class BranchNames {
    /** Long enough for descriptive names, short enough that {@code db~branch} stays a usable database name. */
    public static final int MAX_LENGTH = 64;
    /** A bound in bytes too, so that a name of 4-byte code points still fits in keys and file names. */
    public static final int MAX_BYTES = 128;
    private static final String FORBIDDEN = ". $\"\\/~@*<>:|?^[";
    /** Slash, backslash and tilde look-alikes that are their own NFKC form, so the NFKC rule alone misses them. */
    private static final String LOOK_ALIKES = "\u2044\u2215\u29F8\u29F5\u29F9\u2216\uFE68\u223C\u301C\u2053";

    private BranchNames() {}

    /** Null if the name is valid, else the reason it is not. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "a branch or tag name cannot be empty";
        }
        String shown = show(name);
        int codePoints = name.codePointCount(0, name.length());
        if (codePoints > MAX_LENGTH) {
            return "'" + shown + "' is longer than " + MAX_LENGTH + " characters";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "'" + shown + "' is longer than " + MAX_BYTES + " bytes of UTF-8";
        }
        if (name.startsWith("-")) {
            return "'" + shown + "' may not start with '-'";
        }
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            if (Character.isSurrogate(name.charAt(i)) && Character.charCount(c) == 1) {
                return "'" + shown + "' contains an unpaired surrogate";
            }
            if (c < 0x80 && FORBIDDEN.indexOf(c) >= 0) {
                return "'" + shown + "' contains '" + (char) c
                        + "'; branch and tag names may not contain any of . space $ \" \\ / ~ @ * < > : | ? ^ [ or NUL";
            }
            String kind = badKind(c);
            if (kind != null) {
                return "'" + shown + "' contains " + kind + " (U+" + String.format("%04X", c) + ")";
            }
            if (LOOK_ALIKES.indexOf(c) >= 0) {
                return "'" + shown + "' contains U+" + String.format("%04X", c) + ", which looks like / \\ or ~";
            }
            i += Character.charCount(c);
        }
        String nfkc = Normalizer.normalize(name, Normalizer.Form.NFKC);
        if (!nfkc.equals(name)) {
            return "'" + shown + "' is not in Unicode normal form NFKC (it would read as '" + show(nfkc)
                    + "'); write it in that form, without compatibility look-alikes";
        }
        return null;
    }

    private static String badKind(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL -> "a control character";
            case Character.FORMAT -> "an invisible format character";
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> "a space";
            case Character.UNASSIGNED -> "an unassigned code point";
            case Character.PRIVATE_USE -> "a private-use code point";
            case Character.SURROGATE -> "an unpaired surrogate";
            default -> null;
        };
    }

    /** The name for an error message: control characters escaped, cut at 80 characters. */
    static String show(String s) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || Character.getType(c) == Character.FORMAT) {
                b.append(c == 0 ? "\\0" : String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return i < s.length() ? b + "..." : b.toString();
    }
}
