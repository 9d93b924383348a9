/**
 * MongoDB semantics over the WAL: the {@link dev.argon.engine.Engine} facade, the error vocabulary
 * ({@link dev.argon.engine.MongoErrorCode}, {@link dev.argon.engine.ArgonException}) and live counters.
 * Errors arise here; the wire layer only formats them.
 */
package dev.argon.engine;
