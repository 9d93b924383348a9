/**
 * Server-side cursors: lazily produced results held between {@code find}/{@code aggregate} and
 * {@code getMore}, with MongoDB's batching, idle timeout, session ownership and a per-server cap. Thread-safe
 * through {@link dev.argon.engine.cursor.CursorManager}: each cursor has a lock that getMore, kill and the
 * reaper take, so a storage iterator is never closed while a getMore reads it, and a closed cursor answers 43.
 * Session kills take session ids, so a session registry can drive them.
 */
package dev.argon.engine.cursor;
