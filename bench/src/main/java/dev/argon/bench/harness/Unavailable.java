package dev.argon.bench.harness;

import com.mongodb.MongoCommandException;

/** Recognises a server's "I do not have this command" answers, which skip a workload instead of failing it. Stateless. */
final class Unavailable {
    static final int COMMAND_NOT_FOUND = 59;
    static final int NOT_IMPLEMENTED = 238;

    private Unavailable() {}

    static boolean is(RuntimeException e) {
        return e instanceof MongoCommandException c
                && (c.getErrorCode() == COMMAND_NOT_FOUND || c.getErrorCode() == NOT_IMPLEMENTED);
    }

    static String note(String command, RuntimeException e) {
        MongoCommandException c = (MongoCommandException) e;
        return command + " not available on this server (" + c.getErrorCodeName() + ", code " + c.getErrorCode() + ")";
    }
}
