package dev.argon.engine.command;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one table of wire commands: name &rarr; handler, whether it writes, one line of help. Lookup is by
 * the exact name, with a few case aliases that drivers really send ({@code ismaster}). {@code listCommands}
 * is generated from it. Immutable after construction; thread-safe.
 */
public final class CommandTable {
    /** One row of the table. */
    public record Entry(String name, CommandHandler handler, boolean writes, String help) {}

    private final Map<String, Entry> entries = new TreeMap<>();
    private final Map<String, String> aliases = new TreeMap<>();

    public CommandTable add(String name, CommandHandler handler, boolean writes, String help) {
        if (entries.put(name, new Entry(name, handler, writes, help)) != null) {
            throw new IllegalStateException("duplicate command " + name);
        }
        if (!name.equals(name.toLowerCase())) {
            aliases.put(name.toLowerCase(), name);
        }
        return this;
    }

    public Entry lookup(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            String canonical = aliases.get(name);
            if (canonical != null) {
                e = entries.get(canonical);
            }
        }
        return e;
    }

    public Map<String, Entry> entries() {
        return Collections.unmodifiableMap(entries);
    }
}
