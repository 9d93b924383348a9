package dev.argon.wal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonInt32;
import org.rocksdb.RocksDBException;

/**
 * The WAL's rooms wired by hand on a real RocksDB directory, without the {@link Wal} facade (no staging, no GC
 * passes, no background sync): what a room test needs to exercise one room and see what it persisted by reopening.
 * Not thread-safe.
 */
final class Rooms implements AutoCloseable {
    final Path dir;
    final WalDb db;
    final BranchRegistry branches = new BranchRegistry();
    final CommitWriter writer;
    final IdAllocator ids;
    final GcGuard gc;
    final HistoryReader history;
    final TagBook tags;
    final BranchBook book;

    Rooms(Path dir) throws RocksDBException {
        this.dir = dir;
        this.db = new WalDb(dir);
        IteratorPool reads = new IteratorPool(db);
        writer = new CommitWriter(db, branches, reads, new WalHealth(dir, 0), id -> null);
        ids = new IdAllocator(db, writer);
        gc = new GcGuard(db, writer, branches);
        // Log images need versioned reads; these rooms' tests read no log entries.
        history = new HistoryReader(db, new LogImages(db, branches, null), writer::lastLsn);
        tags = new TagBook(db, writer, branches, gc, history);
        book = new BranchBook(db, writer, branches, tags, gc, history);
        book.open();
    }

    /** Closes this directory and opens it again, as a restart does. */
    Rooms reopen() throws RocksDBException {
        close();
        return new Rooms(dir);
    }

    Branch main() {
        return branches.byName(Branch.MAIN);
    }

    Branch branch(int id) {
        return branches.get(id);
    }

    /** One commit on branchId writing each key (value "v"); returns its LSN range. */
    CommitResult commit(int branchId, String... keys) {
        List<LogEntry> entries = new ArrayList<>();
        for (String key : keys) {
            KeyWrite w = KeyWrite.put((key + "\0").getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8));
            entries.add(new LogEntry("db.c", LogEntry.INSERT, new BsonInt32(0), null, null, List.of(w)));
        }
        return writer.commit(new CommitRequest(branchId, null, null, false, entries), null);
    }

    @Override
    public void close() {
        writer.close();
    }
}
