package dev.argon.engine.command;

import org.bson.BsonDocument;

/**
 * One wire command. Returns the full reply (with {@code ok: 1}); failures are thrown as
 * {@link dev.argon.engine.ArgonException} and formatted once by the {@link Dispatcher}. Handlers are
 * stateless and thread-safe.
 */
@FunctionalInterface
public interface CommandHandler {
    BsonDocument handle(CommandContext ctx);
}
