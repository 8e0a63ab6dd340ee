package dev.chainrule.examples.cli;

/**
 * A mistake in what the user typed, found by a command after picocli parsed it (a value out of range, options
 * that contradict each other): reported like picocli's own usage errors, with the usage, and exit code 2.
 */
final class UsageError extends RuntimeException {
    /** @param message one line naming the option, what it got and what it expects */
    UsageError(String message) {
        super(message);
    }

    /** Throws a usage error unless {@code ok}. */
    static void require(boolean ok, String message) {
        if (!ok) {
            throw new UsageError(message);
        }
    }
}
