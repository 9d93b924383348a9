package dev.argon.proxy.conformance;

/**
 * A failed assertion of a spec test. The category groups failures with the same cause in the report (for example
 * "unexpected error BadValue(2)" or "events mismatch"), the message says exactly where the test diverged.
 */
final class SpecFailure extends AssertionError {
    private final String category;

    SpecFailure(String category, String message) {
        super(message);
        this.category = category;
    }

    String category() {
        return category;
    }
}
