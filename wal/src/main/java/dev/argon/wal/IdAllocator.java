package dev.argon.wal;

import java.nio.charset.StandardCharsets;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Collection and index ids: unique in a data directory for its lifetime. Owns the invariant "ids are never reused,
 * even after a crash": ids are handed out from a block whose end is persisted (and synced) before the first id of
 * it is, and a restart continues after the persisted end, skipping whatever the last process did not use.
 * Thread-safe.
 */
final class IdAllocator {
    static final byte[] ID_RESERVED = "idReserved".getBytes(StandardCharsets.UTF_8);
    /** Ids are reserved in blocks so that an allocation rarely writes; a restart skips the unused rest. */
    static final long ID_BLOCK = 1024;

    private final WalDb db;
    private final CommitWriter writer;
    private long nextId;
    private long idReserved;

    IdAllocator(WalDb db, CommitWriter writer) throws RocksDBException {
        this.db = db;
        this.writer = writer;
        byte[] r = db.db().get(db.meta(), ID_RESERVED);
        idReserved = r == null ? 0 : Bytes.getLong(r, 0);
        nextId = idReserved + 1;
    }

    /** A new id; blocks for a shared fsync when it starts a new block. */
    synchronized long allocate() {
        if (nextId > idReserved) {
            long reserve = idReserved + ID_BLOCK;
            long seq;
            writer.lock().lock();
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(db.meta(), ID_RESERVED, Bytes.longKey(reserve));
                seq = writer.write(batch, "reserving ids", -1, -1);
            } catch (RocksDBException e) {
                throw new WalException("cannot reserve ids: " + e.getMessage(), -1, -1, e);
            } finally {
                writer.lock().unlock();
            }
            writer.awaitSeq(seq);
            idReserved = reserve;
        }
        return nextId++;
    }
}
