package dev.argon.proxy.conformance;

import com.mongodb.ClientSessionOptions;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.NoSuchElementException;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

/** Cursor entities: a driver cursor, or a cursor the runner drives itself for {@code runCursorCommand}. */
final class Cursors {
    /** How long iterating a change stream waits for its next event before the test fails. */
    private static final long CHANGE_WAIT_NANOS = 10_000_000_000L;

    private Cursors() {
    }

    /** What the cursor operations (iterateUntilDocumentOrError, iterateOnce, close) need. */
    interface RunnerCursor extends AutoCloseable {
        /** The next document, waiting for more batches as needed; null once the cursor is exhausted. */
        BsonDocument next();

        /** At most one round trip; null when no document is available now. */
        BsonDocument tryNext();

        @Override
        void close();
    }

    /** A find cursor or change stream from the driver. */
    static RunnerCursor of(MongoCursor<BsonDocument> cursor) {
        return new RunnerCursor() {
            @Override
            public BsonDocument next() {
                if (cursor instanceof MongoChangeStreamCursor<?>) {
                    // A change stream's next() waits forever for an event: bound it, so a test whose event never
                    // comes fails instead of hanging the run.
                    long deadline = System.nanoTime() + CHANGE_WAIT_NANOS;
                    while (System.nanoTime() < deadline) {
                        BsonDocument d = cursor.tryNext();
                        if (d != null) {
                            return d;
                        }
                    }
                    throw new AssertionError("no change event within " + CHANGE_WAIT_NANOS / 1_000_000_000 + " s");
                }
                try {
                    return cursor.next();
                } catch (NoSuchElementException e) {
                    return null;
                }
            }

            @Override
            public BsonDocument tryNext() {
                return cursor.tryNext();
            }

            @Override
            public void close() {
                cursor.close();
            }
        };
    }

    /** Raised when a command answers without a cursor: an error found by the client, not by the server. */
    static final class NotACursor extends RuntimeException {
        NotACursor(String message) {
            super(message);
        }
    }

    /**
     * The sync Java driver has no generic runCursorCommand, so the runner sends the command and its getMore and
     * killCursors itself, on one session (the test's, or one of its own so that every round trip shares an lsid, as
     * the spec's implicit session would). The command shapes follow the run-command spec.
     */
    static final class CommandCursor implements RunnerCursor {
        private final MongoDatabase db;
        private final ClientSession session;
        private final boolean ownSession;
        private final Integer batchSize;
        private final Long maxTimeMS;
        private final BsonValue comment;
        private final Deque<BsonDocument> batch = new ArrayDeque<>();
        private String collection;
        private long id;
        private boolean closed;

        CommandCursor(MongoClient client, MongoDatabase db, ClientSession session, BsonDocument command,
                      Integer batchSize, Long maxTimeMS, BsonValue comment) {
            this.db = db;
            this.ownSession = session == null;
            this.session = session != null ? session
                    : client.startSession(ClientSessionOptions.builder().causallyConsistent(false).build());
            this.batchSize = batchSize;
            this.maxTimeMS = maxTimeMS;
            this.comment = comment;
            try {
                BsonDocument reply = db.runCommand(this.session, command, BsonDocument.class);
                BsonValue cursor = reply.get("cursor");
                if (cursor == null || !cursor.isDocument()) {
                    throw new NotACursor("reply to " + command.getFirstKey() + " has no cursor");
                }
                accept(cursor.asDocument(), "firstBatch");
                String ns = cursor.asDocument().getString("ns", new BsonString("")).getValue();
                collection = ns.contains(".") ? ns.substring(ns.indexOf('.') + 1) : command.get(command.getFirstKey()).toString();
            } catch (RuntimeException e) {
                if (ownSession) {
                    this.session.close();
                }
                throw e;
            }
        }

        private void accept(BsonDocument cursor, String field) {
            id = cursor.getNumber("id").longValue();
            for (BsonValue d : cursor.getArray(field, new BsonArray())) {
                batch.add(d.asDocument());
            }
        }

        private void getMore() {
            BsonDocument cmd = new BsonDocument("getMore", new BsonInt64(id)).append("collection", new BsonString(collection));
            if (batchSize != null) {
                cmd.append("batchSize", new BsonInt64(batchSize));
            }
            if (maxTimeMS != null) {
                cmd.append("maxTimeMS", new BsonInt64(maxTimeMS));
            }
            if (comment != null) {
                cmd.append("comment", comment);
            }
            accept(db.runCommand(session, cmd, BsonDocument.class).getDocument("cursor"), "nextBatch");
        }

        @Override
        public BsonDocument next() {
            while (batch.isEmpty()) {
                if (id == 0) {
                    return null;
                }
                getMore();
            }
            return batch.poll();
        }

        @Override
        public BsonDocument tryNext() {
            if (batch.isEmpty() && id != 0) {
                getMore();
            }
            return batch.poll();
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (id != 0) {
                    long open = id;
                    id = 0;
                    db.runCommand(session, new BsonDocument("killCursors", new BsonString(collection))
                            .append("cursors", new BsonArray(List.of(new BsonInt64(open)))), BsonDocument.class);
                }
            } finally {
                if (ownSession) {
                    session.close();
                }
            }
        }
    }
}
