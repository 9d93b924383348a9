package dev.argon.wal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bson.BsonInt32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh data directory and an open {@link Wal} per test, closed (with any fault hook cleared) after it, plus
 * the key and entry helpers the WAL tests share. Tests may reopen {@link #wal} on {@link #dir}.
 */
abstract class WalFixture {
    protected Path dir;
    protected Wal wal;

    @BeforeEach
    void openFixture() throws Exception {
        dir = Files.createTempDirectory("wal-" + getClass().getSimpleName() + "-");
        wal = Wal.open(dir);
    }

    @AfterEach
    void closeFixture() {
        wal.faults(null);
        wal.close();
    }

    /** A user key as the engine writes them: the text and a terminator. */
    static byte[] k(String s) {
        return (s + "\0").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] v(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** One insert into db.c writing payload under key. */
    static LogEntry insert(String key, byte[] payload) {
        return new LogEntry("db.c", LogEntry.INSERT, new BsonInt32(1), null, null, List.of(KeyWrite.put(k(key), payload)));
    }
}
