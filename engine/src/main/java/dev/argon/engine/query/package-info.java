/**
 * The find language: {@link dev.argon.engine.query.Matcher} (filters), {@link dev.argon.engine.query.Projection},
 * {@link dev.argon.engine.query.SortSpec} and {@link dev.argon.engine.query.DocPath} (how dotted paths reach
 * into documents and arrays, shared with update and aggregation). Each is compiled once from its BSON spec,
 * which validates it with MongoDB's error codes, and is then immutable and thread-safe; only
 * {@link dev.argon.engine.query.MatchDetails}, the per-evaluation out-parameter, is mutable.
 */
package dev.argon.engine.query;
