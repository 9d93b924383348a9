package dev.argon.wal.archive;

import dev.argon.storage.manifest.Manifest;
import dev.argon.storage.manifest.ManifestStore;
import dev.argon.storage.manifest.RefEntry;
import dev.argon.storage.manifest.SegmentRef;
import dev.argon.storage.object.ObjectStore;
import dev.argon.wal.Branch;
import dev.argon.wal.Bytes;
import dev.argon.wal.Tag;
import dev.argon.wal.WalSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One backup of a live data directory into an archive (package documentation): a snapshot, the segments, then
 * the manifest. Incremental when the archive has a manifest already: only entries above its LSN travel, plus the
 * metadata state. Stateless; one call per backup (backups to one target at the same time: one wins, the other
 * fails at publishing).
 */
public final class Backup {
    private static final byte[] COMMIT_END = "commitEnd/".getBytes(StandardCharsets.UTF_8);

    private Backup() {
    }

    /**
     * @param snapshots  takes the data directory's snapshot ({@code Wal::snapshot}); commits go on while the backup runs
     * @param store      the archive
     * @param tmpDir     where segments are written before they are stored (one at a time per kind)
     * @param properties free-form properties for the manifest
     */
    public static BackupReport run(java.util.function.Supplier<WalSnapshot> snapshots, ObjectStore store, Path tmpDir, Map<String, String> properties,
                                   ArchiveProgress progress) {
        long start = System.nanoTime();
        ManifestStore manifests = new ManifestStore(store);
        Optional<Manifest> previous = manifests.latest();
        SegmentSink.Counter counter = new SegmentSink.Counter();
        // Block compression, the bulk of a backup's CPU, runs on every core beside the snapshot scan.
        java.util.concurrent.ExecutorService compressor = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
                    Thread t = new Thread(r, "argon-backup-zstd");
                    t.setDaemon(true);
                    return t;
                });
        try (WalSnapshot snap = snapshots.get()) {
            long covers = snap.lastLsn();
            long since = previous.map(Manifest::coversLsn).orElse(0L);
            if (since > covers) {
                throw new IllegalStateException(store.describe() + " holds an archive up to lsn " + since
                        + ", beyond this data directory's last lsn " + covers
                        + ": it is the archive of another data directory; back up to another target");
            }
            long estimate = Math.max(1, snap.estimatedBytes());
            long[] scanned = {0};
            long seen = 0;
            Files.createDirectories(tmpDir);
            Map<String, SegmentSink> sinks = new LinkedHashMap<>();
            try {
                for (String kind : List.of("meta-state", "meta", "commits", "times", "log", "versions")) {
                    sinks.put(kind, new SegmentSink(kind, store, tmpDir, counter, compressor));
                }
                // The previous manifest's newest commit must be in this directory, byte for byte: else the target
                // holds another directory's archive, and an increment on top of it would restore a mix of both.
                String expectCommit = previous.map(m -> m.properties().get(LAST_COMMIT)).orElse(null);
                boolean foundCommit = expectCommit == null;
                String newestCommit = null;
                long newestCommitLsn = -1;
                for (String family : WalSnapshot.FAMILIES) {
                    if (family.equals("times") && !foundCommit) {
                        throw new IllegalStateException(store.describe() + " holds the archive of another data directory (its newest commit, "
                                + expectCommit + ", is not in this one): back up to another target");
                    }
                    for (Iterator<WalSnapshot.Entry> it = snap.scan(family, since); it.hasNext(); ) {
                        WalSnapshot.Entry e = it.next();
                        byte[] k = e.key();
                        if (family.equals("commits")) {
                            long lsn = lsn(family, k);
                            if (lsn > newestCommitLsn) {
                                newestCommitLsn = lsn;
                                newestCommit = commitId(k, e.value());
                            }
                            if (!foundCommit && lsn <= since && expectCommit.equals(commitId(k, e.value()))) {
                                foundCommit = true;
                            }
                        }
                        scanned[0] += k.length + e.value().length;
                        String kind = kind(family, k);
                        long lsn = kind.equals("meta-state") ? covers : lsn(family, k);
                        if (kind.equals("meta-state") || lsn > since) {
                            sinks.get(kind).add(k, e.value(), lsn);
                        }
                        if ((++seen & 0x3FF) == 0) {
                            progress.update(Math.min(scanned[0], Math.max(estimate, scanned[0])), Math.max(estimate, scanned[0]));
                        }
                    }
                }
                List<SegmentRef> segments = new ArrayList<>();
                for (SegmentRef s : previous.map(Manifest::segments).orElse(List.of())) {
                    if (!s.kind().equals("meta-state")) {
                        segments.add(s); // the append-only kinds of the chain stay; the state is replaced
                    }
                }
                for (SegmentSink sink : sinks.values()) {
                    segments.addAll(sink.finish());
                }
                List<RefEntry> refs = new ArrayList<>();
                for (Branch b : snap.branches()) {
                    refs.add(new RefEntry("branch", b.name(), b.id(), b.headLsn()));
                }
                for (Tag t : snap.tags()) {
                    refs.add(new RefEntry("tag", t.name(), t.branchId(), t.lsn()));
                }
                long sequence = previous.map(m -> m.sequence() + 1).orElse(1L);
                Map<String, String> props = new java.util.TreeMap<>(properties);
                if (newestCommit != null) {
                    props.put(LAST_COMMIT, newestCommit);
                } else if (expectCommit != null) {
                    props.put(LAST_COMMIT, expectCommit);
                }
                Manifest m = new Manifest(sequence, previous.map(Manifest::sequence).orElse(0L), covers, since,
                        System.currentTimeMillis(), snap.lastTime(), refs, segments, props);
                manifests.publish(m);
                progress.update(Math.max(estimate, scanned[0]), Math.max(estimate, scanned[0]));
                return new BackupReport(store.describe(), sequence, m.parent(), covers, since, counter.entries,
                        counter.rawBytes, counter.segmentsStored, counter.bytesStored, counter.segmentsReused,
                        segments.size(), m.totalBytes(), (System.nanoTime() - start) / 1_000_000);
            } finally {
                for (SegmentSink s : sinks.values()) {
                    s.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + tmpDir + " for the backup's temporary segments", e);
        } finally {
            compressor.shutdownNow();
        }
    }

    /** Manifest property naming the archive's newest commit: its commits-family key and a hash of its record. */
    static final String LAST_COMMIT = "last-commit";

    private static String commitId(byte[] key, byte[] value) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            return java.util.HexFormat.of().formatHex(key) + ":" + java.util.HexFormat.of().formatHex(sha.digest(value), 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** Which kind an entry of a family belongs to (package documentation). */
    static String kind(String family, byte[] key) {
        if (family.equals("default")) {
            return Bytes.startsWith(key, COMMIT_END) ? "meta" : "meta-state";
        }
        return family;
    }

    /** The LSN an append-only entry belongs to, from its key (docs/FORMATS.md, "Column families"). */
    static long lsn(String family, byte[] k) {
        return switch (family) {
            case "log" -> Bytes.getLong(k, 0);
            case "versions" -> ~Bytes.getLong(k, k.length - 8);
            case "commits", "times" -> Bytes.getLong(k, k.length - 8);
            case "default" -> Bytes.getLong(k, k.length - 8); // commitEnd/<id:4><lsn:8>: the commit's last LSN
            default -> throw new IllegalArgumentException(family);
        };
    }

    /** Which family a kind restores into. */
    static String family(String kind) {
        return kind.startsWith("meta") ? "default" : kind;
    }
}
