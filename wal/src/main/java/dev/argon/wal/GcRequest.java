package dev.argon.wal;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * One GC pass as asked: the clock, the two windows, whether to only count, the engine's key knowledge and extra
 * points to keep (read under the commit lock, so they are consistent with the branches the plan sees).
 *
 * @param nowMillis          the time the windows are measured against (tests pass a later one to cross them)
 * @param historyRetentionMillis how far back time travel must keep working; negative: forever
 * @param reflogWindowMillis how long a reset keeps its abandoned range reachable through {@code name@point}
 * @param dryRun             count what would go, delete nothing, publish no marks
 * @param waitMillis         how long to wait for reads that began before the marks (see {@link ReadGate})
 */
public record GcRequest(long nowMillis, long historyRetentionMillis, long reflogWindowMillis, boolean dryRun, long waitMillis,
                        KeyOwners owners, Supplier<Collection<GcMarks.Point>> pins) {
    public static final long DEFAULT_REFLOG_WINDOW_MILLIS = 7L * 24 * 3600 * 1000;

    public GcRequest {
        owners = owners == null ? KeyOwners.NONE : owners;
        pins = pins == null ? List::of : pins;
    }
}
