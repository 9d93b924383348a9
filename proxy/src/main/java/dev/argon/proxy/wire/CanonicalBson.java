package dev.argon.proxy.wire;

/**
 * Decides, by one walk over a document's bytes and without building it, whether those bytes are exactly what
 * {@link BsonParser#parse} followed by the WAL's encoding would produce: a well-formed document that the parser
 * accepts and that decoding and re-encoding leave byte for byte the same. Such a document can be handed to the
 * engine as a {@link org.bson.RawBsonDocument} over its own bytes, which the engine stores as they are, instead of
 * being decoded into a tree and encoded again (docs/PERFORMANCE.md, "Load path").
 *
 * <p>The walk is sound, not complete: it answers true only for bytes it fully checked, and false for anything it
 * is unsure of (malformed bytes, but also valid documents that do not round-trip unchanged: a field name twice in
 * one document, array element names other than {@code "0", "1", ...}, a NaN double whose bits the decoder may
 * change, a boolean byte other than 0 and 1, and the rare types whose re-encoding differs or that the walk does
 * not cover: old binary, regular expression, DBPointer, code with scope). A false sends the document through
 * {@link BsonParser#parse} as before, which gives malformed bytes their usual error. The nesting limit and the
 * strict UTF-8 rule are the parser's. {@code CanonicalBsonTest} checks on random and mutated documents that every
 * true answer parses and re-encodes to the same bytes. Stateless and thread-safe.
 */
final class CanonicalBson {
    /** Above this many fields a document's names are checked for repeats with a hash set, below pairwise. */
    private static final int PAIRWISE_NAMES = 32;

    private CanonicalBson() {}

    /** True if {@code b[0, length)} is one whole document that round-trips unchanged (see the class doc). */
    static boolean canonical(byte[] b) {
        if (b.length < 5 || b.length > BsonParser.MAX_DOCUMENT_SIZE || int32(b, 0) != b.length) {
            return false;
        }
        try {
            return document(b, 0, b.length, 1, false);
        } catch (ArrayIndexOutOfBoundsException e) {
            return false;
        }
    }

    /**
     * The document or array at p, whose length field must be {@code length} and which must end within
     * {@code limit}; depth as the parser counts it (the top level is 1).
     */
    private static boolean document(byte[] b, int p, int limit, int depth, boolean array) {
        if (depth > BsonParser.MAX_DEPTH) {
            return false;
        }
        if (limit - p < 5) {
            return false;
        }
        int length = int32(b, p);
        if (length < 5 || length > limit - p) {
            return false;
        }
        int end = p + length - 1; // the terminating NUL
        if (b[end] != 0) {
            return false;
        }
        int q = p + 4;
        int index = 0;
        long[] hashes = null;
        java.util.Set<String> names = null;
        while (q < end) {
            int type = b[q];
            int nameStart = q + 1;
            int nameEnd = nameStart;
            while (nameEnd < end && b[nameEnd] != 0) {
                nameEnd++;
            }
            if (nameEnd >= end) {
                return false;
            }
            if (array) {
                if (!isIndex(b, nameStart, nameEnd, index)) {
                    return false;
                }
            } else {
                if (!Utf8.wellFormed(b, nameStart, nameEnd)) {
                    return false;
                }
                if (index < PAIRWISE_NAMES) {
                    if (hashes == null) {
                        hashes = new long[PAIRWISE_NAMES];
                    }
                    long h = hash(b, nameStart, nameEnd);
                    for (int i = 0; i < index; i++) {
                        if (hashes[i] == h) {
                            // Rare: a real repeat or a collision; either way the parser decides.
                            return false;
                        }
                    }
                    hashes[index] = h;
                } else {
                    if (names == null) {
                        names = new java.util.HashSet<>();
                        int r = p + 4;
                        for (int i = 0; i < index; i++) {
                            int s = r + 1;
                            int e = s;
                            while (b[e] != 0) {
                                e++;
                            }
                            names.add(new String(b, s, e - s, java.nio.charset.StandardCharsets.ISO_8859_1));
                            r = e + 1 + valueSize(b, b[r], e + 1);
                        }
                    }
                    if (!names.add(new String(b, nameStart, nameEnd - nameStart, java.nio.charset.StandardCharsets.ISO_8859_1))) {
                        return false;
                    }
                }
            }
            int v = nameEnd + 1;
            int size = value(b, type, v, end, depth);
            if (size < 0) {
                return false;
            }
            q = v + size;
            index++;
        }
        return q == end;
    }

