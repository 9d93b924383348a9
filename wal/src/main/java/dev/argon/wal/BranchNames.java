package dev.argon.wal;

/**
 * Rules for branch and tag names. They travel inside database names ({@code shop~exp}) and refs
 * ({@code exp@123}), so the characters that delimit those, and the ones database names may not contain, are
 * refused. Stateless.
 */
public final class BranchNames {
    /** Long enough for descriptive names, short enough that {@code db~branch} stays a usable database name. */
    public static final int MAX_LENGTH = 64;
    private static final String FORBIDDEN = ". $\"\\/~@*<>:|?";

    private BranchNames() {}

    /** Null if the name is valid, else the reason it is not. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "a branch or tag name cannot be empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "'" + name + "' is longer than " + MAX_LENGTH + " characters";
        }
        if (name.startsWith("-")) {
            return "'" + name + "' may not start with '-'";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return "'" + name.replace("\0", "\\0") + "' contains a control character";
            }
            if (FORBIDDEN.indexOf(c) >= 0) {
                return "'" + name + "' contains '" + c + "'; branch and tag names may not contain any of . space $ \" \\ / ~ @ * < > : | ? or NUL";
            }
        }
        return null;
    }
}
