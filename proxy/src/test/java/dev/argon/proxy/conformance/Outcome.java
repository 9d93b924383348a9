package dev.argon.proxy.conformance;

/**
 * What happened to one spec test. A test that cannot run here (its requirements exclude this server) is kept apart
 * from one that could run but was skipped because the runner or the server lacks a feature, so that the report
 * shows both the size of the reachable suite and the gaps inside it.
 *
 * @param kind     the class of result
 * @param reason   one line saying why (empty for a pass)
 * @param category a short grouping key for the report (the reason without test-specific detail)
 */
record Outcome(Kind kind, String reason, String category) {

    enum Kind { PASSED, FAILED, NOT_RUNNABLE, SKIPPED }

    static Outcome passed() {
        return new Outcome(Kind.PASSED, "", "");
    }

    static Outcome failed(String category, String reason) {
        return new Outcome(Kind.FAILED, reason, category);
    }

    static Outcome notRunnable(String reason) {
        return new Outcome(Kind.NOT_RUNNABLE, reason, reason);
    }

    static Outcome skipped(String reason) {
        return new Outcome(Kind.SKIPPED, reason, reason);
    }
}
