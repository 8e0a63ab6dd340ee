package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The delta rule and chainrule's gradient descent take the same step, and the unit learns OR. */
class DeltaRuleTest {
    private static final List<String> LINES = Printed.linesOf(() -> DeltaRule.main(new String[0]));

    @Test
    void everyStepOfTheRuleEqualsTheStepOfBackward() {
        List<String> steps = LINES.stream().filter(l -> l.startsWith("step")).toList();

        assertEquals(7, steps.size(), "steps 1, 2, 3 and every 50th");
        for (String step : steps) {
            double[] numbers = Printed.numbers(step);   // J, Δw₀, Δw₁, Δw₂, the difference
            assertTrue(numbers[4] <= 1e-15, step);
        }
        assertTrue(Printed.value(LINES, "largest difference") <= 1e-15);
    }

    @Test
    void theFirstStepIsTheClosedFormFromZeroWeights() {
        // At w = 0 every ŷ is ½, so J = ln 2 and Δw = α Xᵀ(y − ½) = ½ · (1, 1, 1) for OR.
        double[] first = Printed.numbers(Printed.line(LINES, "step   1"));

        assertEquals(Math.log(2), first[0], 1e-6);
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, Arrays.copyOfRange(first, 1, 4), 1e-15);
    }

    @Test
    void theUnitLearnsOr() {
        double[] p = Printed.numbers(Printed.line(LINES, "predictions"));

        assertTrue(p[0] < 0.5 && p[1] > 0.5 && p[2] > 0.5 && p[3] > 0.5, Arrays.toString(p));
    }
}
