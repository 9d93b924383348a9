package dev.argon.engine.vc;

import dev.argon.engine.store.CollectionInfo;
import dev.argon.engine.store.DataView;
import dev.argon.engine.store.Store;
import dev.argon.engine.store.WriteSession;
import dev.argon.wal.Branch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * A small builder over a real {@link Store} in a temporary directory, for version-control scenarios: each
 * step is one commit on a branch, merges go through {@link MergeRunner} as the mergeBranch command does. Not
 * thread-safe.
 */
final class Repo implements AutoCloseable {
    private final Path dir;
    final Store store;

    Repo() {
        try {
            dir = Files.createTempDirectory("argon-vc-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store = new Store(dir);
    }

    static BsonDocument json(String json) {
        return BsonDocument.parse(json);
    }

    Branch branch(String name) {
        Branch b = store.versions().branch(name);
        if (b == null) {
            throw new AssertionError("no branch " + name);
        }
        return b;
    }

    long head(String name) {
        return branch(name).headLsn();
    }

    /** Forks a branch from another's head. */
    Repo fork(String name, String from) {
        Branch parent = branch(from);
        store.versions().createBranch(name, parent.id(), parent.headLsn(), "test");
        return this;
    }

    /** One commit on a branch, written through a write session. */
    Repo write(String branch, Consumer<WriteSession> body) {
        try (Store.Write w = store.beginWrite(branch(branch).id())) {
            body.accept(w.session());
            w.session().commit("test", null, false);
        }
        return this;
    }

    Repo insert(String branch, String ns, String... docs) {
        return write(branch, s -> {
            CollectionInfo c = s.collectionForWrite(db(ns), coll(ns));
            for (String d : docs) {
                s.insert(c, json(d));
            }
        });
    }

    /** Replaces the document with the same {@code _id}. */
    Repo replace(String branch, String ns, String doc) {
        return write(branch, s -> {
            BsonDocument d = json(doc);
            CollectionInfo c = s.collection(db(ns), coll(ns));
            s.update(c, s.document(c, d.get("_id")), d);
        });
    }

    Repo delete(String branch, String ns, int id) {
        return write(branch, s -> {
            CollectionInfo c = s.collection(db(ns), coll(ns));
            s.delete(c, s.document(c, new BsonInt32(id)));
        });
    }

    Repo create(String branch, String ns, String options) {
        return write(branch, s -> s.createCollection(db(ns), coll(ns), json(options)));
    }

    Repo drop(String branch, String ns) {
        return write(branch, s -> s.dropCollection(s.collection(db(ns), coll(ns))));
    }

    Repo index(String branch, String ns, String key) {
        BsonDocument k = json(key);
        String name = String.join("_", k.keySet()) + "_1";
        return write(branch, s -> s.addIndex(s.collectionForWrite(db(ns), coll(ns)),
                new BsonDocument("v", new BsonInt32(2)).append("key", k).append("name", new BsonString(name))));
    }

    /** Moves a branch head back to an LSN of its own, as resetBranch does. */
    Repo reset(String branch, long lsn) {
        Branch b = branch(branch);
        store.versions().resetBranch(b.id(), b.id(), lsn, null, "test");
        return this;
    }

    MergeRunner.Applied merge(String source, String target, Merger.Strategy strategy) {
        return MergeRunner.apply(store, branch(source), branch(target), strategy, null, "test", "merge " + source + " into " + target, false);
    }

    MergeRunner.Applied merge(String source, String target) {
        return merge(source, target, Merger.Strategy.FAIL);
    }

    /** A preview's conflicts, read through its lazy walk. */
    List<BsonDocument> conflicts(String source, String target) {
        MergeRunner.Preview p = MergeRunner.preview(store, branch(source), branch(target), Merger.Strategy.FAIL);
        List<BsonDocument> out = new ArrayList<>();
        try (Merger.Walk w = p.conflicts()) {
            w.forEachRemaining(out::add);
        }
        return out;
    }

    BsonDocument counts(String source, String target) {
        MergeRunner.Preview p = MergeRunner.preview(store, branch(source), branch(target), Merger.Strategy.FAIL);
        p.conflicts().close();
        return p.counts();
    }

    /** The documents of a collection on a branch head, in {@code _id} order; null if there is no collection. */
    List<BsonDocument> docs(String branch, String ns) {
        DataView v = store.head(branch(branch).id());
        CollectionInfo c = v.collection(db(ns), coll(ns));
        if (c == null) {
            return null;
        }
        List<BsonDocument> out = new ArrayList<>();
        try (DataView.DocumentScan s = v.documents(c)) {
            s.forEachRemaining(out::add);
        }
        return out;
    }

    CollectionInfo collection(String branch, String ns) {
        return store.head(branch(branch).id()).collection(db(ns), coll(ns));
    }

    static List<BsonDocument> docs(String... json) {
        List<BsonDocument> out = new ArrayList<>();
        for (String j : json) {
            out.add(json(j));
        }
        return out;
    }

    static List<BsonValue> ids(List<BsonDocument> docs) {
        List<BsonValue> out = new ArrayList<>();
        for (BsonDocument d : docs) {
            out.add(d.get("_id"));
        }
        return out;
    }

    private static String db(String ns) {
        return ns.substring(0, ns.indexOf('.'));
    }

    private static String coll(String ns) {
        return ns.substring(ns.indexOf('.') + 1);
    }

    @Override
    public void close() {
        store.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory is harmless
        }
    }
}
