package dev.argon.wal.archive;

import dev.argon.storage.manifest.Manifest;
import dev.argon.storage.manifest.ManifestStore;
import dev.argon.storage.manifest.RefEntry;
import dev.argon.storage.manifest.SegmentRef;
import dev.argon.storage.object.ObjectStore;
import dev.argon.storage.segment.SegmentEntry;
import dev.argon.storage.segment.SegmentReader;
import dev.argon.wal.Bytes;
import dev.argon.wal.WalLoader;
import dev.argon.wal.WalSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * Builds a fresh data directory from an archive's newest manifest: everything (restore), everything as it was at
 * a point (restore {@code --at}), or one branch and its ancestry (clone). Offline: reads the archive itself, needs
 * no server. A restore that fails leaves no directory behind (it removes what it created). Stateless.
 */
public final class Restore {
    private Restore() {
    }

    /** Where a restore cuts: nothing given, an LSN, an ISO-8601 time, or a tag of the archive. */
    public record Point(long lsn, long time) {
        static final Point LATEST = new Point(Long.MAX_VALUE, -1);
    }

    /**
     * @param store       the archive
     * @param dir         an absent or empty directory
     * @param at          null for the newest state, else an LSN, an ISO-8601 time ({@code 2026-11-01T09:00:00Z})
     *                    or a tag name
     * @param cloneBranch null for every branch, else the one branch the new directory holds
     */
    public static RestoreReport run(ObjectStore store, Path dir, String at, String cloneBranch, ArchiveProgress progress) {
        long start = System.nanoTime();
        Manifest m = new ManifestStore(store).latest().orElseThrow(() -> new IllegalArgumentException(
                "no archive in " + store.describe() + ": it holds no manifest"));
        Point point = resolve(store, m, at);
        boolean existed = Files.exists(dir);
        long total = Math.max(1, m.totalBytes());
        long[] done = {0};
        int[] segments = {0};
        WalLoader.Report r;
        // Created before the try: a refusal (a non-empty directory) must never lead to removing the user's files.
        WalLoader loader = WalLoader.create(dir, point.lsn(), point.time(), cloneBranch);
        // Segments are read, checked and decompressed on the prefetch thread while this one loads what it read.
        try (loader; Prefetch<Item> items = new Prefetch<>("argon-restore-read", 1024, 16,
                sink -> read(store, m, point, sink, s -> {
                    segments[0]++;
                    done[0] += s.size();
                    progress.update(done[0], total);
                }, s -> done[0] += s.size()))) {
            while (items.hasNext()) {
                Item i = items.next();
                loader.put(i.family(), i.entry().key(), i.entry().value());
            }
            r = loader.finish();
        } catch (RuntimeException e) {
            removeQuietly(dir, existed);
            throw e;
        }
        progress.update(total, total);
        return new RestoreReport(store.describe(), m.sequence(), m.coversLsn(), r.lastLsn(), cloneBranch, r.branches(),
                r.entries(), segments[0], done[0], (System.nanoTime() - start) / 1_000_000);
    }

    /** One archived entry and the family it restores into. */
    private record Item(String family, SegmentEntry entry) {
    }

    /**
     * Hands every entry the restore needs to {@code sink}: the families in {@link WalSnapshot#FAMILIES} order, each
     * in key order ({@link OrderedEntries}), so that {@link WalLoader} writes SST files instead of batches; segments
     * wholly after the cut are skipped unread.
     */
    private static void read(ObjectStore store, Manifest m, Point point, java.util.function.Consumer<Item> sink,
                             java.util.function.Consumer<SegmentRef> read, java.util.function.Consumer<SegmentRef> skipped) {
        for (String family : WalSnapshot.FAMILIES) {
            List<SegmentRef> wanted = new ArrayList<>();
            for (SegmentRef s : m.segments()) {
                if (!Backup.family(s.kind()).equals(family)) {
                    continue;
                }
                if (point.lsn() != Long.MAX_VALUE && s.minLsn() > point.lsn() && !s.kind().equals("meta-state")) {
                    skipped.accept(s); // wholly after the cut
                } else {
                    wanted.add(s);
                }
            }
            for (OrderedEntries it = new OrderedEntries(store, wanted, read); it.hasNext(); ) {
                sink.accept(new Item(family, it.next()));
            }
        }
    }

    /** The cut a {@code --at} value names in this archive. */
    static Point resolve(ObjectStore store, Manifest m, String at) {
        if (at == null || at.isBlank()) {
            return Point.LATEST;
        }
        String a = at.trim();
        if (a.matches("\\d{1,19}")) {
            long lsn = Long.parseLong(a);
            if (lsn > m.coversLsn()) {
                throw new IllegalArgumentException("lsn " + lsn + " is beyond the archive, which covers up to lsn " + m.coversLsn());
            }
            return new Point(lsn, timeAtLsn(store, m, lsn));
        }
        for (RefEntry r : m.refs()) {
            if (r.kind().equals("tag") && r.name().equals(a)) {
                return new Point(r.lsn(), timeAtLsn(store, m, r.lsn()));
            }
        }
        Instant t;
        try {
            t = Instant.parse(a);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--at takes an lsn, an ISO-8601 time (2026-11-01T09:00:00Z) or a tag of the archive; '"
                    + a + "' is none of them");
        }
        return new Point(lsnAtTime(store, m, t.toEpochMilli()), t.toEpochMilli());
    }

    /** The time of the last commit at or before {@code lsn}, from the archived time index (0 when none). */
    private static long timeAtLsn(ObjectStore store, Manifest m, long lsn) {
        long best = 0;
        for (SegmentRef s : m.segments("times")) {
            if (s.minLsn() > lsn) {
                continue;
            }
            for (Iterator<SegmentEntry> it = SegmentReader.open(store, s.objectKey(), s.size()).scan(null, null); it.hasNext(); ) {
                byte[] k = it.next().key();
                if (Bytes.getLong(k, 8) <= lsn) {
                    best = Math.max(best, Bytes.getLong(k, 0));
                }
            }
        }
        return best;
    }

    /** The last commit at or before {@code millis}, from the archived time index (0 when none is that old). */
    private static long lsnAtTime(ObjectStore store, Manifest m, long millis) {
        long best = 0;
        for (SegmentRef s : m.segments("times")) {
            for (Iterator<SegmentEntry> it = SegmentReader.open(store, s.objectKey(), s.size()).scan(null, null); it.hasNext(); ) {
                byte[] k = it.next().key();
                if (Bytes.getLong(k, 0) <= millis) {
                    best = Math.max(best, Bytes.getLong(k, 8));
                }
            }
        }
        return best;
    }

    private static void removeQuietly(Path dir, boolean keepDir) {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!(keepDir && p.equals(dir))) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // best effort: the error that caused the removal is the one to report
        }
    }

}
