package dev.argon.engine.vc;

import dev.argon.engine.bson.KeyEncoder;
import dev.argon.engine.store.DataView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The candidate {@code _id}s of one namespace in key order, without duplicates: the ids a change set recorded,
 * merged on the fly with full scans of the collection in some views (for a collection dropped or renamed, whose
 * vanished documents have no entries of their own). Nothing is collected up front. Not thread-safe; close it
 * (the scans hold storage iterators).
 */
final class Candidates implements Iterator<BsonValue>, AutoCloseable {
    /** One sorted source of ids with its current head. */
    private static final class Source {
        private final Iterator<Map.Entry<byte[], BsonValue>> known;
        private final DataView.DocumentScan scan;
        byte[] key;
        BsonValue id;

        Source(Iterator<Map.Entry<byte[], BsonValue>> known, DataView.DocumentScan scan) {
            this.known = known;
            this.scan = scan;
            advance();
        }

        void advance() {
            key = null;
            id = null;
            if (known != null && known.hasNext()) {
                Map.Entry<byte[], BsonValue> e = known.next();
                key = e.getKey();
                id = e.getValue();
            } else if (scan != null && scan.hasNext()) {
                BsonDocument d = scan.next();
                id = d.get("_id");
                key = KeyEncoder.encode(id);
            }
        }
    }

    private final List<Source> sources = new ArrayList<>();
    private final List<DataView.DocumentScan> scans;

    Candidates(Iterator<Map.Entry<byte[], BsonValue>> known, List<DataView.DocumentScan> scans) {
        this.scans = scans;
        if (known != null) {
            sources.add(new Source(known, null));
        }
        for (DataView.DocumentScan s : scans) {
            sources.add(new Source(null, s));
        }
    }

    @Override
    public boolean hasNext() {
        for (Source s : sources) {
            if (s.key != null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public BsonValue next() {
        byte[] min = null;
        BsonValue id = null;
        for (Source s : sources) {
            if (s.key != null && (min == null || Arrays.compareUnsigned(s.key, min) < 0)) {
                min = s.key;
                id = s.id;
            }
        }
        if (min == null) {
            throw new NoSuchElementException();
        }
        for (Source s : sources) {
            if (s.key != null && Arrays.equals(s.key, min)) {
                s.advance();
            }
        }
        return id;
    }

    @Override
    public void close() {
        for (DataView.DocumentScan s : scans) {
            s.close();
        }
    }
}
