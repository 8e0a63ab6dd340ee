package dev.chainrule.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import org.junit.jupiter.api.Test;

class InitTest {
    private static double std(Tensor t) {
        double mean = t.mean().item();
        return Math.sqrt(t.map(v -> (v - mean) * (v - mean)).mean().item());
    }

    @Test
    void epsilonUniformStaysWithinTheCoursesEpsilonAndFillsIt() {
        Tensor w = Init.epsilonUniform().weights(400, 25, Randoms.seeded(7));
        double epsilon = Math.sqrt(6) / Math.sqrt(425);

        assertEquals(Shape.of(400, 25), w.shape());
        assertTrue(w.max().item() < epsilon && w.neg().max().item() <= epsilon, "within [−ε, ε]");
        assertTrue(w.max().item() > 0.99 * epsilon && w.neg().max().item() > 0.99 * epsilon, "reaching both ends");
        assertEquals(epsilon / Math.sqrt(3), std(w), 0.02 * epsilon, "the standard deviation of U(−ε, ε)");
    }

    @Test
    void normalXavierAndHeHaveTheirStandardDeviations() {
        // 10 000 draws: the sample standard deviation is within 3% of the true one (about 4 standard errors)
        assertEquals(0.01, std(Init.normal(0.01).weights(100, 100, Randoms.seeded(1))), 0.0003);
        assertEquals(Math.sqrt(2.0 / 200), std(Init.xavierNormal().weights(100, 100, Randoms.seeded(2))), 0.03 * Math.sqrt(0.01));
        assertEquals(Math.sqrt(2.0 / 100), std(Init.he().weights(100, 100, Randoms.seeded(3))), 0.03 * Math.sqrt(0.02));
    }

    @Test
    void theSameSeedGivesTheSameWeightsAndZerosAreZeros() {
        assertEquals(Init.he().weights(3, 4, Randoms.seeded(5)), Init.he().weights(3, 4, Randoms.seeded(5)));
        assertEquals(Tensor.zeros(3, 4), Init.zeros().weights(3, 4, Randoms.seeded(5)));
        assertThrows(IllegalArgumentException.class, () -> Init.normal(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Init.he().weights(0, 4, Randoms.seeded(5)));
        assertEquals("Init: a layer needs at least one input and one output, got 0 × 4", e.getMessage());
    }
}
