/**
 * The read side of compacted history (docs/ARCHITECTURE.md, "History compaction and the tier"): the segments that
 * {@code dev.argon.wal.TierCompactor} wrote to the tier's object store ({@code tier/segments/<sha256>}, by default
 * in {@code <data-dir>/objects}), read through a bounded cache.
 *
 * <p>{@link dev.argon.wal.tier.TierSegments} implements {@link dev.argon.wal.ColdVersions}, which the WAL's read
 * path asks only after a seek in {@code versions} landed on a stub: it looks the wanted key range up in every
 * segment whose key range covers it (found by {@link dev.argon.wal.tier.SegmentIndex}, an interval search in
 * O(log n) of the segment count) and takes the smallest key found. {@link dev.argon.wal.tier.SegmentCache}
 * keeps decoded blocks (a warm read pays no decompression; or, switched off for benchmarks, the compressed ranged
 * reads a segment reader makes) in an LRU bounded by bytes ({@code argon serve --cache-size}). A segment rewrite pass
 * ({@code dev.argon.wal.TierMerger}) adds its new segments before its catalog batch and later takes the replaced ones
 * off the list ({@code retain}), once the reads that began before the batch are done. Segments are immutable and content-addressed, so nothing cached goes
 * stale.
 * {@link dev.argon.wal.tier.TierManifest} is the tier's versioned manifest (the catalog as of one change, with the
 * directory's identity) and {@link dev.argon.wal.tier.TierManifests} publishes and lists them in the store
 * ({@code tier/manifests/<seq>}, {@code tier/latest}). The classes are thread-safe; store failures surface as the store's
 * {@link dev.argon.storage.object.ObjectStoreException}, damaged segments as
 * {@link dev.argon.storage.segment.SegmentCorruptException}, never as a wrong answer.
 */
package dev.argon.wal.tier;
