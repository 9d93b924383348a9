package dev.argon.engine.exec;

import dev.argon.engine.bson.KeyEncoder;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.DataView;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.bson.BsonDocument;

/**
 * OR: the clauses' index scans one after the other, each document once (by {@code _id}). Every clause shares
 * the counters, so {@code explain} reports the union's keys and documents examined. Not thread-safe; close it.
 */
final class OrScan extends Lookahead {
    private final DataView view;
    private final CollectionInfo c;
    private final Plan.OrScan plan;
    private final ExecStats stats;
    private final Set<ByteBuffer> seen = new HashSet<>();
    private int clause = -1;
    private IndexScan scan;

    OrScan(DataView view, CollectionInfo c, Plan.OrScan plan, ExecStats stats) {
        this.view = view;
        this.c = c;
        this.plan = plan;
        this.stats = stats;
    }

    @Override
    public boolean hasNext() {
        while (next == null) {
            if (scan != null && scan.hasNext()) {
                BsonDocument d = scan.next();
                if (seen.add(ByteBuffer.wrap(KeyEncoder.encode(d.get("_id"))))) {
                    next = d;
                }
                continue;
            }
            close();
            if (++clause >= plan.clauses().size()) {
                return false;
            }
            Plan.IxScan ix = plan.clauses().get(clause);
            scan = new IndexScan(view, c, ix, stats);
        }
        return true;
    }

    @Override
    public void close() {
        if (scan != null) {
            scan.close();
            scan = null;
        }
    }
}
