package dev.chainrule.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What an example program prints, captured, and the numbers in its lines: tests assert on computed values. */
final class Printed {
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?|NaN|-?Infinity");

    private Printed() {}

    /** The lines that {@code program} writes to System.out. */
    static List<String> linesOf(Runnable program) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            program.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** Every number in the part of {@code line} after its first '=' (the whole line if it has none). */
    static double[] numbers(String line) {
        Matcher m = NUMBER.matcher(line.substring(line.indexOf('=') + 1));
        return m.results().map(MatchResult::group).mapToDouble(Double::parseDouble).toArray();
    }

    /** The only number after the '=' of the first line that starts with {@code prefix}. */
    static double value(List<String> lines, String prefix) {
        String line = line(lines, prefix);
        double[] numbers = numbers(line);
        if (numbers.length != 1) {
            throw new AssertionError("expected one number in: " + line);
        }
        return numbers[0];
    }

    /** The first line that starts with {@code prefix}, stripped. */
    static String line(List<String> lines, String prefix) {
        return lines.stream().map(String::strip).filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starts with \"" + prefix + "\" in:\n" + lines));
    }
}
