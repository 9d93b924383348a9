package dev.argon.wal.tier;

import dev.argon.storage.object.ObjectInfo;
import dev.argon.storage.object.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The tier manifests in a tier's store: {@code tier/manifests/<sequence, 20 digits>} (key order is numeric order)
 * and {@code tier/latest}, a hint naming the newest sequence for humans; readers list the numbered keys. Publishing
 * is a conditional create, so two writers never both publish one sequence. Stateless apart from the store, so
 * thread-safe.
 */
public final class TierManifests {
    public static final String PREFIX = "tier/manifests/";
    public static final String LATEST = "tier/latest";

    private TierManifests() {
    }

    public static String key(long sequence) {
        return PREFIX + String.format("%020d", sequence);
    }

    /** Whether {@code key} is a numbered tier manifest's key. */
    public static boolean isManifest(String key) {
        return key.startsWith(PREFIX) && key.length() == PREFIX.length() + 20 && key.substring(PREFIX.length()).chars().allMatch(Character::isDigit);
    }

    public static long sequence(String key) {
        return Long.parseLong(key.substring(PREFIX.length()));
    }

    /** Every numbered manifest of the store with its size and time, ascending by sequence. */
    public static List<ObjectInfo> list(ObjectStore store) {
        List<ObjectInfo> out = new ArrayList<>();
        for (ObjectInfo o : store.list(PREFIX)) {
            if (isManifest(o.key())) {
                out.add(o);
            }
        }
        return out;
    }

    /** The highest sequence stored, 0 for none. */
    public static long newest(ObjectStore store) {
        List<ObjectInfo> all = list(store);
        return all.isEmpty() ? 0 : sequence(all.get(all.size() - 1).key());
    }

    /** The manifest with this sequence ({@link IllegalArgumentException} when it does not read). */
    public static TierManifest read(ObjectStore store, long sequence) {
        String k = key(sequence);
        return TierManifest.decode(store.get(k), k);
    }

    /**
     * Publishes {@code m} under its sequence, then the hint. The caller has stored every segment it names.
     *
     * @return false when a manifest with that sequence exists already (another writer won it); nothing is written then
     */
    public static boolean publish(ObjectStore store, TierManifest m) {
        if (!store.putIfAbsent(key(m.sequence()), m.encode())) {
            return false;
        }
        store.put(LATEST, (m.sequence() + "\n").getBytes(StandardCharsets.UTF_8));
        return true;
    }
}
