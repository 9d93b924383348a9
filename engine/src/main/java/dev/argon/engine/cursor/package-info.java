/**
 * Server-side cursors: lazily produced results held between {@code find}/{@code aggregate} and
 * {@code getMore}, with MongoDB's batching and idle timeout. Thread-safe through {@link
 * dev.argon.engine.cursor.CursorManager}; one getMore of a cursor runs at a time.
 */
package dev.argon.engine.cursor;
