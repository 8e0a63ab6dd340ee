package dev.chainrule.autodiff;

/** Wording shared by error messages. */
final class Messages {
    private Messages() {}

    /** A count with its noun in the right number: {@code 1 input}, {@code 2 inputs}, {@code 0 inputs}. */
    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
