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
import dev.chainrule.core.Tensor;
import java.util.Arrays;
import org.quicktheories.core.Gen;

class ReductionsPropertiesTest {
    /** x of a shape that broadcasts to the target shape: the input of BroadcastTo. */
    private static Gen<Case> broadcastToCases(int maxRank) {
        return Gens.broadcastPairs(maxRank).flatMap(shapes -> Gens.tensors(shapes[1], Gens.values(-2, 2))
                .map(x -> new Case("broadcastTo " + shapes[0], xs -> Ops.broadcastTo(xs[0], shapes[0]), x)));
    }

    /** x of the full shape, summed to a shape that broadcasts to it: the input of SumTo. */
    private static Gen<Case> sumToCases(int maxRank) {
        return Gens.broadcastPairs(maxRank).flatMap(shapes -> Gens.tensors(shapes[0], Gens.values(-2, 2))
                .map(x -> new Case("sumTo " + shapes[1], xs -> Ops.sumTo(xs[0], shapes[1]), x)));
    }

    // ---- backward against numerical gradients ---------------------------------------------------------------

    @PropertyTest
    @Covers(Reductions.Sum.class)
    void sumBackwardMatchesNumericalGradient() {
        qt().forAll(Reduction.reductions(4), Gens.seeds())
                .checkAssert((r, seed) -> PropertyChecks.assertGradientsMatch(r.toCase("sum", Ops::sum), seed));
    }

    @PropertyTest
    @Covers(Reductions.Mean.class)
    void meanBackwardMatchesNumericalGradient() {
        qt().forAll(Reduction.reductions(4), Gens.seeds())
                .checkAssert((r, seed) -> PropertyChecks.assertGradientsMatch(r.toCase("mean", Ops::mean), seed));
    }

    @PropertyTest
    @Covers(Reductions.BroadcastTo.class)
    void broadcastToBackwardMatchesNumericalGradientInTheInputsShape() {
        qt().forAll(broadcastToCases(4), Gens.seeds()).checkAssert((c, seed) -> {
            PropertyChecks.assertGradientsMatch(c, seed);
            assertGradientShapesMatchInputs(c, seed);
        });
    }

    @PropertyTest
    @Covers(Reductions.SumTo.class)
    void sumToBackwardMatchesNumericalGradient() {
        qt().forAll(sumToCases(4), Gens.seeds()).checkAssert((c, seed) -> {
            PropertyChecks.assertGradientsMatch(c, seed);
            assertGradientShapesMatchInputs(c, seed);
        });
    }

    // ---- forward against the definitions -------------------------------------------------------------------

    @PropertyTest
    void sumAndMeanForwardMatchTheirDefinitions() {
        qt().forAll(Reduction.reductions(4)).checkAssert(r -> {
            Variable x = Variable.parameter(r.x());
            assertClose("sum " + r, Direct.sum(r.x(), r.keepDims(), r.axes()),
                    Ops.sum(x, r.keepDims(), r.axes()).value());
            assertClose("mean " + r, Direct.mean(r.x(), r.keepDims(), r.axes()),
                    Ops.mean(x, r.keepDims(), r.axes()).value());
        });
    }

    @PropertyTest
    void sumAndMeanOfEverythingAreScalars() {
        qt().forAll(Gens.tensors(Gens.shapes(0, 4))).checkAssert(x -> {
            double total = Arrays.stream(x.toArray()).sum();
            assertClose("sum of all", Tensor.scalar(total), Ops.sum(Variable.parameter(x)).value());
            assertClose("mean of all", Tensor.scalar(total / x.size()), Ops.mean(Variable.parameter(x)).value());
        });
    }

    @PropertyTest
    void broadcastToAndSumToForwardMatchTheirDefinitions() {
        qt().forAll(smallAndFull()).describedAs(PropertyChecks::describe).checkAssert(pair -> {
            Tensor small = pair[0], full = pair[1];
            assertClose("broadcastTo " + full.shape(), Direct.broadcastTo(small, full.shape()),
                    Ops.broadcastTo(Variable.parameter(small), full.shape()).value());
            assertClose("sumTo " + small.shape(), Direct.sumTo(full, small.shape()),
                    Ops.sumTo(Variable.parameter(full), small.shape()).value());
        });
    }

    /** ⟨broadcastTo(x), y⟩ = ⟨x, sumTo(y)⟩: SumTo is BroadcastTo's adjoint, which is why it is its backward. */
    @PropertyTest
    void sumToIsTheAdjointOfBroadcastTo() {
        qt().forAll(smallAndFull()).describedAs(PropertyChecks::describe).checkAssert(pair -> {
            Tensor x = pair[0], y = pair[1];
            double left = Ops.broadcastTo(Variable.constant(x), y.shape()).value().mul(y).sum().item();
            double right = x.mul(Ops.sumTo(Variable.constant(y), x.shape()).value()).sum().item();
            assertClose("⟨broadcastTo(x), y⟩ against ⟨x, sumTo(y)⟩", Tensor.scalar(left), Tensor.scalar(right));
        });
    }

    /** A tensor of a shape that broadcasts to the shape of the second, independent one. */
    private static Gen<Tensor[]> smallAndFull() {
        return Gens.broadcastPairs(4).flatMap(shapes -> Gens.tensors(shapes[1], Gens.values(-2, 2))
                .zip(Gens.tensors(shapes[0], Gens.values(-2, 2)), (small, full) -> new Tensor[] {small, full}));
    }

    // ---- second order --------------------------------------------------------------------------------------
    // These nodes are linear: squared, the gradient reaching them depends on the input, so that their backward
    // (Reshape and BroadcastTo for the reductions, SumTo and BroadcastTo for each other) is differentiated.

    @PropertyTest
    @Covers(Reductions.Sum.class)
    void sumSecondOrderGradientsMatch() {
        qt().forAll(Reduction.reductions(3)).checkAssert(r -> assertSecondOrderGradientsMatch(squared(r.toCase("sum", Ops::sum))));
    }

    @PropertyTest
    @Covers(Reductions.Mean.class)
    void meanSecondOrderGradientsMatch() {
        qt().forAll(Reduction.reductions(3)).checkAssert(r -> assertSecondOrderGradientsMatch(squared(r.toCase("mean", Ops::mean))));
    }

    @PropertyTest
    @Covers(Reductions.BroadcastTo.class)
    void broadcastToSecondOrderGradientsMatch() {
        qt().forAll(broadcastToCases(3)).checkAssert(c -> assertSecondOrderGradientsMatch(squared(c)));
    }

    @PropertyTest
    @Covers(Reductions.SumTo.class)
    void sumToSecondOrderGradientsMatch() {
        qt().forAll(sumToCases(3)).checkAssert(c -> assertSecondOrderGradientsMatch(squared(c)));
    }
}
