package dev.argon.storage.object;

import java.nio.charset.StandardCharsets;

/**
 * Which keys every store accepts, so that a key means the same object in a folder and in a bucket and can
 * never leave the folder or the bucket prefix: 1 to 1024 bytes of UTF-8, segments separated by {@code /},
 * each segment non-empty, not {@code .} or {@code ..} and not starting with {@code .} (names starting with a dot
 * are the stores' own, such as the local folder's temporary files), no backslash, no control characters
 * (NUL included), and in Unicode normal form NFC, because some file systems (macOS's) fold NFC and NFD
 * spellings into one file name while a bucket keeps them apart: two keys that differ only so could share an
 * object in a folder and not in a bucket. Prefixes given to {@link ObjectStore#list} follow the same rules
 * except that they may be empty and may end in {@code /} or in part of a segment.
 *
 * <p>Stateless, so thread-safe.
 */
public final class ObjectKeys {

    /** S3's limit for a whole key; a bucket prefix takes part of it. */
    public static final int MAX_KEY_BYTES = 1024;

    private ObjectKeys() {
    }

    /** Returns {@code key} if valid, else throws {@link ObjectStoreException.Kind#INVALID_ARGUMENT}. */
    public static String check(String key) {
        String problem = problem(key, false);
        if (problem != null) {
            throw new ObjectStoreException(ObjectStoreException.Kind.INVALID_ARGUMENT, key,
                    "invalid object key " + quote(key) + ": " + problem);
        }
        return key;
    }

    /** Returns {@code prefix} if valid as a listing prefix, else throws. */
    public static String checkPrefix(String prefix) {
        String problem = problem(prefix, true);
        if (problem != null) {
            throw new ObjectStoreException(ObjectStoreException.Kind.INVALID_ARGUMENT, prefix,
                    "invalid object key prefix " + quote(prefix) + ": " + problem);
        }
        return prefix;
    }

    private static String problem(String key, boolean prefix) {
        if (key == null) {
            return "null";
        }
        if (key.isEmpty()) {
            return prefix ? null : "empty";
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return "longer than " + MAX_KEY_BYTES + " bytes of UTF-8";
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "control character at index " + i;
            }
            if (c == '\\') {
                return "backslash at index " + i;
            }
            if (Character.isSurrogate(c) && !validSurrogatePair(key, i)) {
                return "unpaired surrogate at index " + i;
            }
        }
        if (!java.text.Normalizer.isNormalized(key, java.text.Normalizer.Form.NFC)) {
            return "not in Unicode normal form NFC";
        }
        String[] segments = key.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.isEmpty()) {
                if (prefix && last) {
                    continue; // "segments/" lists a folder
                }
                return i == 0 ? "starts with '/'" : "empty segment";
            }
            if (segment.startsWith(".")) {
                return "segment " + quote(segment) + " starts with '.'";
            }
        }
        return null;
    }

    private static boolean validSurrogatePair(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        int limit = Math.min(s.length(), 80);
        for (int i = 0; i < limit; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (s.length() > limit) {
            b.append("...");
        }
        return b.append('"').toString();
    }
}
