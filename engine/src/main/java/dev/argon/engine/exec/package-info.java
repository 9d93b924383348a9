/**
 * Query execution over a {@link dev.argon.engine.store.DataView}: sources, filtering, sorting, paging and
 * projection, shared by find, count, distinct, update, delete, findAndModify and aggregate. Results are lazy
 * and hold a storage iterator until closed or exhausted. Not thread-safe; one plan per command.
 */
package dev.argon.engine.exec;
