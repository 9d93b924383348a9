package dev.argon.storage.manifest;

import dev.argon.storage.object.ObjectInfo;
import dev.argon.storage.object.ObjectStore;
import dev.argon.storage.object.ObjectStoreException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Publishes and finds manifests in an archive's object store. Layout: {@code manifests/<sequence, 20 digits>} (so
 * that key order is numeric order) and {@code latest}, a small text object naming the newest sequence.
 *
 * <p>Publishing is a conditional create of the numbered key, so two backups racing for the same sequence never
 * both win, and it happens after every segment the manifest names is stored; {@code latest} is written after it
 * and is only a hint (for humans and for stores where listing is slow): {@link #latest} lists the numbered keys
 * and takes the highest that reads, so a process killed between the two writes, or a damaged newest manifest,
 * leaves the previous one in charge. Stateless apart from the store, so thread-safe.
 */
public final class ManifestStore {
    public static final String PREFIX = "manifests/";
    public static final String LATEST = "latest";

    private final ObjectStore store;

    public ManifestStore(ObjectStore store) {
        this.store = store;
    }

    public static String key(long sequence) {
        return PREFIX + String.format("%020d", sequence);
    }

    /**
     * Publishes {@code m} under its sequence. Every segment it names must already be stored (checked here with a
     * HEAD each, so that a caller's mistake never publishes a manifest a restore cannot use).
     *
     * @throws IllegalStateException when a manifest with that sequence exists already (another backup won)
     */
    public void publish(Manifest m) {
        for (SegmentRef s : m.segments()) {
            Optional<ObjectInfo> info = store.head(s.objectKey());
            if (info.isEmpty() || info.get().size() != s.size()) {
                throw new IllegalStateException("segment " + s.name() + " is not stored in " + store.describe()
                        + " with " + s.size() + " bytes: the manifest is not published");
            }
        }
        if (!store.putIfAbsent(key(m.sequence()), m.encode())) {
            throw new IllegalStateException("manifest " + m.sequence() + " already exists in " + store.describe()
                    + ": another backup to this target ran at the same time");
        }
        store.put(LATEST, (m.sequence() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The manifest with this sequence. */
    public Manifest read(long sequence) {
        String k = key(sequence);
        return Manifest.decode(store.get(k), k);
    }

    /**
     * The newest readable manifest, or empty for an empty target. A newest manifest that does not read (damage)
     * is skipped for the one before it, so that a restore still has something to use; an archive where none
     * reads is an error.
     */
    public Optional<Manifest> latest() {
        List<ObjectInfo> all = store.list(PREFIX);
        ManifestFormatException first = null;
        for (int i = all.size() - 1; i >= 0; i--) {
            String k = all.get(i).key();
            if (!k.matches(PREFIX + "\\d{20}")) {
                continue;
            }
            try {
                return Optional.of(Manifest.decode(store.get(k), k));
            } catch (ManifestFormatException e) {
                first = first == null ? e : first;
            } catch (ObjectStoreException e) {
                if (e.kind() != ObjectStoreException.Kind.NOT_FOUND) {
                    throw e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return Optional.empty();
    }

    /** Sequences of every numbered manifest in the store, ascending. */
    public List<Long> sequences() {
        return store.list(PREFIX).stream().map(ObjectInfo::key).filter(k -> k.matches(PREFIX + "\\d{20}"))
                .map(k -> Long.parseLong(k.substring(PREFIX.length()))).toList();
    }
}
