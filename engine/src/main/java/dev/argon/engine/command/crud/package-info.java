/**
 * Document commands: insert, find, getMore, killCursors, update, delete, findAndModify, count, distinct,
 * aggregate. Each write command is one commit on its branch; per-statement failures go to
 * {@code writeErrors}. Stateless handlers.
 */
package dev.argon.engine.command.crud;
