package dev.argon.engine.exec;

import dev.argon.engine.bson.KeyEncoder;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.DataView;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bson.BsonDocument;

/**
 * SORT_MERGE: the clauses' index scans of an {@code $or}, each already in the requested sort order, open at once
 * and merged in that order (each step takes the smallest head; among equal heads the earlier clause), each
 * document once by {@code _id}. No blocking sort: memory is one document per clause plus the ids already returned,
 * as for OR. The clauses share the counters. Not thread-safe; close it.
 */
final class SortMergeScan extends Lookahead {
    private final Comparator<BsonDocument> order;
    private final List<IndexScan> scans = new ArrayList<>();
    private final BsonDocument[] heads;
    private final Set<ByteBuffer> seen = new HashSet<>();

    SortMergeScan(DataView view, CollectionInfo c, Plan.OrScan plan, Comparator<BsonDocument> order, ExecStats stats) {
        this.order = order;
        for (Plan.IxScan ix : plan.clauses()) {
            scans.add(new IndexScan(view, c, ix, stats));
        }
        heads = new BsonDocument[scans.size()];
        for (int i = 0; i < heads.length; i++) {
            heads[i] = advance(i);
        }
    }

    private BsonDocument advance(int i) {
        IndexScan s = scans.get(i);
        return s.hasNext() ? s.next() : null;
    }

    @Override
    public boolean hasNext() {
        while (next == null) {
            int min = -1;
            for (int i = 0; i < heads.length; i++) {
                if (heads[i] != null && (min < 0 || order.compare(heads[i], heads[min]) < 0)) {
                    min = i;
                }
            }
            if (min < 0) {
                return false;
            }
            BsonDocument d = heads[min];
            heads[min] = advance(min);
            if (seen.add(ByteBuffer.wrap(KeyEncoder.encode(d.get("_id"))))) {
                next = d;
            }
        }
        return true;
    }

    @Override
    public void close() {
        for (IndexScan s : scans) {
            s.close();
        }
    }
}
