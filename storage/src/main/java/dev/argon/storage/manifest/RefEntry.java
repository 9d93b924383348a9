package dev.argon.storage.manifest;

/**
 * A branch or tag as the archive was taken, so that a reader can list what it may restore without reading
 * segments.
 *
 * @param kind     {@code branch} or {@code tag}
 * @param name     its name (any Unicode; percent-encoded in the manifest's text)
 * @param branchId the branch id it names (a tag: the id it points into)
 * @param lsn      a branch's head, a tag's point
 *
 * <p>Immutable, so thread-safe.
 */
public record RefEntry(String kind, String name, int branchId, long lsn) {
    public RefEntry {
        if (!"branch".equals(kind) && !"tag".equals(kind)) {
            throw new IllegalArgumentException("a ref is a branch or a tag, not " + kind);
        }
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a ref needs a name");
        }
    }
}
