package dev.argon.engine.exec;

import dev.argon.engine.query.MatchDetails;
import dev.argon.engine.query.Matcher;
import dev.argon.engine.query.Projection;
import dev.argon.engine.query.SortSpec;
import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.DataView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Runs a find-shaped query over one collection: source (a point read when the filter pins {@code _id}, else
 * a scan in {@code _id} order), filter, sort (top-k when there is a limit), skip, limit, projection. There is
 * no index selection yet: secondary indexes serve uniqueness only. Not thread-safe; one per query.
 */
public final class QueryPlan {
    private QueryPlan() {}

    /** A lazily evaluated result that holds a storage iterator until closed. */
    public interface Result extends Iterator<BsonDocument>, AutoCloseable {
        @Override
        void close();
    }

    /** Documents matching filter, unsorted, in _id order. */
    public static Result matching(DataView view, CollectionInfo c, BsonDocument filter) {
        return find(view, c, filter, null, 0, 0, null);
    }

    public static Result find(DataView view, CollectionInfo c, BsonDocument filter, BsonDocument sort, long skip, long limit,
                              BsonDocument projection) {
        return find(view, c, filter, sort, skip, limit, projection, null);
    }

    /** As {@link #find}, with the command's {@code let} variables available to {@code $expr}. */
    public static Result find(DataView view, CollectionInfo c, BsonDocument filter, BsonDocument sort, long skip, long limit,
                              BsonDocument projection, BsonDocument let) {
        if (c == null) {
            return empty();
        }
        Matcher matcher = Matcher.compile(filter == null ? new BsonDocument() : filter, let);
        Projection proj = projection == null || projection.isEmpty() ? null : Projection.compile(projection);
        // Documents come in _id order already, so sorting by _id ascending needs no sort at all.
        boolean natural = sort != null && sort.size() == 1 && sort.containsKey("_id") && sort.get("_id").isNumber()
                && sort.get("_id").asNumber().doubleValue() > 0;
        SortSpec sortSpec = sort == null || sort.isEmpty() || natural ? null : SortSpec.compile(sort);
        Comparator<BsonDocument> order = sortSpec == null ? null : sortSpec.comparator();
        BsonValue id = pinnedId(filter);
        Iterator<BsonDocument> source;
        AutoCloseable resource = null;
        if (id != null) {
            BsonDocument d = view.document(c, id);
            source = d == null ? Collections.emptyIterator() : List.of(d).iterator();
        } else {
            IdRange range = IdRange.of(filter);
            DataView.DocumentScan scan = range == null || range.lower() == null ? view.documents(c) : view.documentsFrom(c, range.lower());
            source = range == null || range.upper() == null ? scan : range.bounded(scan);
            resource = scan;
        }
        Iterator<Matched> matched = new Filtered(source, matcher, proj != null);
        if (order != null) {
            List<Matched> sorted = sort(matched, (a, b) -> order.compare(a.doc, b.doc), limit > 0 ? skip + limit : 0);
            close(resource);
            resource = null;
            matched = sorted.iterator();
        }
        return new Limited(matched, skip, limit, proj, resource);
    }

    /** The _id value when the filter is exactly an equality on _id (a scalar, not an operator document). */
    static BsonValue pinnedId(BsonDocument filter) {
        if (filter == null) {
            return null;
        }
        BsonValue v = filter.get("_id");
        if (v == null || v.isArray() || v.isRegularExpression()) {
            return null;
        }
        if (v.isDocument()) {
            BsonDocument d = v.asDocument();
            if (!d.isEmpty() && d.getFirstKey().startsWith("$")) {
                if (d.size() == 1 && d.containsKey("$eq") && !d.get("$eq").isArray() && !d.get("$eq").isDocument()
                        && !d.get("$eq").isRegularExpression()) {
                    return d.get("$eq");
                }
                return null;
            }
        }
        return v;
    }

    private static List<Matched> sort(Iterator<Matched> in, Comparator<Matched> cmp, long keep) {
        if (keep > 0 && keep < 100_000) {
            // Top-k: a bounded max-heap keeps memory proportional to skip+limit, not to the collection.
            PriorityQueue<Matched> heap = new PriorityQueue<>((int) keep + 1, cmp.reversed());
            long seq = 0;
            while (in.hasNext()) {
                Matched m = in.next();
                m.seq = seq++;
                heap.add(m);
                if (heap.size() > keep) {
                    heap.poll();
                }
            }
            List<Matched> out = new ArrayList<>(heap);
            out.sort(cmp.thenComparingLong(m -> m.seq));
            return out;
        }
        List<Matched> all = new ArrayList<>();
        in.forEachRemaining(all::add);
        all.sort(cmp);
        return all;
    }

    private static void close(AutoCloseable r) {
        if (r != null) {
            try {
                r.close();
            } catch (Exception ignored) {
                // storage iterators close without meaningful failure
            }
        }
    }

    public static Result empty() {
        return new Limited(Collections.emptyIterator(), 0, 0, null, null);
    }

    /** A matched document with what the positional projection needs. */
    static final class Matched {
        final BsonDocument doc;
        final MatchDetails details;
        long seq;

        Matched(BsonDocument doc, MatchDetails details) {
            this.doc = doc;
            this.details = details;
        }
    }

    private static final class Filtered implements Iterator<Matched> {
        private final Iterator<BsonDocument> source;
        private final Matcher matcher;
        private final boolean keepDetails;
        private Matched next;

        Filtered(Iterator<BsonDocument> source, Matcher matcher, boolean keepDetails) {
            this.source = source;
            this.matcher = matcher;
            this.keepDetails = keepDetails;
        }

        @Override
        public boolean hasNext() {
            while (next == null && source.hasNext()) {
                BsonDocument d = source.next();
                MatchDetails details = keepDetails ? new MatchDetails() : null;
                if (matcher.matches(d, details)) {
                    next = new Matched(d, details);
                }
            }
            return next != null;
        }

        @Override
        public Matched next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Matched m = next;
            next = null;
            return m;
        }
    }

    private static final class Limited implements Result {
        private final Iterator<Matched> in;
        private final long limit;
        private final Projection projection;
        private final AutoCloseable resource;
        private long returned;
        private boolean closed;

        Limited(Iterator<Matched> in, long skip, long limit, Projection projection, AutoCloseable resource) {
            this.in = in;
            this.limit = limit;
            this.projection = projection;
            this.resource = resource;
            for (long i = 0; i < skip && in.hasNext(); i++) {
                in.next();
            }
        }

        @Override
        public boolean hasNext() {
            boolean more = (limit <= 0 || returned < limit) && in.hasNext();
            if (!more) {
                close();
            }
            return more;
        }

        @Override
        public BsonDocument next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Matched m = in.next();
            returned++;
            return projection == null ? m.doc : projection.apply(m.doc, m.details);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                QueryPlan.close(resource);
            }
        }
    }
}
