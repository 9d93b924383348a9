/**
 * Decoding a command's BSON body from a Netty {@code ByteBuf}, as the wire server receives it: the proxy's
 * validating {@link dev.argon.proxy.wire.BsonParser} against the driver's stock codec and against a lazy
 * {@code RawBsonDocument} field lookup (the "keep documents raw" alternative).
 */
package dev.argon.bench.jmh.wire;
