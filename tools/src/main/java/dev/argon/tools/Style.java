package dev.argon.tools;

/**
 * ANSI colour when stdout is a terminal that supports it (not {@code TERM=dumb}, no {@code NO_COLOR}), plain
 * text otherwise, so piped output and scripts never see escape codes.
 */
final class Style {
    static final boolean ON = System.console() != null && System.getenv("NO_COLOR") == null
            && !"dumb".equals(System.getenv("TERM"));

    private Style() {}

    static String green(String s) {
        return paint("32", s);
    }

    static String red(String s) {
        return paint("31", s);
    }

    static String yellow(String s) {
        return paint("33", s);
    }

    static String bold(String s) {
        return paint("1", s);
    }

    private static String paint(String code, String s) {
        return ON ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
