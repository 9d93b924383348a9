/**
 * The MongoDB wire protocol: framing ({@link dev.argon.proxy.wire.FrameDecoder}), decoding of {@code OP_MSG},
 * legacy {@code OP_QUERY} commands and {@code OP_COMPRESSED} (noop, zlib, zstd) into
 * {@link dev.argon.proxy.wire.WireRequest}s ({@link dev.argon.proxy.wire.MessageDecoder}), and encoding of
 * {@code OP_MSG}/{@code OP_REPLY} replies ({@link dev.argon.proxy.wire.ReplyEncoder}), including the
 * {@code moreToCome} replies of an exhaust stream, whose ids are chosen up front so that the next one can name its
 * predecessor in {@code responseTo}.
 *
 * <p>Invariants: a message is at most {@code maxMessageSizeBytes} (48,000,000) bytes; decoding works on slices of
 * the receive buffer and copies the bytes once, into the {@link org.bson.BsonDocument} handed to the engine; every
 * document is fully validated here ({@link dev.argon.proxy.wire.BsonParser}), so commands never meet malformed
 * BSON. The documents of an {@code insert}'s {@code documents} sequence that
 * {@link dev.argon.proxy.wire.CanonicalBson} finds canonical (well-formed, and unchanged by decoding and re-encoding)
 * are handed over as {@link org.bson.RawBsonDocument}s over a copy of their bytes instead, which the insert stores
 * as they are. Replies are encoded once, directly into the outbound buffer, with the length patched at the end.
 *
 * <p>Failure handling has two levels. A defect that breaks framing (bad length, unknown opCode, checksum mismatch,
 * undecodable compression) is a {@link dev.argon.proxy.wire.WireProtocolException}: the connection is closed.
 * A defect inside an intact message (malformed BSON, unknown section kind, missing {@code $db}) becomes an
 * error reply such as {@code {ok: 0, code: 22, codeName: "InvalidBSON"}} and the connection continues.
 *
 * <p>Thread-safety: {@link dev.argon.proxy.wire.FrameDecoder} holds per-channel state and is used by one event
 * loop; the other handlers are stateless or share only atomic counters and are sharable. The message types are
 * immutable records (their {@link org.bson.BsonDocument}s are handed over, not shared).
 */
package dev.argon.proxy.wire;
