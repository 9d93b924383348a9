package dev.argon.proxy.it;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;

/**
 * The crash harness's client side: workers that write through the driver with the default write concern
 * and keep a ledger of what the server acknowledged, and the checks of that ledger after a restart. Each
 * worker owns its keys and branches, so the ledger of a key has one writer; a worker stops at its first
 * failed operation (the server was killed), whose outcome is then unknown. Thread-safe: workers only append
 * to the shared ledger queue.
 */
final class CrashLoad {
    static final String DB = "crash";

    /** What an acknowledged (or possibly applied) operation promises about the state after a restart. */
    interface Claim {
        /** Null if the claim holds, else what is wrong. */
        String check(Server s);
    }

    /** The restarted server, with its branch and tag names read once per verification. */
    record Server(MongoClient client, java.util.Set<String> branches, java.util.Set<String> tags) {
        static Server of(MongoClient c) {
            java.util.Set<String> b = new java.util.HashSet<>();
            for (Document d : c.getDatabase("admin").runCommand(new Document("listBranches", 1)).getList("branches", Document.class)) {
                b.add(d.getString("name"));
            }
            java.util.Set<String> t = new java.util.HashSet<>();
            for (Document d : c.getDatabase("admin").runCommand(new Document("listTags", 1)).getList("tags", Document.class)) {
                t.add(d.getString("name"));
            }
            return new Server(c, b, t);
        }
    }

    private final ConcurrentLinkedQueue<Claim> ledger = new ConcurrentLinkedQueue<>();
    final AtomicLong acked = new AtomicLong();

    /** Every failed claim, checked against a restarted server. */
    List<String> verify(MongoClient c) {
        List<String> failures = new ArrayList<>();
        Server server = Server.of(c);
        for (Claim claim : ledger) {
            String f = claim.check(server);
            if (f != null) {
                failures.add(f);
            }
        }
        return failures;
    }

    int claims() {
        return ledger.size();
    }

    /** A document owned by one worker: exists (acknowledged insert), gone (acknowledged delete) or unknown. */
    private static final class Doc implements Claim {
        final String db;
        final String coll;
        final String id;
        volatile int state; // 1 exists, 0 gone, -1 unknown
        volatile long minCounter;

        Doc(String db, String coll, String id) {
            this.db = db;
            this.coll = coll;
            this.id = id;
            this.state = -1;
        }

        @Override
        public String check(Server s) {
            Document d = s.client().getDatabase(db).getCollection(coll).find(Filters.eq("_id", id)).first();
            String where = db + "." + coll + " _id " + id;
            if (state == 1 && d == null) {
                return "acknowledged document lost: " + where;
            }
            if (state == 0 && d != null) {
                return "acknowledged delete undone: " + where;
            }
            if (d != null && d.containsKey("c") && d.get("c", Number.class).longValue() < minCounter) {
                return "acknowledged update lost: " + where + " has c = " + d.get("c") + ", acknowledged " + minCounter;
            }
            return null;
        }
    }

    /** An insertMany batch: all of it or none of it, and all of it once acknowledged. */
    private record Batch(String db, String batch, int size, boolean ackedBatch) implements Claim {
        @Override
        public String check(Server s) {
            // An _id range over the batch's own ids (one field document: the server turns it into scan bounds,
            // an $and of two conditions it would not) keeps the check a short scan, not a collection scan.
            long n = 0;
            for (Document d : s.client().getDatabase(db).getCollection("batches")
                    .find(new Document("_id", new Document("$gte", batch + "-").append("$lt", batch + "."))).projection(new Document("batch", 1))) {
                if (batch.equals(d.getString("batch"))) {
                    n++;
                }
            }
            if (ackedBatch && n != size) {
                return "acknowledged batch " + db + "/" + batch + " has " + n + " of " + size + " documents";
            }
            if (!ackedBatch && n != 0 && n != size) {
                return "half a commit visible: batch " + db + "/" + batch + " has " + n + " of " + size + " documents";
            }
            return null;
        }
    }

    private record Ref(String kind, String name) implements Claim {
        @Override
        public String check(Server s) {
            return (kind.equals("branch") ? s.branches() : s.tags()).contains(name) ? null : "acknowledged " + kind + " lost: " + name;
        }
    }

