package dev.argon.tools;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads durations the way the CLI's options take them: a number with a unit ({@code 30d}, {@code 12h},
 * {@code 90m}, {@code 45s}, {@code 500ms}, {@code 2w}), {@code 0}, or an ISO-8601 duration ({@code P7D},
 * {@code PT12H}). Stateless.
 */
final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");
    private static final Map<String, Long> UNIT = Map.of("ms", 1L, "s", 1000L, "m", 60_000L, "h", 3_600_000L, "d", 86_400_000L,
            "w", 604_800_000L);

    private Durations() {}

    static long millis(String option, String text) {
        String t = text.trim();
        try {
            if (t.equals("0")) {
                return 0;
            }
            Matcher m = SHORT.matcher(t);
            if (m.matches()) {
                return Math.multiplyExact(Long.parseLong(m.group(1)), UNIT.get(m.group(2)));
            }
            if (t.startsWith("P") || t.startsWith("p")) {
                long ms = java.time.Duration.parse(t).toMillis();
                if (ms >= 0) {
                    return ms;
                }
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw new CliException(CliException.USAGE, option + " takes a duration such as 30d, 12h, 90m, 45s or P7D, not '" + text + "'");
    }
}
