package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The XOR example (README quotes it) learns XOR: a small loss, and each prediction on the right side of ½. */
class TrainXorTest {
    @Test
    void learnsXor() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            TrainXor.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\\R");
        double loss = Double.parseDouble(lines[0].substring(lines[0].indexOf('=') + 1).strip());
        double[] p = Arrays.stream(lines[1].substring(lines[1].indexOf('=') + 1).replaceAll("[\\[\\]\\s]", "").split(","))
                .mapToDouble(Double::parseDouble).toArray();

        assertTrue(loss < 0.05, "loss " + loss);
        assertTrue(p[0] < 0.5 && p[1] > 0.5 && p[2] > 0.5 && p[3] < 0.5, Arrays.toString(p));
    }
}
