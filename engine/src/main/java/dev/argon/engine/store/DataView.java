package dev.argon.engine.store;

import dev.argon.wal.Bson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.TreeSet;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

/**
 * Documents and catalog as one branch sees them at one point: the read side of every command. Stateless over
 * its {@link KeyReader}; as thread-safe as that reader (the WAL reader is, a write's overlay is not).
 */
public class DataView {
    protected final KeyReader reader;
    private final CatalogCache.Scope cache;
    private final boolean raw;
    /** Where plans over this view count their index use ({@code $indexStats}); null: not counted. */
    private IndexAccesses.Scope accesses;

    DataView(KeyReader reader) {
        this(reader, null, false);
    }

    DataView(KeyReader reader, CatalogCache.Scope cache) {
        this(reader, cache, false);
    }

    private DataView(KeyReader reader, CatalogCache.Scope cache, boolean raw) {
        this.reader = reader;
        this.cache = cache;
        this.raw = raw;
    }

    /**
     * The same view, handing out documents as immutable {@link RawBsonDocument}s over the stored bytes: no
     * decode up front, and the reply encoder copies the bytes as they are. Only for results that go straight
     * back to a client; anything that edits documents must use the decoded form.
     */
    public DataView forReplies() {
        DataView v = new DataView(reader, cache, true);
        v.accesses = accesses;
        return v;
    }

    /** Binds this view to its branch's index-use counters (set once by whoever creates the view). */
    DataView countingAccesses(IndexAccesses.Scope scope) {
        this.accesses = scope;
        return this;
    }

    /** The scope plans over this view count into (handed on to views derived from it). */
    IndexAccesses.Scope accessScope() {
        return accesses;
    }

    /**
     * The same view, whose plans do not count as index use: for reads that are not the user's queries (explain,
     * the TTL monitor), which mongod does not count either.
     */
    public DataView uncounted() {
        // A write session's own catalog may differ from the head's cache: hand the cache on only where it speaks.
        return new DataView(reader, catalogCacheUsable() ? cache : null, raw);
    }

    /**
     * Counts one use of an index by a plan that runs over this view ({@link IndexAccesses#ID_INDEX} for the
     * {@code _id} index).
     */
    public void indexUsed(CollectionInfo c, int indexId) {
        IndexAccesses.Scope s = accesses;
        if (s != null && c != null) {
            s.accesses().used(s.branchId(), c.collectionId(), indexId);
        }
    }

    /**
     * Whether the catalog cache answers for this view now: always for a head view; a write session says no once
     * it has changed the catalog or staged a chunk, because then its own view differs from the published head.
     */
    protected boolean catalogCacheUsable() {
        return true;
    }

    private BsonDocument decode(byte[] payload) {
        return raw ? new RawBsonDocument(payload) : Bson.document(payload);
    }

    public CollectionInfo collection(String db, String name) {
        boolean cached = cache != null && catalogCacheUsable();
        if (cached) {
            CollectionInfo hit = cache.get(db, name);
            if (hit != null) {
                return hit.collectionId() < 0 ? null : hit;
            }
        }
        byte[] p = reader.get(Keys.catalog(db, name));
        CollectionInfo info = p == null ? null : CollectionInfo.fromBson(Bson.document(p));
        if (cached) {
            cache.put(db, name, info);
        }
        return info;
    }

    public List<CollectionInfo> collections(String db) {
        List<CollectionInfo> out = new ArrayList<>();
        try (KeyReader.Scan s = reader.scan(Keys.catalogDbPrefix(db), null)) {
            while (s.hasNext()) {
                out.add(CollectionInfo.fromBson(Bson.document(s.next().payload())));
            }
        }
        return out;
    }

    /** Names of the databases that hold at least one collection, sorted. */
    public List<String> databases() {
        TreeSet<String> names = new TreeSet<>();
        try (KeyReader.Scan s = reader.scan(Keys.catalogPrefix(), null)) {
            while (s.hasNext()) {
                names.add(Keys.catalogName(s.next().key())[0]);
            }
        }
        return new ArrayList<>(names);
    }

    /** The stored BSON of the document with this {@code _id}, not decoded, or null. */
    public byte[] documentBytes(CollectionInfo c, BsonValue id) {
        return reader.get(Keys.document(c.collectionId(), id));
    }

    public BsonDocument document(CollectionInfo c, BsonValue id) {
        byte[] p = reader.get(Keys.document(c.collectionId(), id));
        return p == null ? null : decode(p);
    }

    /** All documents of a collection in {@code _id} order. Close it. */
    public DocumentScan documents(CollectionInfo c) {
        return new DocumentScan(reader.scan(Keys.collectionPrefix(c.collectionId()), null), this);
    }

