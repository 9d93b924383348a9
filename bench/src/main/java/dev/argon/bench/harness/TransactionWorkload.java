package dev.argon.bench.harness;

import com.mongodb.MongoException;
import com.mongodb.TransactionOptions;
import com.mongodb.WriteConcern;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoCollection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;

/**
 * Multi-document transactions through the driver's {@code withTransaction}, each inserting {@link #DOCS}
 * documents with one {@code insertOne} per document (as an application writes several records in one unit), at
 * 1, 8 and 32 clients, each count in a phase of its own. Clients write distinct {@code _id}s, so the figure is the
 * transaction machinery's, not conflict retries'. Issue 11's benchmark; the notes give documents per second and
 * check that every committed transaction left exactly its documents.
 */
final class TransactionWorkload implements Workload {
    static final String COLLECTION = "txn";
    static final int DOCS = 10;
    static final List<Integer> CLIENTS = List.of(1, 8, 32);

    @Override
    public String name() {
        return "txn";
    }

    @Override
    public String description() {
        return "withTransaction of " + DOCS + " insertOne each, at " + CLIENTS + " clients";
    }

    @Override
    public WorkloadResult run(Session s, LoadRunner runner) {
        MongoCollection<BsonDocument> c = s.database().getCollection(COLLECTION, BsonDocument.class);
        c.drop();
        s.database().createCollection(COLLECTION);
        String probe = probe(s, c);
        if (probe != null) {
            return WorkloadResult.skipped(s.target.name(), this, "transactions not available on this server (" + probe + ")");
        }
        List<OpStats> ops = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        double seconds = 0;
        String firstError = null;
        long[] committed = {0};
        TransactionOptions options = TransactionOptions.builder().writeConcern(WriteConcern.W1).build();
        for (int clients : CLIENTS) {
            String op = "txn x" + clients;
            java.util.concurrent.atomic.LongAdder done = new java.util.concurrent.atomic.LongAdder();
            List<ClientSession> sessions = new ArrayList<>();
            LoadRunner.Outcome o = runner.run(LoadRunner.Plan.timed(s.target.name() + " " + op, clients, s.config), s.config.seed(), t -> {
                ClientSession session = s.client.startSession();
                sessions.add(session);
                long[] seq = {0};
                return (rec, rnd) -> {
                    long base = seq[0];
                    seq[0] += DOCS;
                    Object r = rec.time(op, () -> session.withTransaction(() -> {
                        for (int i = 0; i < DOCS; i++) {
                            String id = clients + "-" + t + "-" + (base + i);
                            c.insertOne(session, new BsonDocument("_id", new BsonString(id)).append("client", new BsonInt32(t))
                                    .append("n", new BsonInt64(base + i)).append("payload", s.values.any(rnd)));
                        }
                        return Boolean.TRUE;
                    }, options));
                    if (r != null) {
                        done.increment();
                    }
                };
            });
            sessions.forEach(ClientSession::close);
            committed[0] += done.sum();
            ops.addAll(o.ops());
            seconds += o.seconds();
            OpStats st = o.ops().stream().filter(x -> x.op().equals(op)).findFirst().orElse(null);
            if (st != null) {
                notes.add(String.format(Locale.ROOT, "%d clients: %,.0f transactions/s = %,.0f documents/s", clients, st.opsPerSec(), st.opsPerSec() * DOCS));
            }
            if (firstError == null) {
                firstError = o.firstError();
            }
        }
        // Warm-up transactions count in `committed` too. A transaction whose commit reply was lost may have committed
        // without being counted, so the store may hold more whole transactions than counted, never part of one.
        long stored = c.countDocuments();
        if (stored % DOCS != 0 || stored < committed[0] * DOCS) {
            notes.add(String.format(Locale.ROOT, "WRONG: %,d documents stored, not whole transactions (%,d measured commits)", stored, committed[0]));
        } else {
            notes.add(String.format(Locale.ROOT, "%,d documents stored: whole transactions only", stored));
        }
        if (firstError != null) {
            notes.add("first error: " + firstError);
        }
        c.drop();
        return new WorkloadResult(s.target.name(), name(), description(), ops, seconds, notes, false);
    }

    /** Null when one transaction commits, else why not. */
    private static String probe(Session s, MongoCollection<BsonDocument> c) {
        try (ClientSession session = s.client.startSession()) {
            session.withTransaction(() -> c.insertOne(session, new BsonDocument("_id", new BsonString("probe"))));
            c.deleteOne(new BsonDocument("_id", new BsonString("probe")));
            return null;
        } catch (MongoException e) {
            return e.getMessage().lines().findFirst().orElse(e.getClass().getSimpleName());
        }
    }
}
