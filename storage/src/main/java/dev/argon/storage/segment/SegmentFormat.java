package dev.argon.storage.segment;

import java.nio.charset.StandardCharsets;

/**
 * Constants of the segment file format (docs/FORMATS.md, "Segments", has the byte layout). All integers are
 * big-endian; lengths inside the index and the blocks are unsigned LEB128 varints.
 */
final class SegmentFormat {

    private SegmentFormat() {
    }

    /** The last 8 bytes of every segment. */
    static final byte[] MAGIC = "ARGONSEG".getBytes(StandardCharsets.US_ASCII);

    /** The format this build writes and the only one it reads. */
    static final int VERSION = 1;

    /** The fixed-size trailer at the end of the file. */
    static final int TRAILER_SIZE = 64;

    /** Block compression codes (trailer byte 44). */
    static final int COMPRESSION_ZSTD = 1;

    /**
     * How much of the tail a reader fetches when it opens a segment: the trailer plus, for segments of up to
     * about a thousand blocks, the whole index, in one ranged read. A larger index costs one more read.
     */
    static final int TAIL_READ = 64 * 1024;

    // Trailer field offsets.
    static final int T_INDEX_OFFSET = 0;
    static final int T_INDEX_LENGTH = 8;
    static final int T_BLOCK_COUNT = 12;
    static final int T_ENTRY_COUNT = 16;
    static final int T_MIN_LSN = 24;
    static final int T_MAX_LSN = 32;
    static final int T_INDEX_CRC = 40;
    static final int T_COMPRESSION = 44;
    static final int T_VERSION = 48;
    static final int T_TRAILER_CRC = 52;
    static final int T_MAGIC = 56;
}
