/**
 * The command table and dispatch: one handler per wire command (in the sub-packages), one
 * {@link dev.argon.engine.command.Dispatcher} that wraps them all (lookup, errors, counters), and the
 * resolution of {@code $db} into a database, branch and read point ({@link dev.argon.engine.command.TargetResolver}).
 * Handlers are stateless and thread-safe; per-call state lives in {@link dev.argon.engine.command.CommandContext}.
 *
 * <p>On a read-only node the dispatcher's {@link dev.argon.engine.command.ReadOnlyGate} refuses writing commands
 * (the table's {@code writes} column, plus {@code $out}/{@code $merge}) with 10107 NotWritablePrimary.
 *
 * <p>Nothing here waits for time to pass: a handler whose reply may be held back (an awaitable {@code hello})
 * says so through {@link dev.argon.engine.command.CommandContext#awaitable}, and the wire layer, given a
 * {@link dev.argon.engine.command.CommandReply} by {@link dev.argon.engine.command.CommandService#run}, does the
 * waiting and the exhaust streaming.
 */
package dev.argon.engine.command;
