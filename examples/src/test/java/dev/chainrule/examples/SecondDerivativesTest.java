package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.autodiff.Ops;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Second derivatives by a create-graph backward match their closed forms, and Newton's method converges fast. */
class SecondDerivativesTest {
    @ParameterizedTest
    @ValueSource(doubles = {-3, -1.5, -0.5, 0, 0.25, 1, 2.5})
    void bothDerivativesOfTheQuarticAreTheClosedForms(double x) {
        double[] d = SecondDerivatives.derivatives(SecondDerivatives.QUARTIC, x);

        assertEquals(4 * x * x * x - 4 * x, d[0], 1e-12);
        assertEquals(12 * x * x - 4, d[1], 1e-12);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-3, -0.7, 0, 0.4, 1.5})
    void bothDerivativesOfTanhAreTheClosedForms(double x) {
        double[] d = SecondDerivatives.derivatives(Ops::tanh, x);
        double t = Math.tanh(x);

        assertEquals(1 - t * t, d[0], 1e-15);
        assertEquals(-2 * t * (1 - t * t), d[1], 1e-15);
    }

    @Test
    void newtonsMethodReachesTheMinimumQuadratically() {
        List<double[]> iterates = Printed.linesOf(() -> SecondDerivatives.main(new String[0])).stream()
                .filter(l -> l.strip().matches("x\\d+ +=.*")).map(Printed::numbers).toList();
        double[] errors = iterates.stream().mapToDouble(xe -> Math.abs(xe[0] - 1)).toArray();

        assertEquals(SecondDerivatives.START, iterates.get(0)[0]);
        assertTrue(errors[errors.length - 1] <= 1e-12, "last iterate " + iterates.get(errors.length - 1)[0]);
        assertTrue(errors.length <= 9, errors.length + " iterates");
        int asymptotic = 0;
        for (int k = 0; k + 1 < errors.length; k++) {
            if (errors[k] < 0.01 && errors[k + 1] > 1e-14) {
                // e_{k+1} ≈ C e_k² with C = f‴(x*) / 2f″(x*) = 24 / 16 = 1.5.
                assertEquals(1.5, errors[k + 1] / (errors[k] * errors[k]), 0.05, "step " + k);
                asymptotic++;
            }
        }
        assertTrue(asymptotic >= 2, "at least two steps in the quadratic regime, found " + asymptotic);
    }
}