    /** Documents in {@code _id} order starting at an encoded {@code _id} (inclusive). Close it. */
    public DocumentScan documentsFrom(CollectionInfo c, byte[] encodedIdStart) {
        return new DocumentScan(reader.scan(Keys.collectionPrefix(c.collectionId()), Keys.document(c.collectionId(), encodedIdStart)), this);
    }

    /** All documents of a collection in descending {@code _id} order ({@code $natural: -1}). Close it. */
    public DocumentScan documentsBackward(CollectionInfo c) {
        return new DocumentScan(reader.scanBackward(Keys.collectionPrefix(c.collectionId()), null), this);
    }

    /** Documents in descending {@code _id} order from the last one whose encoded {@code _id} sorts below encodedIdEnd. Close it. */
    public DocumentScan documentsBefore(CollectionInfo c, byte[] encodedIdEnd) {
        return new DocumentScan(reader.scanBackward(Keys.collectionPrefix(c.collectionId()), Keys.document(c.collectionId(), encodedIdEnd)), this);
    }

    /** Index entries of one key value (every document carrying that key), as encoded {@code _id}s. */
    public List<byte[]> indexEntries(CollectionInfo c, IndexInfo index, byte[] encodedKey) {
        byte[] prefix = Keys.indexKeyPrefix(c.collectionId(), index.indexId(), encodedKey);
        List<byte[]> ids = new ArrayList<>();
        try (KeyReader.Scan s = reader.scan(prefix, null)) {
            while (s.hasNext()) {
                byte[] k = s.next().key();
                ids.add(java.util.Arrays.copyOfRange(k, prefix.length, k.length));
            }
        }
        return ids;
    }

    /** The document with an encoded {@code _id} (as an index entry ends), or null. */
    public BsonDocument documentByEncodedId(CollectionInfo c, byte[] encodedId) {
        byte[] p = reader.get(Keys.document(c.collectionId(), encodedId));
        return p == null ? null : decode(p);
    }

    /**
     * The visible entries of one index in key order, from {@code encodedKeyStart} (inclusive; null for the first),
     * each as the bytes after the index prefix: {@code enc(key) | enc(_id)}. Close it.
     */
    public IndexEntryScan indexScan(CollectionInfo c, IndexInfo index, byte[] encodedKeyStart) {
        byte[] prefix = Keys.indexPrefix(c.collectionId(), index.indexId());
        byte[] start = encodedKeyStart == null ? null : Keys.indexKeyPrefix(c.collectionId(), index.indexId(), encodedKeyStart);
        return new IndexEntryScan(reader.scan(prefix, start), prefix.length);
    }

    /**
     * The visible entries of one index in descending key order, from the last one below {@code encodedKeyEnd}
     * (exclusive; null for the last entry, multikey markers included), each as {@link #indexScan} gives them. Close it.
     */
    public IndexEntryScan indexScanBackward(CollectionInfo c, IndexInfo index, byte[] encodedKeyEnd) {
        byte[] prefix = Keys.indexPrefix(c.collectionId(), index.indexId());
        byte[] end = encodedKeyEnd == null ? null : Keys.indexKeyPrefix(c.collectionId(), index.indexId(), encodedKeyEnd);
        return new IndexEntryScan(reader.scanBackward(prefix, end), prefix.length);
    }

    /** Index entries without their prefix. Not thread-safe; close it. */
    public static final class IndexEntryScan implements Iterator<byte[]>, AutoCloseable {
        private final KeyReader.Scan scan;
        private final int prefixLength;

        IndexEntryScan(KeyReader.Scan scan, int prefixLength) {
            this.scan = scan;
            this.prefixLength = prefixLength;
        }

        @Override
        public boolean hasNext() {
            return scan.hasNext();
        }

        @Override
        public byte[] next() {
            byte[] k = scan.next().key();
            return java.util.Arrays.copyOfRange(k, prefixLength, k.length);
        }

        @Override
        public void close() {
            scan.close();
        }
    }

    /** Decoded documents over a raw scan. Not thread-safe; close it. */
    public static final class DocumentScan implements Iterator<BsonDocument>, AutoCloseable {
        private final KeyReader.Scan scan;

        private final DataView view;

        DocumentScan(KeyReader.Scan scan, DataView view) {
            this.scan = scan;
            this.view = view;
        }

        @Override
        public boolean hasNext() {
            return scan.hasNext();
        }

        @Override
        public BsonDocument next() {
            if (!scan.hasNext()) {
                throw new NoSuchElementException();
            }
            return view.decode(scan.next().payload());
        }

        @Override
        public void close() {
            scan.close();
        }
    }
}
