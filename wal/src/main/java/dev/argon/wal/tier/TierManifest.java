package dev.argon.wal.tier;

import dev.argon.wal.TierSegment;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One immutable manifest of a data directory's tier (docs/FORMATS.md, "Tier manifest"): which segments of the tier's
 * store hold that directory's compacted history after one change of its tier catalog, with the cutoffs and the
 * directory's identity. Published under {@code tier/manifests/<sequence>} after the segments it names are stored and
 * before the RocksDB batch that makes them part of the catalog, so it is the tier's own record of what is live in it.
 *
 * <p>Encoded as UTF-8 lines ending in a CRC32C line, like the archive manifest, so that it reads with {@code cat}
 * and a torn or damaged one is refused rather than half-read. Immutable, so thread-safe.
 *
 * @param sequence      1, 2, ... one per catalog change
 * @param directoryId   the identity of the data directory whose catalog this is (a random id the catalog keeps)
 * @param tier          the tier's name as the catalog records it ({@code local}, {@code s3://bucket/prefix}, ...)
 * @param createdMillis wall time of the publication, milliseconds since the epoch
 * @param cutoffLsn     the catalog's versions cutoff
 * @param logCutoff     the catalog's log cutoff
 * @param segments      the versions' segments, in catalog order
 * @param logSegments   the log's segments, in catalog (LSN) order
 */
public record TierManifest(long sequence, String directoryId, String tier, long createdMillis, long cutoffLsn, long logCutoff,
                           List<TierSegment> segments, List<TierSegment> logSegments) {
    /** The text layout this build writes and reads. */
    public static final int FORMAT_VERSION = 1;
    static final String MAGIC = "argon-tier-manifest";

    public TierManifest {
        if (sequence < 1) {
            throw new IllegalArgumentException("a tier manifest's sequence starts at 1, not " + sequence);
        }
        if (directoryId == null || !directoryId.matches("[0-9a-f-]{1,64}")) {
            throw new IllegalArgumentException("a directory id is 1 to 64 of [0-9a-f-]: " + directoryId);
        }
        segments = List.copyOf(segments);
        logSegments = List.copyOf(logSegments);
    }

    /** The object keys of every segment it names, both kinds. */
    public List<String> objectKeys() {
        List<String> out = new ArrayList<>(segments.size() + logSegments.size());
        segments.forEach(s -> out.add(s.objectKey()));
        logSegments.forEach(s -> out.add(s.objectKey()));
        return out;
    }

    /** The UTF-8 text of this manifest, checksum line included. */
    public byte[] encode() {
        StringBuilder b = new StringBuilder();
        b.append(MAGIC).append(' ').append(FORMAT_VERSION).append('\n');
        b.append("sequence ").append(sequence).append('\n');
        b.append("directory ").append(directoryId).append('\n');
        b.append("tier ").append(pct(tier == null ? "local" : tier)).append('\n');
        b.append("created ").append(createdMillis).append('\n');
        b.append("cutoff-lsn ").append(cutoffLsn).append('\n');
        b.append("log-cutoff ").append(logCutoff).append('\n');
        line(b, "versions", segments);
        line(b, "log", logSegments);
        byte[] body = b.toString().getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("end " + String.format("%08x", crc(body, body.length)) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[body.length + tail.length];
        System.arraycopy(body, 0, all, 0, body.length);
        System.arraycopy(tail, 0, all, body.length, tail.length);
        return all;
    }

    private static void line(StringBuilder b, String kind, List<TierSegment> segs) {
        HexFormat hex = HexFormat.of();
        for (TierSegment s : segs) {
            b.append("segment ").append(kind).append(' ').append(s.name()).append(' ').append(s.size()).append(' ')
                    .append(s.entries()).append(' ').append(s.minLsn()).append(' ').append(s.maxLsn()).append(' ')
                    .append(hex.formatHex(s.minKey())).append(' ').append(hex.formatHex(s.maxKey())).append('\n');
        }
    }

    /**
     * Reads a tier manifest; refuses (with {@link IllegalArgumentException}, naming {@code key}) anything but a whole,
     * undamaged manifest of format version {@value #FORMAT_VERSION}.
     */
    public static TierManifest decode(byte[] bytes, String key) {
        String where = "tier manifest " + key;
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(where + " is not UTF-8 text: damaged or not a manifest");
        }
        if (!text.startsWith(MAGIC + " ")) {
            throw new IllegalArgumentException(where + " does not start with '" + MAGIC + "': not a tier manifest");
        }
        int endAt = text.lastIndexOf("\nend ");
        if (endAt < 0 || !text.endsWith("\n")) {
            throw new IllegalArgumentException(where + " has no checksum line: truncated");
        }
        int bodyLength = text.substring(0, endAt + 1).getBytes(StandardCharsets.UTF_8).length;
        if (!text.substring(endAt + 5, text.length() - 1).equals(String.format("%08x", crc(bytes, bodyLength)))) {
            throw new IllegalArgumentException(where + ": checksum mismatch (damaged or truncated)");
        }
        String[] lines = text.substring(0, endAt).split("\n", -1);
        try {
            int version = Integer.parseInt(lines[0].substring(MAGIC.length() + 1));
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("format version " + version + "; this build reads version " + FORMAT_VERSION);
            }
            long sequence = Long.parseLong(field(lines, 1, "sequence"));
            String directory = field(lines, 2, "directory");
            String tier = unpct(field(lines, 3, "tier"));
            long created = Long.parseLong(field(lines, 4, "created"));
            long cutoff = Long.parseLong(field(lines, 5, "cutoff-lsn"));
            long logCutoff = Long.parseLong(field(lines, 6, "log-cutoff"));
            List<TierSegment> segs = new ArrayList<>();
            List<TierSegment> logSegs = new ArrayList<>();
            HexFormat hex = HexFormat.of();
            for (int i = 7; i < lines.length; i++) {
                String[] f = lines[i].split(" ", -1);
                if (f.length != 9 || !f[0].equals("segment") || !(f[1].equals("versions") || f[1].equals("log"))) {
                    // Unknown lines are refused: a reader of version 1 must not silently skip what it does not know.
                    throw new IllegalArgumentException("unknown line '" + lines[i] + "'");
                }
                TierSegment s = new TierSegment(f[2], Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]),
                        Long.parseLong(f[6]), hex.parseHex(f[7]), hex.parseHex(f[8]));
                (f[1].equals("log") ? logSegs : segs).add(s);
            }
            return new TierManifest(sequence, directory, tier, created, cutoff, logCutoff, segs, logSegs);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + " is malformed: " + e.getMessage(), e);
        }
    }

    private static String field(String[] lines, int i, String name) {
        if (i >= lines.length || !lines[i].startsWith(name + " ")) {
            throw new IllegalArgumentException("line " + (i + 1) + " must be '" + name + " <value>'");
        }
        return lines[i].substring(name.length() + 1);
    }

    private static String pct(String s) {
        // One space-free field per line that still reads as the URL: only '%', spaces, controls and non-ASCII bytes
        // are percent-encoded (UTF-8).
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c > 0x20 && c < 0x7f && c != '%') {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c));
            }
        }
        return b.toString();
    }

    private static String unpct(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static long crc(byte[] b, int len) {
        CRC32C c = new CRC32C();
        c.update(b, 0, len);
        return c.getValue();
    }
}
