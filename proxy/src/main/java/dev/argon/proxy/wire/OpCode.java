package dev.argon.proxy.wire;

/** The wire protocol's opCodes that Argon reads or writes. Anything else on the wire closes the connection. */
public final class OpCode {
    /** Reply to a legacy {@link #OP_QUERY}; only written, never read. */
    public static final int OP_REPLY = 1;
    /** Legacy query; accepted only for commands on {@code <db>.$cmd}, which is how drivers send the first handshake. */
    public static final int OP_QUERY = 2004;
    /** A compressed {@link #OP_MSG} or {@link #OP_QUERY}. */
    public static final int OP_COMPRESSED = 2012;
    /** The message every current driver uses for every command. */
    public static final int OP_MSG = 2013;

    private OpCode() {
    }

    /** A readable name for logs; unknown codes print as their number. */
    public static String name(int opCode) {
        return switch (opCode) {
            case OP_REPLY -> "OP_REPLY";
            case OP_QUERY -> "OP_QUERY";
            case OP_COMPRESSED -> "OP_COMPRESSED";
            case OP_MSG -> "OP_MSG";
            default -> Integer.toString(opCode);
        };
    }
}
