package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Init;
import dev.chainrule.nn.Linear;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The 2-2-1 network learns XOR from random weights, and its hidden units stay twins from a symmetric start. */
class XorTwoHiddenUnitsTest {
    private static final List<String> LINES = Printed.linesOf(() -> XorTwoHiddenUnits.main(new String[0]));

    /** The predictions printed for the n-th start (0: random, 1: symmetric). */
    private static double[] predictions(int start) {
        return Printed.numbers(LINES.stream().filter(l -> l.contains("predictions")).toList().get(start));
    }

    private static boolean solvesXor(double[] p) {
        return p[0] < 0.5 && p[1] > 0.5 && p[2] > 0.5 && p[3] < 0.5;
    }

    /** The two hidden units' incoming weights (the columns of W) and biases. */
    private static double[][] hiddenUnits(Init init) {
        Linear hidden = (Linear) XorTwoHiddenUnits.train(init).layers().get(0);
        Tensor w = hidden.weight().value(), b = hidden.bias().value();
        return new double[][] {{w.get(0, 0), w.get(1, 0), b.get(0)}, {w.get(0, 1), w.get(1, 1), b.get(1)}};
    }

    @Test
    void fromRandomWeightsEveryPredictionIsOnTheRightSideOfOneHalf() {
        assertTrue(solvesXor(predictions(0)), Arrays.toString(predictions(0)));
    }

    @Test
    void randomlyStartedUnitsLearnDifferentFeatures() {
        double[][] units = hiddenUnits(Init.epsilonUniform());

        assertNotEquals(Arrays.toString(units[0]), Arrays.toString(units[1]));
        assertTrue(Math.abs(units[0][2] - units[1][2]) > 1, "biases " + Arrays.deepToString(units));
    }

    @Test
    void unitsStartedEqualTrainButStayIdenticalAndFailXor() {
        double[][] units = hiddenUnits(XorTwoHiddenUnits.SYMMETRIC);

        assertEquals(Arrays.toString(units[0]), Arrays.toString(units[1]), "bit for bit the same unit");
        assertTrue(Math.abs(units[0][0] - 0.5) > 1, "yet the weights moved: " + Arrays.deepToString(units));
        assertFalse(solvesXor(predictions(1)), Arrays.toString(predictions(1)));
    }

    @Test
    void unitsStartedAtZeroStayIdenticalToo() {
        double[][] units = hiddenUnits(Init.zeros());

        assertEquals(Arrays.toString(units[0]), Arrays.toString(units[1]));
    }
}
