package dev.argon.storage.segment;

/**
 * A segment as its writer finished it.
 *
 * @param name   the lowercase hex SHA-256 of the file's bytes: its content address, so identical content gets
 *               one name and is stored once
 * @param size   the file's length in bytes
 * @param footer what the file says about itself
 */
public record SealedSegment(String name, long size, SegmentFooter footer) {
}
