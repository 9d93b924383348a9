package dev.argon.proxy.conformance;

import com.mongodb.event.CommandFailedEvent;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.event.CommandSucceededEvent;
import com.mongodb.event.ConnectionCheckOutFailedEvent;
import com.mongodb.event.ConnectionCheckOutStartedEvent;
import com.mongodb.event.ConnectionCheckedInEvent;
import com.mongodb.event.ConnectionCheckedOutEvent;
import com.mongodb.event.ConnectionClosedEvent;
import com.mongodb.event.ConnectionCreatedEvent;
import com.mongodb.event.ConnectionPoolClearedEvent;
import com.mongodb.event.ConnectionPoolClosedEvent;
import com.mongodb.event.ConnectionPoolCreatedEvent;
import com.mongodb.event.ConnectionPoolListener;
import com.mongodb.event.ConnectionPoolReadyEvent;
import com.mongodb.event.ConnectionReadyEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.BsonDocument;

/**
 * The command-monitoring and connection-pool events of one client entity, filtered the way the unified format asks:
 * only the observed event types, never {@code configureFailPoint}, never the commands the client ignores, and no
 * sensitive commands unless the client observes them. The driver calls it from its own threads, hence the
 * synchronisation.
 */
final class EventLog implements CommandListener, ConnectionPoolListener {

    /** One recorded event; {@code body} is the command (started), the reply (succeeded) or null. */
    record Event(String type, String commandName, String databaseName, BsonDocument body,
                 boolean hasServerConnectionId, boolean hasServiceId) {
    }

    private static final Set<String> SENSITIVE = Set.of("authenticate", "saslstart", "saslcontinue", "getnonce",
            "createuser", "updateuser", "copydbgetnonce", "copydbsaslstart", "copydb");

    private final List<Event> events = new ArrayList<>();
    private final Set<String> observed;
    private final Set<String> ignoredCommands;
    private final boolean observeSensitive;
    private final Set<Integer> sensitiveRequests = ConcurrentHashMap.newKeySet();
    private final AtomicInteger checkedOut = new AtomicInteger();
    private volatile boolean enabled = true;

    EventLog(Set<String> observed, Set<String> ignoredCommands, boolean observeSensitive) {
        this.observed = observed;
        this.ignoredCommands = ignoredCommands;
        this.observeSensitive = observeSensitive;
    }

    /** Stops recording: the format checks the events of the operations, not those of the cleanup. */
    void disable() {
        enabled = false;
    }

    synchronized List<Event> events() {
        return new ArrayList<>(events);
    }

    synchronized List<Event> events(String prefixOfType) {
        List<Event> out = new ArrayList<>();
        for (Event e : events) {
            if (e.type().startsWith(prefixOfType)) {
                out.add(e);
            }
        }
        return out;
    }

    int connectionsCheckedOut() {
        return checkedOut.get();
    }

    private synchronized void add(Event e) {
        if (enabled && observed.contains(e.type())) {
            events.add(e);
        }
    }

    private boolean skipCommand(String name) {
        return name.equals("configureFailPoint") || ignoredCommands.contains(name);
    }

    private boolean sensitive(String name, BsonDocument body) {
        if (observeSensitive) {
            return false;
        }
        String n = name.toLowerCase(Locale.ROOT);
        if (SENSITIVE.contains(n)) {
            return true;
        }
        // The driver empties hello commands carrying speculative authentication; an empty body marks them.
        return (n.equals("hello") || n.equals("ismaster")) && body != null && body.isEmpty();
    }

    @Override
    public void commandStarted(CommandStartedEvent e) {
        BsonDocument cmd = e.getCommand().clone();
        if (skipCommand(e.getCommandName())) {
            return;
        }
        if (sensitive(e.getCommandName(), cmd)) {
            sensitiveRequests.add(e.getRequestId());
            return;
        }
        add(new Event("commandStartedEvent", e.getCommandName(), e.getDatabaseName(), cmd,
                e.getConnectionDescription().getConnectionId().getServerValue() != null,
                e.getConnectionDescription().getServiceId() != null));
    }

    @Override
    public void commandSucceeded(CommandSucceededEvent e) {
        BsonDocument reply = e.getResponse().clone();
        if (skipCommand(e.getCommandName()) || sensitiveRequests.remove(e.getRequestId())
                || sensitive(e.getCommandName(), reply)) {
            return;
        }
        add(new Event("commandSucceededEvent", e.getCommandName(), e.getDatabaseName(), reply,
                e.getConnectionDescription().getConnectionId().getServerValue() != null,
                e.getConnectionDescription().getServiceId() != null));
    }

    @Override
    public void commandFailed(CommandFailedEvent e) {
        if (skipCommand(e.getCommandName()) || sensitiveRequests.remove(e.getRequestId())
                || !observeSensitive && SENSITIVE.contains(e.getCommandName().toLowerCase(Locale.ROOT))) {
            return;
        }
        add(new Event("commandFailedEvent", e.getCommandName(), e.getDatabaseName(), null,
                e.getConnectionDescription().getConnectionId().getServerValue() != null,
                e.getConnectionDescription().getServiceId() != null));
    }

    private void pool(String type) {
        add(new Event(type, null, null, null, false, false));
    }

    @Override
    public void connectionPoolCreated(ConnectionPoolCreatedEvent event) {
        pool("poolCreatedEvent");
    }

    @Override
    public void connectionPoolCleared(ConnectionPoolClearedEvent event) {
        pool("poolClearedEvent");
    }

    @Override
    public void connectionPoolReady(ConnectionPoolReadyEvent event) {
        pool("poolReadyEvent");
    }

    @Override
    public void connectionPoolClosed(ConnectionPoolClosedEvent event) {
        pool("poolClosedEvent");
    }

    @Override
    public void connectionCheckOutStarted(ConnectionCheckOutStartedEvent event) {
        pool("connectionCheckOutStartedEvent");
    }

    @Override
    public void connectionCheckedOut(ConnectionCheckedOutEvent event) {
        checkedOut.incrementAndGet();
        pool("connectionCheckedOutEvent");
    }

    @Override
    public void connectionCheckOutFailed(ConnectionCheckOutFailedEvent event) {
        pool("connectionCheckOutFailedEvent");
    }

    @Override
    public void connectionCheckedIn(ConnectionCheckedInEvent event) {
        checkedOut.decrementAndGet();
        pool("connectionCheckedInEvent");
    }

    @Override
    public void connectionCreated(ConnectionCreatedEvent event) {
        pool("connectionCreatedEvent");
    }

    @Override
    public void connectionReady(ConnectionReadyEvent event) {
        pool("connectionReadyEvent");
    }

    @Override
    public void connectionClosed(ConnectionClosedEvent event) {
        pool("connectionClosedEvent");
    }
}
