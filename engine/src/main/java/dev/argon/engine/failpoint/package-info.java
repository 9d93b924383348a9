/**
 * Fail points: named hooks in the engine that tests switch on with {@code configureFailPoint}, as on mongod, to
 * make the server misbehave on purpose (drop a connection after a write, fail before a commit). The
 * {@link dev.argon.engine.failpoint.FailPoints} registry exists in every engine, but the command that configures
 * it is only in the command table when test commands are enabled ({@code argon serve --enable-test-commands}, the
 * counterpart of mongod's {@code enableTestCommands} parameter), so a production server can never be told to
 * fail. Every fail point starts {@code off}; code paths evaluate one only where it is named, which costs a
 * synchronized read of its mode.
 *
 * <p>Known fail points: {@code onPrimaryTransactionalWrite} (evaluated by retryable writes: once per insert
 * command and once per update, delete or findAndModify statement that is about to be applied; its data
 * {@code closeConnection} (default true) makes the wire layer close the connection instead of replying, and
 * {@code failBeforeCommitExceptionCode} makes the write fail with that code without committing);
 * {@code failCommand} (evaluated by the dispatcher before every command but {@code configureFailPoint}, lock-free
 * while off; see {@link dev.argon.engine.failpoint.FiredCommand} for what a firing asks of the dispatcher:
 * an error in place of the command, a write concern error after it, the reply's labels; its
 * {@code blockConnection} stalls the dispatching thread, its {@code closeConnection} leaves a close request);
 * {@code failGetMoreAfterCursorCheckout} (evaluated by the dispatcher before each getMore). Errors raised on a fail
 * point's behalf are {@link dev.argon.engine.failpoint.FailPointError}s, which carry any numeric code.
 *
 * <p>The wire layer asks {@link dev.argon.engine.failpoint.FailPoints#closeInsteadOfReplying} after every command;
 * closing the channel is its job. Everything here is thread-safe.
 */
package dev.argon.engine.failpoint;
