package dev.chainrule.nn.data;

import java.util.List;
import java.util.stream.Collectors;

/** Wording shared by error messages. */
final class Messages {
    private Messages() {}

    /** Longest text from a file that a message quotes; the rest is elided. */
    private static final int QUOTED_LENGTH = 40;

    /** A count with its noun in the right number: {@code 1 row}, {@code 2 rows}, {@code 0 rows}. */
    static String count(long n, String noun) {
        return count(n, noun, noun + "s");
    }

    /** A count with an irregular plural: {@code 1 class}, {@code 3 classes}. */
    static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }

    /**
     * Text found in a file, in double quotes, with control characters escaped and long text elided, so that a
     * message stays on one line whatever the file holds.
     */
    static String quote(String text) {
        return "\"" + printable(text) + "\"";
    }

    /**
     * Text found in a file with each control character escaped as a backslash, u and four hex digits, and
     * elided after 40 characters.
     */
    static String printable(String text) {
        StringBuilder sb = new StringBuilder();
        int shown = Math.min(text.length(), QUOTED_LENGTH);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            sb.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.append(text.length() > shown ? "…" : "").toString();
    }

    /** Names found in a file, as {@code [a, b, c]}, each printable, and elided after the first ten. */
    static String list(List<String> names) {
        String shown = names.stream().limit(10).map(Messages::printable).collect(Collectors.joining(", "));
        return "[" + shown + (names.size() > 10 ? ", … (" + names.size() + " in all)" : "") + "]";
    }

    /** A byte as a hex dump shows it: {@code 0x1f}. */
    static String hex(int b) {
        return String.format("0x%02x", b & 0xff);
    }
}
