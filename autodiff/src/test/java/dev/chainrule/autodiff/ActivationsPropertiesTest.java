package dev.chainrule.autodiff;

import static dev.chainrule.autodiff.testing.Properties.assertGradientsMatch;
import static dev.chainrule.autodiff.testing.Properties.qt;

import dev.chainrule.autodiff.testing.Case;
import dev.chainrule.autodiff.testing.Covers;
import dev.chainrule.autodiff.testing.Gens;
import dev.chainrule.autodiff.testing.PropertyTest;

class ActivationsPropertiesTest {
    @PropertyTest
    @Covers(Activations.Sigmoid.class)
    void sigmoidBackwardMatchesNumericalGradient() {
        qt().forAll(Gens.tensors(Gens.shapes(0, 3), Gens.values(-6, 6)))
                .checkAssert(x -> assertGradientsMatch(new Case("sigmoid", xs -> Ops.sigmoid(xs[0]), x)));
    }
}