    /**
     * Checks the value of the given type at v, which must end at or before {@code end}; returns its size, or -1
     * when the walk answers false for it.
     */
    private static int value(byte[] b, int type, int v, int end, int depth) {
        int room = end - v;
        switch (type) {
            case 0x01 -> {
                if (room < 8) {
                    return -1;
                }
                long bits = int64(b, v);
                return Double.isNaN(Double.longBitsToDouble(bits)) ? -1 : 8;
            }
            case 0x02, 0x0D, 0x0E -> {
                // String, JavaScript, symbol: int32 size (with the NUL), UTF-8, NUL.
                if (room < 5) {
                    return -1;
                }
                int n = int32(b, v);
                if (n < 1 || n > room - 4 || b[v + 4 + n - 1] != 0) {
                    return -1;
                }
                return Utf8.wellFormed(b, v + 4, v + 4 + n - 1) ? 4 + n : -1;
            }
            case 0x03, 0x04 -> {
                return document(b, v, end, depth + 1, type == 0x04) ? int32(b, v) : -1;
            }
            case 0x05 -> {
                if (room < 5) {
                    return -1;
                }
                int n = int32(b, v);
                if (n < 0 || n > room - 5 || b[v + 4] == 0x02) {
                    return -1;
                }
                return 5 + n;
            }
            case 0x06, 0x0A, (byte) 0xFF, 0x7F -> {
                return 0;
            }
            case 0x07 -> {
                return room < 12 ? -1 : 12;
            }
            case 0x08 -> {
                return room < 1 || (b[v] != 0 && b[v] != 1) ? -1 : 1;
            }
            case 0x09, 0x11, 0x12 -> {
                return room < 8 ? -1 : 8;
            }
            case 0x10 -> {
                return room < 4 ? -1 : 4;
            }
            case 0x13 -> {
                return room < 16 ? -1 : 16;
            }
            default -> {
                return -1;
            }
        }
    }

    /** Size of an already checked value (to re-read the names of a document that grows past the pairwise check). */
    private static int valueSize(byte[] b, int type, int v) {
        return switch (type) {
            case 0x01, 0x09, 0x11, 0x12 -> 8;
            case 0x02, 0x0D, 0x0E -> 4 + int32(b, v);
            case 0x03, 0x04 -> int32(b, v);
            case 0x05 -> 5 + int32(b, v);
            case 0x07 -> 12;
            case 0x08 -> 1;
            case 0x10 -> 4;
            case 0x13 -> 16;
            default -> 0;
        };
    }

    /** True if the name in {@code b[from, to)} is the decimal form of index, as an encoder writes array names. */
    private static boolean isIndex(byte[] b, int from, int to, int index) {
        if (index < 10) {
            return to - from == 1 && b[from] == '0' + index;
        }
        int n = to - from;
        int i = index;
        for (int k = to - 1; k >= from; k--) {
            if (b[k] != '0' + i % 10) {
                return false;
            }
            i /= 10;
        }
        return i == 0 && n > 0 && b[from] != '0';
    }

    private static long hash(byte[] b, int from, int to) {
        long h = 1125899906842597L;
        for (int i = from; i < to; i++) {
            h = 31 * h + b[i];
        }
        return h ^ ((long) (to - from) << 56);
    }

    private static int int32(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }

    private static long int64(byte[] b, int p) {
        return (int32(b, p) & 0xFFFFFFFFL) | (long) int32(b, p + 4) << 32;
    }

    /** Well-formed UTF-8 (Unicode's table 3-7): what the parser's strict decoding accepts. */
    static final class Utf8 {
        private Utf8() {}

        static boolean wellFormed(byte[] b, int from, int to) {
            int i = from;
            while (i < to) {
                int c = b[i];
                if (c >= 0) {
                    i++;
                    continue;
                }
                c &= 0xFF;
                if (c >= 0xC2 && c <= 0xDF) {
                    if (i + 1 >= to || !cont(b[i + 1])) {
                        return false;
                    }
                    i += 2;
                } else if (c >= 0xE0 && c <= 0xEF) {
                    if (i + 2 >= to) {
                        return false;
                    }
                    int c1 = b[i + 1] & 0xFF;
                    boolean ok = c == 0xE0 ? c1 >= 0xA0 && c1 <= 0xBF : c == 0xED ? c1 >= 0x80 && c1 <= 0x9F : cont(b[i + 1]);
                    if (!ok || !cont(b[i + 2])) {
                        return false;
                    }
                    i += 3;
                } else if (c >= 0xF0 && c <= 0xF4) {
                    if (i + 3 >= to) {
                        return false;
                    }
                    int c1 = b[i + 1] & 0xFF;
                    boolean ok = c == 0xF0 ? c1 >= 0x90 && c1 <= 0xBF : c == 0xF4 ? c1 >= 0x80 && c1 <= 0x8F : cont(b[i + 1]);
                    if (!ok || !cont(b[i + 2]) || !cont(b[i + 3])) {
                        return false;
                    }
                    i += 4;
                } else {
                    return false;
                }
            }
            return true;
        }

        private static boolean cont(byte x) {
            return (x & 0xC0) == 0x80;
        }
    }
}
