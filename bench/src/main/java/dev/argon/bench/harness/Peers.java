package dev.argon.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Names of the peers the harness can start in-process. Stateless. */
public final class Peers {
    /** Both backends of mongo-java-server, one after the other. */
    public static final String MONGO_JAVA_SERVER = "mongo-java-server";
    public static final String MEMORY = "mongo-java-server/memory";
    public static final String H2 = "mongo-java-server/h2";

    private Peers() {}

    static void require(String name) {
        expand(name);
    }

    /** The targets a peer name stands for, not yet started. */
    static List<TargetSpec> expand(String name) {
        List<TargetSpec> out = new ArrayList<>();
        switch (name) {
            case MONGO_JAVA_SERVER -> {
                out.add(spec(MEMORY, PeerTarget::memory));
                out.add(spec(H2, PeerTarget::h2));
            }
            case MEMORY, "mongo-java-server-memory", "memory" -> out.add(spec(MEMORY, PeerTarget::memory));
            case H2, "mongo-java-server-h2", "h2" -> out.add(spec(H2, PeerTarget::h2));
            default -> throw new IllegalArgumentException("unknown peer '" + name + "'; known: " + MONGO_JAVA_SERVER + ", "
                    + MEMORY + ", " + H2);
        }
        return out;
    }

    private static TargetSpec spec(String name, Supplier<Target> start) {
        return new TargetSpec(name, start);
    }

    /** A target by name, started only when its turn comes. */
    record TargetSpec(String name, Supplier<Target> start) {}
}
