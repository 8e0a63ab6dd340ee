package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The XOR example (README quotes it) learns XOR: a small loss, and each prediction on the right side of ½. */
class TrainXorTest {
    @Test
    void learnsXor() {
        List<String> lines = Printed.linesOf(() -> TrainXor.main(new String[0]));
        double loss = Printed.value(lines, "loss");
        double[] p = Printed.numbers(Printed.line(lines, "predictions"));

        assertTrue(loss < 0.05, "loss " + loss);
        assertTrue(p[0] < 0.5 && p[1] > 0.5 && p[2] > 0.5 && p[3] < 0.5, Arrays.toString(p));
    }
}
