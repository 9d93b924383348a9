package dev.argon.storage.segment;

/**
 * Where one block lies in its segment and how to check and decompress it; one per block in the index.
 *
 * @param offset       the block's first byte in the file
 * @param storedLength its compressed length
 * @param rawLength    its length after decompression
 * @param entryCount   how many entries it holds
 * @param crc          CRC32C of the stored (compressed) bytes
 * @param firstKey     its first entry's key (the index is searched on these)
 */
record BlockHandle(long offset, int storedLength, int rawLength, int entryCount, int crc, byte[] firstKey) {
}
