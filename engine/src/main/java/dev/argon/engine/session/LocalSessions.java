package dev.argon.engine.session;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The logical sessions this server has seen, as mongod's logical session cache keeps them: every command that
 * carries an {@code lsid} (and {@code startSession}) marks its session used now; {@code endSessions} and
 * {@code killSessions} forget it; a session unused for longer than the logical session timeout (30 minutes)
 * expires. An expired, ended or killed session's cursors are killed and its open transaction aborted, through
 * the {@code onGone} callback. {@code $listLocalSessions} reads {@link #list()}.
 *
 * <p>Expiry is checked by a sweep at most once a minute, on the next command that carries a session, so an idle
 * server does no work; a session past its timeout but not yet swept is still listed until then. Thread-safe.
 */
public final class LocalSessions {
    /** One sweep a minute keeps the pass over every session negligible against the 30-minute timeout. */
    private static final long SWEEP_INTERVAL_MILLIS = 60_000;
    /** mongod's {@code uid} without authentication: SHA-256 of the empty user name. */
    private static final byte[] NO_USER = sha256();

    private final Map<BsonValue, Entry> sessions = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private volatile long timeoutMillis;
    private volatile long lastSweep;
    private volatile Consumer<Collection<BsonValue>> onGone = ids -> { };

    public LocalSessions(LongSupplier clock, long timeoutMillis) {
        this.clock = clock;
        this.timeoutMillis = timeoutMillis;
        this.lastSweep = clock.getAsLong();
    }

    /** What to do with the ids of sessions that ended, were killed or expired (kill cursors, abort transactions). */
    public void onGone(Consumer<Collection<BsonValue>> action) {
        this.onGone = action;
    }

    /** Marks the command's session ({@code lsid}) used now; commands without one are ignored. */
    public void touchCommand(BsonDocument command) {
        BsonValue lsid = command.get("lsid");
        long now = clock.getAsLong();
        if (lsid != null && lsid.isDocument()) {
            BsonValue id = lsid.asDocument().get("id");
            if (id != null && id.isBinary()) {
                touch(id, now);
            }
        }
        if (now - lastSweep >= SWEEP_INTERVAL_MILLIS) {
            sweep(now);
        }
    }

    /** Marks a session used now (a new one from {@code startSession}, or one a command names). */
    public void touch(BsonDocument lsid) {
        touch(lsid.get("id"), clock.getAsLong());
    }

    private void touch(BsonValue id, long now) {
        // A known session, the usual case, is one lookup and a volatile write. A sweep racing with it may still
        // expire it, as it could when this went through compute: the sweep reads lastUse before it removes.
        Entry known = sessions.get(id);
        if (known != null) {
            known.lastUse = now;
            return;
        }
        sessions.compute(id, (k, e) -> {
            if (e == null) {
                return new Entry(k, now);
            }
            e.lastUse = now;
            return e;
        });
    }

    /** Forgets sessions ({@code endSessions}, {@code killSessions}) and runs the callback on them. */
    public void remove(Collection<? extends BsonValue> ids) {
        List<BsonValue> gone = new ArrayList<>();
        for (BsonValue id : ids) {
            sessions.remove(id);
            gone.add(id);
        }
        if (!gone.isEmpty()) {
            onGone.accept(gone);
        }
    }

    /** Forgets every session ({@code killAllSessions}). */
    public void removeAll() {
        remove(new ArrayList<>(sessions.keySet()));
    }

    /** Keeps {@code refreshSessions}' sessions alive. */
    public void refresh(Collection<? extends BsonValue> ids) {
        for (BsonValue id : ids) {
            touch(new BsonDocument("id", id));
        }
    }

    /** Expires the sessions idle for longer than the timeout. Runs on the thread of the command that triggered it. */
    synchronized void sweep(long now) {
        if (now - lastSweep < SWEEP_INTERVAL_MILLIS && lastSweep != 0) {
            return;
        }
        lastSweep = now;
        List<BsonValue> expired = new ArrayList<>();
        for (Entry e : sessions.values()) {
            if (now - e.lastUse > timeoutMillis && sessions.remove(e.id, e)) {
                expired.add(e.id);
            }
        }
        if (!expired.isEmpty()) {
            onGone.accept(expired);
        }
    }

    /** Expires idle sessions now, whatever the time since the last sweep (tests, with a short timeout). */
    public void sweepNow() {
        lastSweep = 0;
        sweep(clock.getAsLong());
    }

    /** Changes the timeout (tests); sessions already idle longer expire at the next sweep. */
    public void timeoutMillis(long millis) {
        this.timeoutMillis = millis;
    }

    /** The sessions as {@code $listLocalSessions} shows them: {@code {_id: {id, uid}, lastUse}}. */
    public List<BsonDocument> list() {
        List<BsonDocument> out = new ArrayList<>();
        for (Entry e : sessions.values()) {
            out.add(new BsonDocument("_id", new BsonDocument("id", e.id).append("uid", new BsonBinary(NO_USER.clone())))
                    .append("lastUse", new BsonDateTime(e.lastUse)));
        }
        return out;
    }

    public int size() {
        return sessions.size();
    }

    private static byte[] sha256() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(new byte[0]);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Entry {
        final BsonValue id;
        volatile long lastUse;

        Entry(BsonValue id, long lastUse) {
            this.id = id;
            this.lastUse = lastUse;
        }
    }
}
