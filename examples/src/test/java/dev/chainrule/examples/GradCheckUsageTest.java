package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.autodiff.GradCheck;
import dev.chainrule.autodiff.Ops;
import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import org.apache.commons.math3.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** GradCheck as README shows it, from a user's package. */
class GradCheckUsageTest {
    @Test
    void affineGradientsPassTheCheckShownInTheReadme() {
        RandomGenerator random = Randoms.seeded(7);
        Tensor x = Tensor.normal(random, 0, 1, Shape.of(4, 3));   // the point to check at: one Tensor per input
        Tensor w = Tensor.normal(random, 0, 1, Shape.of(3, 2));
        Tensor b = Tensor.normal(random, 0, 1, Shape.of(2));
        // The graph receives them as Variables xs[0], xs[1], xs[2], in the same order.
        GradCheck.Report report = GradCheck.defaults().check(xs -> Ops.affine(xs[0], xs[1], xs[2]), x, w, b);
        report.assertPassed();   // or read report.input(), position(), analytic(), numeric(), relativeError()

        assertTrue(report.passed());
        assertTrue(report.absoluteError() < 1e-8, report.toString());
        assertEquals(report.analytic(), report.numeric(), 1e-8);
    }
}
