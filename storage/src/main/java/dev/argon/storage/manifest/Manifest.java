package dev.argon.storage.manifest;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * One immutable archive manifest (docs/FORMATS.md, "Archive manifest"): the segments a reader needs, the LSN the
 * archive covers up to, the parent in an incremental chain, refs and properties. A manifest lists every segment
 * of its archive, those it reuses from its parent included, so a reader needs this one manifest only; the parent
 * link records the chain (and which segments are new: those the parent does not list).
 *
 * <p>Encoded as UTF-8 lines ending in a CRC32C line, so that a manifest is readable with {@code cat} and a torn
 * or damaged one is refused rather than half-read. Immutable, so thread-safe.
 *
 * @param sequence       1 for the first manifest of an archive, then one more per backup
 * @param parent         the sequence of the manifest this one extends, 0 for none (a full backup)
 * @param coversLsn      every commit up to this LSN (inclusive) is in the archive
 * @param sinceLsn       the parent's {@code coversLsn} (0 for a full backup): the new segments hold entries above it
 * @param createdMillis  wall time the backup started (its snapshot), milliseconds since the epoch
 * @param lastCommitTime the time of the newest commit the archive holds (milliseconds), 0 if none
 * @param refs           branches and tags as they were at {@code coversLsn}
 * @param segments       every segment of the archive, in the order a reader should apply them per kind
 * @param properties     free-form strings (the source directory, the server version, ...), sorted by key
 */
