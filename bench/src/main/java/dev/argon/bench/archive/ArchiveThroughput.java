package dev.argon.bench.archive;

import dev.argon.storage.object.LocalFolderStore;
import dev.argon.storage.object.ObjectStore;
import dev.argon.wal.Branch;
import dev.argon.wal.CommitRequest;
import dev.argon.wal.KeyWrite;
import dev.argon.wal.LogEntry;
import dev.argon.wal.Wal;
import dev.argon.wal.archive.ArchiveLocation;
import dev.argon.wal.archive.ArchiveProgress;
import dev.argon.wal.archive.Backup;
import dev.argon.wal.archive.BackupReport;
import dev.argon.wal.archive.Restore;
import dev.argon.wal.archive.RestoreReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bson.BsonInt32;

/**
 * Loads {@code docs} documents of about 1 KB (BSON-like text with varied numbers, so zstd has realistic work) in
 * commits of 1,000 straight into a WAL, flushes, then times a full backup into a local folder and a restore
 * from it, and prints MB/s of raw keys and values. Usage: {@code ArchiveThroughput <workDir> [docs] [target URL]}: the
 * target is a local folder under the work directory unless a {@code file:///path} or {@code s3://bucket/prefix} URL is
 * given (an S3-compatible server through {@code AWS_ENDPOINT_URL}, credentials through the standard AWS variables).
 */
public final class ArchiveThroughput {
    private ArchiveThroughput() {
    }

    /** CPU time of the whole process, RocksDB's background threads included (the machine is shared: wall time is noisy). */
    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int docs = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        String target = args.length > 2 ? args[2] : null;
        Path data = work.resolve("data");
        Path folder = work.resolve("archive");
        Path restored = work.resolve("restored");
        SplittableRandom rnd = new SplittableRandom(42);
        long raw = 0;
        long archivedRaw;
        try (Wal wal = Wal.open(data)) {
            for (int i = 0; i < docs; i += 1000) {
                List<LogEntry> entries = new ArrayList<>();
                for (int j = i; j < Math.min(docs, i + 1000); j++) {
                    byte[] key = ("D\0\0\0\0\0\0\0\1" + String.format("%012d", j)).getBytes(StandardCharsets.UTF_8);
                    StringBuilder v = new StringBuilder("{_id: ").append(j).append(", name: \"user").append(j).append("\"");
                    while (v.length() < 1000) {
                        v.append(", f").append(v.length() % 97).append(": ").append(rnd.nextInt(1_000_000));
                    }
                    byte[] value = v.toString().getBytes(StandardCharsets.UTF_8);
                    raw += key.length + value.length;
                    entries.add(new LogEntry("bench.c", LogEntry.INSERT, new BsonInt32(j), null, null, List.of(KeyWrite.put(key, value))));
                }
                wal.commit(new CommitRequest(Branch.MAIN_ID, "bench", null, false, entries));
            }
            wal.flush(true);
            long t0 = System.nanoTime();
            long c0 = cpu();
            BackupReport b;
            try (ObjectStore store = open(target, folder, true)) {
                b = Backup.run(wal::snapshot, store, work.resolve("tmp"), Map.of(), ArchiveProgress.NONE);
            }
            double bs = (System.nanoTime() - t0) / 1e9;
            double bc = (cpu() - c0) / 1e9;
            archivedRaw = b.rawBytes();
            System.out.printf("documents %d, raw document bytes %.1f MB%n", docs, raw / 1e6);
            System.out.printf("backup: %d entries, %.1f MB raw -> %.1f MB in %d segments, %.2f s, %.1f MB/s raw, %.1f MB/s stored;"
                            + " %.2f CPU s, %.1f MB raw per CPU s%n",
                    b.entries(), b.rawBytes() / 1e6, b.bytesStored() / 1e6, b.segmentsStored(), bs, b.rawBytes() / 1e6 / bs,
                    b.bytesStored() / 1e6 / bs, bc, b.rawBytes() / 1e6 / bc);
        }
        long t1 = System.nanoTime();
        long c1 = cpu();
        RestoreReport r;
        try (ObjectStore store = open(target, folder, false)) {
            r = Restore.run(store, restored, null, null, ArchiveProgress.NONE);
        }
        double rs = (System.nanoTime() - t1) / 1e9;
        double rc = (cpu() - c1) / 1e9;
        System.out.printf("restore: %d entries (latest rebuilt), %.1f MB read, %.2f s, %.1f MB/s raw, %.1f MB/s read;"
                        + " %.2f CPU s, %.1f MB raw per CPU s%n",
                r.entries(), r.bytesRead() / 1e6, rs, archivedRaw / 1e6 / rs, r.bytesRead() / 1e6 / rs, rc, archivedRaw / 1e6 / rc);
        System.out.printf("target: %s%n", target == null ? folder : target);
        System.out.printf("load average during the run: %.1f on %d cores%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
        Files.writeString(work.resolve("done"), "ok");
    }

    private static ObjectStore open(String target, Path folder, boolean forWriting) {
        return target == null ? new LocalFolderStore(folder) : ArchiveLocation.of(target).open(forWriting);
    }
}
