package dev.argon.storage.segment;

/**
 * A segment's bytes are not a valid segment: truncated, a checksum that does not match, an unknown format
 * version. Permanent; reading the same object again gives the same answer. Names the segment and, when the
 * damage is in a block, the block's number and file offset.
 *
 * <p>Immutable, so thread-safe.
 */
public final class SegmentCorruptException extends RuntimeException {

    private final String segment;
    private final int block;
    private final long offset;

    SegmentCorruptException(String segment, int block, long offset, String message) {
        super(message);
        this.segment = segment;
        this.block = block;
        this.offset = offset;
    }

    SegmentCorruptException(String segment, String message) {
        this(segment, -1, -1, message);
    }

    /** The segment's object key. */
    public String segment() {
        return segment;
    }

    /** The damaged block's number (from 0), or -1 when the damage is outside the blocks. */
    public int block() {
        return block;
    }

    /** The damaged block's offset in the file, or -1. */
    public long offset() {
        return offset;
    }
}