public record Manifest(long sequence, long parent, long coversLsn, long sinceLsn, long createdMillis,
                       long lastCommitTime, List<RefEntry> refs, List<SegmentRef> segments,
                       Map<String, String> properties) {

    /** The text layout this build writes and reads. */
    public static final int FORMAT_VERSION = 1;
    static final String MAGIC = "argon-manifest";

    public Manifest {
        if (sequence < 1 || parent < 0 || parent >= sequence) {
            throw new IllegalArgumentException("manifest " + sequence + " cannot have parent " + parent);
        }
        if (sinceLsn < 0 || sinceLsn > coversLsn) {
            throw new IllegalArgumentException("manifest covers up to lsn " + coversLsn + " but starts at " + sinceLsn);
        }
        refs = List.copyOf(refs);
        segments = List.copyOf(segments);
        properties = Collections.unmodifiableMap(new TreeMap<>(properties));
        for (String k : properties.keySet()) {
            checkWord(k, "property name");
        }
    }

    /** The segments of one kind, in manifest order. */
    public List<SegmentRef> segments(String kind) {
        List<SegmentRef> out = new ArrayList<>();
        for (SegmentRef s : segments) {
            if (s.kind().equals(kind)) {
                out.add(s);
            }
        }
        return out;
    }

    /** Total bytes of every segment named. */
    public long totalBytes() {
        long n = 0;
        for (SegmentRef s : segments) {
            n += s.size();
        }
        return n;
    }

    /** The UTF-8 text of this manifest, checksum line included. */
    public byte[] encode() {
        StringBuilder b = new StringBuilder();
        b.append(MAGIC).append(' ').append(FORMAT_VERSION).append('\n');
        b.append("sequence ").append(sequence).append('\n');
        b.append("parent ").append(parent).append('\n');
        b.append("covers-lsn ").append(coversLsn).append('\n');
        b.append("since-lsn ").append(sinceLsn).append('\n');
        b.append("created ").append(createdMillis).append('\n');
        b.append("last-commit-time ").append(lastCommitTime).append('\n');
        for (Map.Entry<String, String> p : properties.entrySet()) {
            b.append("property ").append(p.getKey()).append(' ').append(pct(p.getValue())).append('\n');
        }
        for (RefEntry r : refs) {
            b.append("ref ").append(r.kind()).append(' ').append(pct(r.name())).append(' ').append(r.branchId())
                    .append(' ').append(r.lsn()).append('\n');
        }
        HexFormat hex = HexFormat.of();
        for (SegmentRef s : segments) {
            b.append("segment ").append(s.kind()).append(' ').append(s.name()).append(' ').append(s.size()).append(' ')
                    .append(s.entries()).append(' ').append(s.minLsn()).append(' ').append(s.maxLsn()).append(' ')
                    .append(hex.formatHex(s.minKey())).append(' ').append(hex.formatHex(s.maxKey())).append('\n');
        }
        byte[] body = b.toString().getBytes(StandardCharsets.UTF_8);
        String end = "end " + String.format("%08x", crc(body, body.length)) + "\n";
        byte[] tail = end.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[body.length + tail.length];
        System.arraycopy(body, 0, all, 0, body.length);
        System.arraycopy(tail, 0, all, body.length, tail.length);
        return all;
    }

    /**
     * Reads a manifest; refuses (with {@link ManifestFormatException}) anything but a whole, undamaged manifest of
     * format version {@value #FORMAT_VERSION}.
     *
     * @param key the object key it came from, for messages (may be null)
     */
    public static Manifest decode(byte[] bytes, String key) {
        String where = key == null ? "manifest" : "manifest " + key;
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ManifestFormatException(key, where + " is not UTF-8 text: damaged or not a manifest");
        }
        if (!text.startsWith(MAGIC + " ")) {
            throw new ManifestFormatException(key, where + " does not start with '" + MAGIC + "': not a manifest");
        }
        int endAt = text.lastIndexOf("\nend ");
        if (endAt < 0 || !text.endsWith("\n")) {
            throw new ManifestFormatException(key, where + " has no checksum line: truncated");
        }
        int bodyLength = text.substring(0, endAt + 1).getBytes(StandardCharsets.UTF_8).length;
        String stored = text.substring(endAt + 5, text.length() - 1);
        if (!stored.equals(String.format("%08x", crc(bytes, bodyLength)))) {
            throw new ManifestFormatException(key, where + ": checksum mismatch (damaged or truncated)");
        }
        String[] lines = text.substring(0, endAt).split("\n", -1);
        try {
            String[] head = lines[0].split(" ");
            int version = Integer.parseInt(head[1]);
            if (version != FORMAT_VERSION) {
                throw new ManifestFormatException(key, where + " has format version " + version + "; this build reads version "
                        + FORMAT_VERSION);
            }
            long sequence = field(lines, 1, "sequence");
            long parent = field(lines, 2, "parent");
            long covers = field(lines, 3, "covers-lsn");
            long since = field(lines, 4, "since-lsn");
            long created = field(lines, 5, "created");
            long lastCommit = field(lines, 6, "last-commit-time");
            Map<String, String> props = new TreeMap<>();
            List<RefEntry> refs = new ArrayList<>();
            List<SegmentRef> segs = new ArrayList<>();
            HexFormat hex = HexFormat.of();
            for (int i = 7; i < lines.length; i++) {
                String[] f = lines[i].split(" ", -1);
                switch (f[0]) {
                    case "property" -> {
                        need(f, 3, lines[i]);
                        props.put(f[1], unpct(f[2]));
                    }
                    case "ref" -> {
                        need(f, 5, lines[i]);
                        refs.add(new RefEntry(f[1], unpct(f[2]), Integer.parseInt(f[3]), Long.parseLong(f[4])));
                    }
                    case "segment" -> {
                        need(f, 9, lines[i]);
                        segs.add(new SegmentRef(f[1], f[2], Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]),
                                Long.parseLong(f[6]), hex.parseHex(f[7]), hex.parseHex(f[8])));
                    }
                    // Unknown lines are refused: a reader of version 1 must not silently skip what it does not know.
                    default -> throw new IllegalArgumentException("unknown line '" + lines[i] + "'");
                }
            }
            return new Manifest(sequence, parent, covers, since, created, lastCommit, refs, segs, props);
        } catch (ManifestFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ManifestFormatException(key, where + " is malformed: " + e.getMessage());
        }
    }

    private static long field(String[] lines, int i, String name) {
        if (i >= lines.length || !lines[i].startsWith(name + " ")) {
            throw new IllegalArgumentException("line " + (i + 1) + " must be '" + name + " <number>'");
        }
        return Long.parseLong(lines[i].substring(name.length() + 1));
    }

    private static void need(String[] f, int n, String line) {
        if (f.length != n) {
            throw new IllegalArgumentException("line '" + line + "' has " + f.length + " fields, not " + n);
        }
    }

    static void checkWord(String s, String what) {
        if (s == null || !s.matches("[a-z0-9][a-z0-9.-]{0,63}")) {
            throw new IllegalArgumentException(what + " must be 1 to 64 of [a-z0-9.-]: " + s);
        }
    }

    private static String pct(String s) {
        // URL encoding keeps every name on one space-free line; '+' would be ambiguous with a space, so spaces are %20.
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
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
