package dev.argon.engine.command.admin;

import dev.argon.engine.ArgonException;
import dev.argon.engine.MongoErrorCode;
import dev.argon.engine.aggregate.Pipeline;
import dev.argon.engine.command.CommandContext;
import dev.argon.engine.command.CommandHandler;
import org.bson.BsonDocument;

/**
 * {@code createSearchIndexes}, {@code updateSearchIndex}, {@code dropSearchIndex}: answered as a MongoDB server
 * without Atlas Search answers them (31082 SearchNotEnabled), which drivers and their tests expect.
 */
public final class SearchIndexHandler implements CommandHandler {
    @Override
    public BsonDocument handle(CommandContext ctx) {
        throw new ArgonException(MongoErrorCode.SEARCH_NOT_ENABLED, Pipeline.SEARCH_MESSAGE);
    }
}