    /** One worker's loop until its first failure or until stop is set. */
    void work(MongoClient c, long seed, String prefix, java.util.concurrent.atomic.AtomicBoolean stop) {
        Random rnd = new Random(seed);
        MongoDatabase db = c.getDatabase(DB);
        List<Doc> docs = new ArrayList<>();
        BranchScenario scenario = null;
        int n = 0;
        while (!stop.get()) {
            n++;
            int pick = rnd.nextInt(100);
            try {
                if (pick < 35 || docs.isEmpty()) {
                    Doc d = new Doc(DB, "docs", prefix + "-d" + n);
                    ledger.add(d);
                    docs.add(d);
                    db.getCollection("docs").insertOne(new Document("_id", d.id).append("c", 0L).append("pad", "x".repeat(rnd.nextInt(200))));
                    d.state = 1;
                } else if (pick < 60) {
                    Doc d = docs.get(rnd.nextInt(docs.size()));
                    if (d.state == 1) {
                        db.getCollection("docs").updateOne(Filters.eq("_id", d.id), Updates.inc("c", 1L));
                        d.minCounter++;
                    }
                } else if (pick < 70) {
                    Doc d = docs.get(rnd.nextInt(docs.size()));
                    if (d.state == 1) {
                        d.state = -1;
                        db.getCollection("docs").deleteOne(Filters.eq("_id", d.id));
                        d.state = 0;
                        d.minCounter = 0;
                    } else if (d.state == 0) {
                        d.state = -1;
                        db.getCollection("docs").insertOne(new Document("_id", d.id).append("c", 0L));
                        d.state = 1;
                    }
                } else if (pick < 85) {
                    insertBatch(c, DB, prefix + "-b" + n, 2 + rnd.nextInt(30));
                } else if (pick < 95) {
                    if (scenario == null || scenario.done()) {
                        scenario = new BranchScenario(prefix + "-br" + n);
                    }
                    scenario.step(c);
                } else {
                    String tag = prefix + "-t" + n;
                    c.getDatabase("admin").runCommand(new Document("createTag", tag).append("ref", "main"));
                    ledger.add(new Ref("tag", tag));
                }
                acked.incrementAndGet();
            } catch (RuntimeException e) {
                return;
            }
        }
    }

    private void insertBatch(MongoClient c, String db, String batch, int size) {
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            docs.add(new Document("_id", batch + "-" + i).append("batch", batch));
        }
        Batch pending = new Batch(db, batch, size, false);
        ledger.add(pending);
        c.getDatabase(db).getCollection("batches").insertMany(docs);
        ledger.remove(pending);
        ledger.add(new Batch(db, batch, size, true));
    }

    /**
     * A branch's life, one step per call: create it, write a batch on it, merge it into main (the batch
     * must then be on main), write d1, write d2, reset the branch to just after d1 (d2 must be gone from it).
     */
    private final class BranchScenario {
        private final String name;
        private int step;
        private long afterD1;
        private Doc d2;

        BranchScenario(String name) {
            this.name = name;
        }

        boolean done() {
            return step >= 6;
        }

        void step(MongoClient c) {
            String onBranch = DB + "~" + name;
            switch (step) {
                case 0 -> {
                    c.getDatabase("admin").runCommand(new Document("createBranch", name));
                    ledger.add(new Ref("branch", name));
                }
                case 1 -> insertBatch(c, onBranch, name + "-side", 3);
                case 2 -> {
                    Batch pending = new Batch(DB, name + "-side", 3, false);
                    ledger.add(pending);
                    c.getDatabase("admin").runCommand(new Document("mergeBranch", name).append("into", "main"));
                    ledger.remove(pending);
                    ledger.add(new Batch(DB, name + "-side", 3, true));
                }
                case 3 -> {
                    Doc d1 = new Doc(onBranch, "docs", name + "-d1");
                    ledger.add(d1);
                    c.getDatabase(onBranch).getCollection("docs").insertOne(new Document("_id", d1.id));
                    d1.state = 1;
                    afterD1 = head(c);
                }
                case 4 -> {
                    d2 = new Doc(onBranch, "docs", name + "-d2");
                    ledger.add(d2);
                    c.getDatabase(onBranch).getCollection("docs").insertOne(new Document("_id", d2.id));
                    d2.state = 1;
                }
                case 5 -> {
                    d2.state = -1;
                    c.getDatabase("admin").runCommand(new Document("resetBranch", name).append("to", afterD1));
                    d2.state = 0;
                }
                default -> {
                }
            }
            step++;
        }

        private long head(MongoClient c) {
            for (Document b : c.getDatabase("admin").runCommand(new Document("listBranches", 1)).getList("branches", Document.class)) {
                if (name.equals(b.getString("name"))) {
                    return b.get("headLsn", Number.class).longValue();
                }
            }
            throw new IllegalStateException("branch " + name + " not listed");
        }
    }
}
