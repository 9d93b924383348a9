/**
 * The engine's order-preserving key encoding ({@link dev.argon.engine.bson.KeyEncoder}) over the value kinds that
 * appear as {@code _id}s and index keys. Every document read and write encodes at least one key, so this is on
 * the hot path of everything.
 */
package dev.argon.bench.jmh.keys;
