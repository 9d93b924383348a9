package dev.argon.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The data directory records its on-disk format, and a directory of another format is refused, saying why. */
class FormatVersionTest extends WalFixture {
    private void rewriteFormat(byte[] value) throws Exception {
        wal.close();
        try (WalDbBypass raw = new WalDbBypass(dir)) {
            raw.put(WalDb.FORMAT_KEY, value);
        }
    }

    @Test
    void aNewDirectoryRecordsTheFormatAndReopens() {
        wal.commit(new CommitRequest(Branch.MAIN_ID, null, null, false, List.of(insert("a", v("1")))));
        byte[] rec = wal.meta(WalDb.FORMAT_KEY);
        assertEquals(WalDb.FORMAT_VERSION, Bytes.getInt(rec, 0));
        wal.close();
        wal = Wal.open(dir);
        assertArrayEquals(v("1"), wal.get(wal.headView(Branch.MAIN_ID), k("a")));
    }

    @Test
    void anotherFormatIsRefusedWithAClearMessage() throws Exception {
        byte[] other = new byte[4];
        Bytes.putInt(other, 0, WalDb.FORMAT_VERSION + 1);
        rewriteFormat(other);
        UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class, () -> Wal.open(dir));
        assertEquals(WalDb.FORMAT_VERSION + 1, e.found());
        assertTrue(e.getMessage().contains("format version " + (WalDb.FORMAT_VERSION + 1)), e.getMessage());
        assertTrue(e.getMessage().contains("reads format version " + WalDb.FORMAT_VERSION), e.getMessage());
        assertThrows(UnsupportedFormatException.class, () -> WalInspector.open(dir), "fsck refuses it too");
        // Nothing was changed by the refused opens: restoring the record opens the directory again.
        byte[] mine = new byte[4];
        Bytes.putInt(mine, 0, WalDb.FORMAT_VERSION);
        try (WalDbBypass raw = new WalDbBypass(dir)) {
            raw.put(WalDb.FORMAT_KEY, mine);
        }
        wal = Wal.open(dir);
    }

    @Test
    void aDirectoryWithBranchesButNoRecordIsTheFirstFormat() throws Exception {
        wal.commit(new CommitRequest(Branch.MAIN_ID, null, null, false, List.of(insert("a", v("1")))));
        rewriteFormat(null);
        UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class, () -> Wal.open(dir));
        assertEquals(0, e.found());
        assertTrue(e.getMessage().contains("format version 1"), e.getMessage());
        try (WalDbBypass raw = new WalDbBypass(dir)) {
            byte[] mine = new byte[4];
            Bytes.putInt(mine, 0, WalDb.FORMAT_VERSION);
            raw.put(WalDb.FORMAT_KEY, mine);
        }
        wal = Wal.open(dir);
    }
}
