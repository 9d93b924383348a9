package dev.argon.proxy.conformance;

/**
 * Thrown anywhere while a test is prepared or run to stop it without a verdict. It is not an error of the server
 * under test: either the test's requirements exclude this deployment, or it needs something the runner does not
 * model (an operation, an argument, an entity type) or the server does not offer at all (fail points).
 */
final class SkipTest extends RuntimeException {
    private final boolean runnable;

    private SkipTest(String reason, boolean runnable) {
        super(reason, null, false, false);
        this.runnable = runnable;
    }

    /** The test's requirements (runOnRequirements, skipReason) rule this deployment out. */
    static SkipTest notRunnable(String reason) {
        return new SkipTest(reason, false);
    }

    /** The runner cannot execute part of the test; the reason starts with "runner:" or "server:". */
    static SkipTest unsupported(String reason) {
        return new SkipTest(reason, true);
    }

    Outcome outcome() {
        return runnable ? Outcome.skipped(getMessage()) : Outcome.notRunnable(getMessage());
    }
}
