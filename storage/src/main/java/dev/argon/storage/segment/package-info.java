/**
 * The segment format: an immutable file of (key, value) entries sorted by key, bytes compared unsigned (the
 * wal's {@code versions} order: {@code userKey ‖ ~branchId ‖ ~lsn}; this module treats keys as opaque bytes),
 * in zstd-compressed blocks with a CRC32C each, a block index and a trailer with the key range, the LSN range
 * its writer gave, the entry count, the format version and a magic. A segment is named by the SHA-256 of its
 * bytes. Byte layout: docs/FORMATS.md, "Segments".
 *
 * <p>{@link dev.argon.storage.segment.SegmentWriter} streams a segment out (not thread-safe; memory bounded by
 * one block and the index); {@link dev.argon.storage.segment.SegmentReader} reads one from an object store with
 * ranged reads (thread-safe), optionally keeping {@link dev.argon.storage.segment.DecodedBlock}s in a caller's
 * {@link dev.argon.storage.segment.BlockCache} so that a warm read decodes nothing. Damage is reported as {@link dev.argon.storage.segment.SegmentCorruptException},
 * never answered as data. A change of the layout is a new format version with its own golden test.
 */
package dev.argon.storage.segment;
