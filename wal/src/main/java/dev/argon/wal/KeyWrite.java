package dev.argon.wal;

/** One versioned key written by a log entry; a null payload writes a tombstone. */
public record KeyWrite(byte[] userKey, byte[] payload) {
    public static KeyWrite put(byte[] userKey, byte[] payload) {
        return new KeyWrite(userKey, payload);
    }

    public static KeyWrite tombstone(byte[] userKey) {
        return new KeyWrite(userKey, null);
    }
}
