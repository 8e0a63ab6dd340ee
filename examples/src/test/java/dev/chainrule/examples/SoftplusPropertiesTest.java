package dev.chainrule.examples;

import static dev.chainrule.autodiff.testing.Properties.assertGradientsMatch;
import static dev.chainrule.autodiff.testing.Properties.assertSecondOrderGradientsMatch;
import static dev.chainrule.autodiff.testing.Properties.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.autodiff.testing.Case;
import dev.chainrule.autodiff.testing.Gens;
import dev.chainrule.autodiff.testing.PropertyTest;

/** A user's node checked with the same harness chainrule's own nodes use (autodiff's test-jar). */
class SoftplusPropertiesTest {
    @PropertyTest
    void softplusBackwardMatchesNumericalGradient() {
        qt().forAll(Gens.tensors(Gens.shapes(0, 3), Gens.values(-5, 5)))
                .checkAssert(x -> assertGradientsMatch(new Case("softplus", xs -> Softplus.of(xs[0]), x)));
    }

    @PropertyTest
    void softplusSecondDerivativeMatchesNumericalGradient() {
        qt().forAll(Gens.tensors(Gens.shapes(0, 2), Gens.values(-5, 5)))
                .checkAssert(x -> assertSecondOrderGradientsMatch(new Case("softplus", xs -> Softplus.of(xs[0]), x)));
    }

    @PropertyTest
    void softplusIsFiniteAndMatchesItsDefinition() {
        qt().forAll(Gens.values(-1000, 1000)).checkAssert(v -> {
            double y = Softplus.of(dev.chainrule.autodiff.Variable.constant(v)).item();
            double expected = Math.abs(v) < 30 ? Math.log(1 + Math.exp(v)) : Math.max(v, 0);
            assertEquals(expected, y, 1e-12 * Math.max(1, Math.abs(v)));
        });
    }
}
