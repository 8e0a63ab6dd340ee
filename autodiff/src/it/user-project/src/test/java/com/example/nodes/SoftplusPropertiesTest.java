package com.example.nodes;

import static dev.chainrule.autodiff.testing.Properties.assertGradientsMatch;
import static dev.chainrule.autodiff.testing.Properties.qt;

import dev.chainrule.autodiff.testing.Case;
import dev.chainrule.autodiff.testing.Gens;
import dev.chainrule.autodiff.testing.PropertyTest;

/** README's harness snippet, compiled and run in a project of its own, as a user would. */
class SoftplusPropertiesTest {
    @PropertyTest
    void softplusBackwardMatchesNumericalGradient() {
        qt().forAll(Gens.tensors(Gens.shapes(0, 3), Gens.values(-5, 5)))
                .checkAssert(x -> assertGradientsMatch(new Case("softplus", xs -> Softplus.of(xs[0]), x)));
    }
}
