package dev.chainrule.autodiff;

import static dev.chainrule.autodiff.PropertyChecks.assertClose;
import static dev.chainrule.autodiff.PropertyChecks.assertGradientShapesMatchInputs;
import static dev.chainrule.autodiff.PropertyChecks.squared;
import static dev.chainrule.autodiff.testing.Properties.assertSecondOrderGradientsMatch;
import static dev.chainrule.autodiff.testing.Properties.qt;

import dev.chainrule.autodiff.testing.Case;
import dev.chainrule.autodiff.testing.Covers;
import dev.chainrule.autodiff.testing.Gens;
import dev.chainrule.autodiff.testing.PropertyTest;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.util.Arrays;
import org.quicktheories.core.Gen;

class ShapesPropertiesTest {
    /** x and a shape of the same size to reshape it to. */
    private record Reshaping(Tensor x, Shape target) {
        Case toCase() {
            return new Case("reshape to " + target, xs -> Ops.reshape(xs[0], target), x);
        }

        @Override
        public String toString() {
            return "reshape " + x.shape() + " " + x + " to " + target;
        }
    }

    /** x and a permutation of its axes. */
    private record Transposition(Tensor x, int[] perm) {
        Case toCase() {
            return new Case("transpose by " + Arrays.toString(perm), xs -> Ops.transpose(xs[0], perm), x);
        }

        @Override
        public String toString() {
            return "transpose " + x.shape() + " " + x + " by " + Arrays.toString(perm);
        }
    }

    private static Gen<Reshaping> reshapings() {
        return Gens.shapes(0, 3).flatMap(shape -> Gens.tensors(shape, Gens.values(-2, 2))
                .zip(Gens.sameSize(shape), Reshaping::new));
    }

    private static Gen<Transposition> transpositions(int maxRank) {
        return Gens.shapes(0, maxRank).flatMap(shape -> Gens.tensors(shape, Gens.values(-2, 2))
                .zip(Gens.permutations(shape.rank()), Transposition::new));
    }

    // ---- backward against numerical gradients ---------------------------------------------------------------

    @PropertyTest
    @Covers(Shapes.Reshape.class)
    void reshapeBackwardMatchesNumericalGradientInTheInputsShape() {
        qt().forAll(reshapings(), Gens.seeds()).checkAssert((r, seed) -> {
            PropertyChecks.assertGradientsMatch(r.toCase(), seed);
            assertGradientShapesMatchInputs(r.toCase(), seed);
        });
    }

    @PropertyTest
    @Covers(Shapes.Transpose.class)
    void transposeBackwardMatchesNumericalGradientInTheInputsShape() {
        qt().forAll(transpositions(4), Gens.seeds()).checkAssert((t, seed) -> {
            PropertyChecks.assertGradientsMatch(t.toCase(), seed);
            assertGradientShapesMatchInputs(t.toCase(), seed);
        });
    }

    @PropertyTest
    @Covers(Shapes.Transpose.class)
    void transposeReversingTheAxesMatchesNumericalGradient() {
        qt().forAll(Gens.tensors(Gens.shapes(0, 4)), Gens.seeds()).checkAssert((x, seed) ->
                PropertyChecks.assertGradientsMatch(new Case("transpose", xs -> Ops.transpose(xs[0]), x), seed));
    }

    // ---- forward against the definitions -------------------------------------------------------------------

    @PropertyTest
    void reshapeKeepsTheElementsInRowMajorOrder() {
        qt().forAll(reshapings()).checkAssert(r -> {
            Tensor y = Ops.reshape(Variable.parameter(r.x()), r.target()).value();
            assertClose(r.toString(), Tensor.of(r.target(), r.x().toArray()), y, 0, 0);
        });
    }

    @PropertyTest
    void transposeMovesEachElementToItsPermutedIndex() {
        qt().forAll(transpositions(4)).checkAssert(t -> {
            Tensor y = Ops.transpose(Variable.parameter(t.x()), t.perm()).value();
            assertClose(t.toString(), Direct.transpose(t.x(), t.perm()), y, 0, 0);
        });
    }

    @PropertyTest
    void transposeWithoutPermutationReversesTheAxes() {
        qt().forAll(Gens.tensors(Gens.shapes(0, 4))).checkAssert(x -> {
            int[] reversed = new int[x.rank()];
            for (int i = 0; i < reversed.length; i++) {
                reversed[i] = x.rank() - 1 - i;
            }
            Tensor y = Ops.transpose(Variable.parameter(x)).value();
            assertClose("transpose " + x.shape(), Direct.transpose(x, reversed), y, 0, 0);
        });
    }

    // ---- second order --------------------------------------------------------------------------------------
    // Both nodes are linear: squared, the gradient reaching them depends on the input, so that their backward
    // (a Reshape, a Transpose) is differentiated in turn.

    @PropertyTest
    @Covers(Shapes.Reshape.class)
    void reshapeSecondOrderGradientsMatch() {
        qt().forAll(reshapings()).checkAssert(r -> assertSecondOrderGradientsMatch(squared(r.toCase())));
    }

    @PropertyTest
    @Covers(Shapes.Transpose.class)
    void transposeSecondOrderGradientsMatch() {
        qt().forAll(transpositions(3)).checkAssert(t -> assertSecondOrderGradientsMatch(squared(t.toCase())));
    }
}
