package dev.argon.engine.aggregate;

import java.util.Iterator;
import org.bson.BsonDocument;

/**
 * One compiled pipeline stage: turns its input iterator into an output iterator, lazily for streaming
 * stages. Compiled stages are immutable; all per-run state lives in the returned iterator.
 */
interface Stage {
    Iterator<BsonDocument> apply(Iterator<BsonDocument> input, RunContext ctx);
}
