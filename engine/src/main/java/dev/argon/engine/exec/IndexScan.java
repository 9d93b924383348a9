package dev.argon.engine.exec;

import dev.argon.engine.bson.KeyEncoder;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.DataView;
import dev.argon.engine.store.IndexInfo;
import dev.argon.engine.store.IndexKeys;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.bson.BsonDocument;

/**
 * IXSCAN + FETCH: walks the intervals of an {@link IndexBounds} in key order through the view's versioned reads
 * (so a branch or a time-travel view sees its own index entries), takes the {@code _id} after each key and
 * fetches the document as the same view sees it. With {@code markers}, it then also fetches every multikey
 * document the intervals did not yield (a two-sided range can miss a document whose elements satisfy each end
 * apart). Backward, it reads the intervals last first, each from its end down (a sort opposite to the index's).
 * Ids are deduplicated when a document can appear under several keys. The caller re-checks each
 * document against the filter. Not thread-safe; close it.
 */
final class IndexScan extends Lookahead {
    private final DataView view;
    private final CollectionInfo c;
    private final IndexBounds bounds;
    private final boolean withMarkers;
    private final boolean backward;
    private final Set<ByteBuffer> seen;
    private final ExecStats stats;
    private int interval = -1;
    private boolean inMarkers;
    private DataView.IndexEntryScan scan;
    private byte[] end;
    private boolean done;

    IndexScan(DataView view, CollectionInfo c, Plan.IxScan plan, ExecStats stats) {
        this(view, c, plan.bounds(), plan.dedupe(), plan.withMarkers(), plan.backward(), stats);
    }

    /** With {@code backward}, the intervals last first and each from its end down to its start. */
    IndexScan(DataView view, CollectionInfo c, IndexBounds bounds, boolean dedupe, boolean withMarkers, boolean backward,
              ExecStats stats) {
        this.view = view;
        this.backward = backward;
        this.c = c;
        this.bounds = bounds;
        this.withMarkers = withMarkers;
        this.seen = dedupe || withMarkers ? new HashSet<>() : null;
        this.stats = stats;
    }

    /** Whether any document visible in the view produced an array key for the index (one seek). */
    static boolean multikey(DataView view, CollectionInfo c, IndexInfo index) {
        try (DataView.IndexEntryScan s = view.indexScan(c, index, IndexKeys.MARKER)) {
            return s.hasNext();
        }
    }

    @Override
    public boolean hasNext() {
        while (next == null && !done) {
            byte[] key = nextKey();
            if (key == null) {
                done = true;
                close();
                break;
            }
            if (stats.spent()) {
                // The trial's works are used up (see QueryPlan#allPlansExecution): this key is not examined.
                stats.cut = true;
                done = true;
                close();
                break;
            }
            stats.keysExamined++;
            byte[] id;
            if (inMarkers) {
                id = Arrays.copyOfRange(key, IndexKeys.MARKER.length, key.length);
            } else {
                int at = 0;
                for (boolean d : bounds.descending) {
                    at = KeyEncoder.skip(key, at, d);
                }
                id = Arrays.copyOfRange(key, at, key.length);
            }
            if (seen != null && !seen.add(ByteBuffer.wrap(id))) {
                continue;
            }
            stats.keysAdvanced++;
            stats.docsExamined++;
            next = view.documentByEncodedId(c, id);
        }
        return next != null;
    }

    private byte[] nextKey() {
        while (true) {
            if (scan != null && scan.hasNext()) {
                byte[] k = scan.next();
                if (backward && !inMarkers ? Arrays.compareUnsigned(k, end) >= 0 : end == null || Arrays.compareUnsigned(k, end) < 0) {
                    return k;
                }
            }
            if (scan != null) {
                scan.close();
                scan = null;
            }
            if (inMarkers) {
                return null;
            }
            interval++;
            if (interval < bounds.intervals.size() && backward) {
                // end holds where the interval stops: its start, inclusive, reached from above.
                IndexBounds.Interval iv = bounds.intervals.get(bounds.intervals.size() - 1 - interval);
                scan = view.indexScanBackward(c, bounds.index, iv.end());
                end = iv.start();
            } else if (interval < bounds.intervals.size()) {
                IndexBounds.Interval iv = bounds.intervals.get(interval);
                scan = view.indexScan(c, bounds.index, iv.start().length == 0 ? null : iv.start());
                end = iv.end();
            } else if (withMarkers) {
                inMarkers = true;
                scan = view.indexScan(c, bounds.index, IndexKeys.MARKER);
                end = null;
            } else {
                return null;
            }
        }
    }

    @Override
    public void close() {
        if (scan != null) {
            scan.close();
            scan = null;
        }
    }
}
