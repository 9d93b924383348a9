/**
 * The command table and dispatch: one handler per wire command (in the sub-packages), one
 * {@link dev.argon.engine.command.Dispatcher} that wraps them all (lookup, errors, counters), and the
 * resolution of {@code $db} into a database, branch and read point ({@link dev.argon.engine.command.TargetResolver}).
 * Handlers are stateless and thread-safe; per-call state lives in {@link dev.argon.engine.command.CommandContext}.
 */
package dev.argon.engine.command;
