package dev.argon.storage.segment;

/**
 * One (key, value) pair of a segment. The arrays are the reader's own copies; callers may keep them.
 */
public record SegmentEntry(byte[] key, byte[] value) {
}
