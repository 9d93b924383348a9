package dev.argon.engine.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one collection holds in one view (a branch head or a time-travel point): the number of visible
 * documents, their BSON bytes, and the bytes of the keys and values of the documents and of each index as this
 * view reads them. Computed by one scan of the documents (payload sizes only, nothing decoded) and one scan of
 * each index's keys, so it costs time proportional to the collection, not to its history. Figures are logical:
 * the versioned keys' own bytes before RocksDB's compression, which is what a branch "holds"; how much of it is
 * physically shared with other branches is not attributed here. Immutable.
 *
 * @param count        visible documents
 * @param dataBytes    their BSON size (MongoDB's {@code size})
 * @param storageBytes the stored document values ({@code storageSize}); before compression, so today equal to
 *                     {@code dataBytes} (a document is stored as its BSON)
 * @param indexBytes   per index name, {@code _id_} first: the bytes of its keys (for {@code _id_}, the documents'
 *                     own keys, which are the {@code _id} index)
 */
public record CollectionSizes(long count, long dataBytes, long storageBytes, Map<String, Long> indexBytes) {

    /** Scans the collection's documents and indexes in the view. */
    public static CollectionSizes of(DataView view, CollectionInfo c) {
        long count = 0;
        long data = 0;
        long idKeys = 0;
        try (KeyReader.Scan s = view.reader.scan(Keys.collectionPrefix(c.collectionId()), null)) {
            while (s.hasNext()) {
                KeyReader.Entry e = s.next();
                count++;
                data += e.payload().length;
                idKeys += e.key().length;
            }
        }
        Map<String, Long> indexes = new LinkedHashMap<>();
        indexes.put("_id_", idKeys);
        for (IndexInfo i : c.indexes()) {
            long bytes = 0;
            try (KeyReader.Scan s = view.reader.scan(Keys.indexPrefix(c.collectionId(), i.indexId()), null)) {
                while (s.hasNext()) {
                    bytes += s.next().key().length;
                }
            }
            indexes.put(i.name(), bytes);
        }
        return new CollectionSizes(count, data, data, java.util.Collections.unmodifiableMap(indexes));
    }

    /** The number of visible documents alone (one scan of their keys, nothing decoded). */
    public static long count(DataView view, CollectionInfo c) {
        long n = 0;
        try (KeyReader.Scan s = view.reader.scan(Keys.collectionPrefix(c.collectionId()), null)) {
            while (s.hasNext()) {
                s.next();
                n++;
            }
        }
        return n;
    }

    /** The bytes of all indexes, {@code _id_} included (MongoDB's {@code totalIndexSize}). */
    public long totalIndexBytes() {
        long t = 0;
        for (long b : indexBytes.values()) {
            t += b;
        }
        return t;
    }

    public double avgObjSize() {
        return count == 0 ? 0 : (double) dataBytes / count;
    }
}
