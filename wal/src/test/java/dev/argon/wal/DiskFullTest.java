package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bson.BsonInt32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real full disk: the data directory lives on a small tmpfs that the test fills with a file, then frees.
 * Needs {@code mount} (root); where it cannot mount, the test is skipped and only the injected ENOSPC of
 * {@link WalDurabilityTest} covers this path.
 */
class DiskFullTest {
    private static final int PAYLOAD = 512 * 1024;

    private Path mnt;
    private Path data;
    private Path filler;
    private Wal wal;
    private final Random random = new Random(7);

    @BeforeEach
    void mount() throws Exception {
        mnt = Files.createTempDirectory("argon-tmpfs-");
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=512m", "tmpfs", mnt.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            Files.deleteIfExists(mnt);
            Assumptions.abort("cannot mount a small tmpfs here (" + out.trim() + "); the disk-full path is covered only by injected ENOSPC");
        }
        data = mnt.resolve("data");
        filler = mnt.resolve("filler");
    }

    @AfterEach
    void unmount() throws Exception {
        if (wal != null) {
            wal.close();
        }
        new ProcessBuilder("umount", mnt.toString()).start().waitFor();
        Files.deleteIfExists(mnt);
    }

    private Wal open(long minFreeBytes) {
        System.setProperty(Wal.MIN_FREE_PROPERTY, Long.toString(minFreeBytes));
        try {
            return Wal.open(data);
        } finally {
            System.clearProperty(Wal.MIN_FREE_PROPERTY);
        }
    }

    /** Fills the disk with a file until only about {@code leave} bytes are free. */
    private void fill(long leave) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        try (FileChannel ch = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            while (Files.getFileStore(mnt).getUsableSpace() > leave + chunk.capacity()) {
                chunk.clear();
                ch.write(chunk);
            }
        }
    }

    private static byte[] key(int i) {
        return ("k" + i + "\0").getBytes();
    }

    private byte[] payload() {
        byte[] b = new byte[PAYLOAD];
        random.nextBytes(b);
        return b;
    }

    private CommitResult put(int i, byte[] value) {
        return wal.commit(new CommitRequest(Branch.MAIN_ID, "t", null, true, List.of(new LogEntry("db.c", LogEntry.INSERT,
                new BsonInt32(i), null, null, List.of(KeyWrite.put(key(i), value))))));
    }

    /** Commits until the disk is full; returns the acknowledged values by key index, and the error that stopped it. */
    private WalException writeUntilFull(List<byte[]> acked) {
        for (int i = acked.size(); i < 10_000; i++) {
            byte[] v = payload();
            try {
                put(i, v);
                acked.add(v);
            } catch (WalException e) {
                return e;
            }
        }
        throw new AssertionError("the disk never filled");
    }

    private void assertAllReadable(List<byte[]> acked) {
        for (int i = 0; i < acked.size(); i++) {
            assertArrayEquals(acked.get(i), wal.get(wal.headView(Branch.MAIN_ID), key(i)), "key " + i);
        }
    }

    @Test
    void writesAreRefusedWhileTheDiskIsFullAndAcceptedOnceSpaceReturns() throws Exception {
        // RocksDB preallocates its WAL file, so the disk fills when a 64 MiB memtable is flushed to a table file
        // and a new WAL file is preallocated: 200 MiB free leaves room for both, and the reserve then refuses.
        wal = open(160L << 20);
        List<byte[]> acked = new ArrayList<>();
        byte[] first = payload();
        put(0, first);
        acked.add(first);
        fill(200L << 20);
        WalException full = writeUntilFull(acked);
        assertEquals(WalException.Kind.DISK_FULL, full.kind(), full.getMessage());
        assertTrue(full.getMessage().contains("full"), full.getMessage());
        assertEquals(WalHealth.State.DISK_FULL, wal.health().state());
        assertTrue(acked.size() > 1, "some writes fit before the reserve was reached");
        assertAllReadable(acked);
        // Still refused while the disk stays full.
        assertEquals(WalException.Kind.DISK_FULL, writeUntilFull(acked).kind());

        Files.delete(filler);
        byte[] v = payload();
        put(acked.size(), v);
        acked.add(v);
        assertEquals(WalHealth.State.HEALTHY, wal.health().state());

        wal.close();
        wal = open(160L << 20);
        assertAllReadable(acked);
    }

    @Test
    void enospcReportedByRocksDbLosesNothingAcknowledged() throws Exception {
        // Free-space reserve off: RocksDB itself hits ENOSPC, the case the reserve exists to avoid.
        wal = open(0);
        List<byte[]> acked = new ArrayList<>();
        fill(40L << 20);
        WalException full = writeUntilFull(acked);
        assertEquals(WalException.Kind.DISK_FULL, full.kind(), full.getMessage());
        assertAllReadable(acked);

        Files.delete(filler);
        // A failed flush is a state RocksDB leaves by itself once its space check passes (it polls); after a
        // failed WAL append it cannot resume in-process. Either way the write is refused as disk-full (whose
        // message then says to restart) until it is accepted.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        boolean resumed = false;
        while (!resumed && System.nanoTime() < deadline) {
            byte[] v = payload();
            try {
                put(acked.size(), v);
                acked.add(v);
                resumed = true;
            } catch (WalException e) {
                assertEquals(WalException.Kind.DISK_FULL, e.kind(), e.getMessage());
                assertTrue(e.getMessage().contains("restart"), e.getMessage());
                Thread.sleep(200);
            }
        }
        // Here the ENOSPC hits a memtable flush, which RocksDB recovers from once space is back.
        assertTrue(resumed, "writes were still refused 30 s after space was freed");
        wal.close();
        wal = open(0);
        assertAllReadable(acked);
        put(acked.size(), payload());
    }
}
