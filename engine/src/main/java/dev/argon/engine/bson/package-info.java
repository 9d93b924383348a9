/**
 * BSON value order and order-preserving key bytes: {@link dev.argon.engine.bson.BsonOrder} is MongoDB's
 * cross-type comparison, {@link dev.argon.engine.bson.KeyEncoder} the byte encoding of index and {@code _id}
 * keys that sorts the same way, and {@link dev.argon.engine.bson.Numbers} the exact view of BSON numbers both
 * rely on. {@link dev.argon.engine.bson.RawFields} reads fields of raw BSON without decoding it, and
 * {@link dev.argon.engine.bson.RawDocuments} what an insert of raw BSON checks and writes (the {@code _id} in
 * front, the nesting depth). Everything here is stateless, immutable and thread-safe.
 */
package dev.argon.engine.bson;
