package dev.argon.engine.store;

import dev.argon.engine.bson.KeyEncoder;
import dev.argon.wal.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bson.BsonValue;

/**
 * User keys of the versioned key space (the WAL appends the inverted LSN). All are prefix-free:
 * <ul>
 *   <li>document: {@code 'D' | collectionId (8) | enc(_id)}</li>
 *   <li>index entry: {@code 'I' | collectionId (8) | indexId (4) | enc(key) | enc(_id)}</li>
 *   <li>collection catalog entry: {@code 'C' | db | 0x00 | collection | 0x00} (names never contain NUL)</li>
 * </ul>
 * {@code enc} is {@link KeyEncoder}, so documents scan in {@code _id} order and index entries in key order.
 * Stateless.
 */
public final class Keys {
    static final byte DOC = 'D';
    static final byte INDEX = 'I';
    static final byte CATALOG = 'C';

    private Keys() {}

    public static byte[] collectionPrefix(long collectionId) {
        byte[] k = new byte[9];
        k[0] = DOC;
        Bytes.putLong(k, 1, collectionId);
        return k;
    }

    public static byte[] document(long collectionId, BsonValue id) {
        return document(collectionId, KeyEncoder.encode(id));
    }

    public static byte[] document(long collectionId, byte[] encodedId) {
        byte[] k = Arrays.copyOf(collectionPrefix(collectionId), 9 + encodedId.length);
        System.arraycopy(encodedId, 0, k, 9, encodedId.length);
        return k;
    }

    public static byte[] indexPrefix(long collectionId, int indexId) {
        byte[] k = new byte[13];
        k[0] = INDEX;
        Bytes.putLong(k, 1, collectionId);
        Bytes.putInt(k, 9, indexId);
        return k;
    }

    public static byte[] indexKeyPrefix(long collectionId, int indexId, byte[] encodedKey) {
        return Bytes.concat(indexPrefix(collectionId, indexId), encodedKey);
    }

    public static byte[] indexEntry(long collectionId, int indexId, byte[] encodedKey, byte[] encodedId) {
        return Bytes.concat(indexKeyPrefix(collectionId, indexId, encodedKey), encodedId);
    }

    public static byte[] catalogPrefix() {
        return new byte[] {CATALOG};
    }

    public static byte[] catalogDbPrefix(String db) {
        byte[] name = db.getBytes(StandardCharsets.UTF_8);
        byte[] k = new byte[name.length + 2];
        k[0] = CATALOG;
        System.arraycopy(name, 0, k, 1, name.length);
        return k;
    }

    public static byte[] catalog(String db, String collection) {
        byte[] prefix = catalogDbPrefix(db);
        byte[] name = collection.getBytes(StandardCharsets.UTF_8);
        byte[] k = Arrays.copyOf(prefix, prefix.length + name.length + 1);
        System.arraycopy(name, 0, k, prefix.length, name.length);
        return k;
    }

    /** {db, collection} of a catalog key. */
    public static String[] catalogName(byte[] key) {
        int sep = 1;
        while (key[sep] != 0) {
            sep++;
        }
        return new String[] {
            new String(key, 1, sep - 1, StandardCharsets.UTF_8),
            new String(key, sep + 1, key.length - sep - 2, StandardCharsets.UTF_8)
        };
    }

    /** The encoded {@code _id} at the end of a document key. */
    public static byte[] encodedIdOfDocument(byte[] key) {
        return Arrays.copyOfRange(key, 9, key.length);
    }
}
