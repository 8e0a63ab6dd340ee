package dev.chainrule.autodiff;

import static dev.chainrule.autodiff.PropertyChecks.assertClose;
import static dev.chainrule.autodiff.PropertyChecks.assertValueAndGradientsFinite;
import static dev.chainrule.autodiff.PropertyChecks.squared;
import static dev.chainrule.autodiff.testing.Properties.assertGradientsMatch;
import static dev.chainrule.autodiff.testing.Properties.assertSecondOrderGradientsMatch;
import static dev.chainrule.autodiff.testing.Properties.qt;

import dev.chainrule.autodiff.testing.Case;
import dev.chainrule.autodiff.testing.Covers;
import dev.chainrule.autodiff.testing.Gens;
import dev.chainrule.autodiff.testing.PropertyTest;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.util.Arrays;
import java.util.List;
import org.quicktheories.core.Gen;

class LossesPropertiesTest {
    /** Logits (m×k) and one class label per row; m = 1 is a batch of one, k = 1 a single class. */
    private record Classification(Tensor logits, int[] labels) {
        Tensor oneHot() {
            return Direct.oneHot(logits.shape().dim(1), labels);
        }

        /** The loss on one-hot targets, both logits and targets differentiable. */
        Case withOneHotTargets() {
            return new Case("softmaxCrossEntropy(z, one-hot t)", xs -> Ops.softmaxCrossEntropy(xs[0], xs[1]),
                    logits, oneHot());
        }

        /** The loss on the labels themselves, only the logits differentiable. */
        Case withLabels() {
            return new Case("softmaxCrossEntropy(z, labels " + Arrays.toString(labels) + ")",
                    xs -> Ops.softmaxCrossEntropy(xs[0], labels), logits);
        }

        @Override
        public String toString() {
            return "logits " + logits.shape() + " " + logits + ", labels " + Arrays.toString(labels);
        }
    }

    private static Gen<Classification> classifications(Gen<Double> logitValues) {
        Gen<Integer> dim = Gens.dims(Gens.MAX_DIM);
        return dim.zip(dim, (m, k) -> Shape.of(m, k)).flatMap(shape -> Gens.tensors(shape, logitValues)
                .zip(Gens.classLabels(shape.dim(0), shape.dim(1)), Classification::new));
    }

    /** Logits (m×k) in [−5, 5] and targets that are any weights in [0, 1], not one-hot rows. */
    private static Gen<Case> weightedTargetCases() {
        Gen<Integer> dim = Gens.dims(Gens.MAX_DIM);
        return dim.zip(dim, (m, k) -> Shape.of(m, k)).flatMap(shape -> Gens.tensors(shape, Gens.values(-5, 5))
                .zip(Gens.tensors(shape, Gens.values(0, 1)), (z, t) -> new Case("softmaxCrossEntropy(z, weights t)",
                        xs -> Ops.softmaxCrossEntropy(xs[0], xs[1]), z, t)));
    }

    /** Logits in [−5, 5] of rank 1 to 3: softmax works along the last axis, whatever the rank. */
    private static Gen<Tensor> logits() {
        return Gens.tensors(Gens.shapes(1, 3), Gens.values(-5, 5));
    }

    private static Gen<Case> softmaxCases() {
        return logits().map(z -> new Case("softmax", xs -> Ops.softmax(xs[0]), z));
    }

    private static Gen<Case> logSoftmaxCases() {
        return logits().map(z -> new Case("logSoftmax", xs -> Ops.logSoftmax(xs[0]), z));
    }

    /** Logits from {@code logitValues} and targets in [0, 1] of the same shape, rank 0 to 3. */
    private static Gen<Case> sigmoidCrossEntropyCases(Gen<Double> logitValues) {
        return Gens.shapes(0, 3).flatMap(shape -> Gens.tensors(shape, logitValues)
                .zip(Gens.tensors(shape, Gens.values(0, 1)), (z, t) ->
                        new Case("sigmoidCrossEntropy(z, t)", xs -> Ops.sigmoidCrossEntropy(xs[0], xs[1]), z, t)));
    }

    private static Gen<Case> meanSquaredErrorCases() {
        return Gens.shapes(0, 3).flatMap(shape -> Gens.tensors(shape, Gens.values(-2, 2))
                .zip(Gens.tensors(shape, Gens.values(-2, 2)), (o, t) ->
                        new Case("meanSquaredError(o, t)", xs -> Ops.meanSquaredError(xs[0], xs[1]), o, t)));
    }

    /** −1/m ΣΣ [t log σ(z) + (1 − t) log(1 − σ(z))], composed from Sigmoid and Log: the fused node's twin. */
    private static Variable composedSigmoidCrossEntropy(Variable z, Variable t) {
        Variable s = Ops.sigmoid(z);
        Variable perElement = Ops.add(Ops.mul(t, Ops.log(s)), Ops.mul(Ops.oneMinus(t), Ops.log(Ops.oneMinus(s))));
        return Ops.mul(Ops.sum(perElement), -1.0 / Direct.rows(z.shape()));
    }

    /** −1/m ΣΣ t · log softmax(z), composed from Softmax and Log: the fused node's twin. */
    private static Variable composedSoftmaxCrossEntropy(Variable z, Variable t) {
        return Ops.mul(Ops.sum(Ops.mul(t, Ops.log(Ops.softmax(z)))), -1.0 / distributions(z.shape()));
    }

    /** How many softmax distributions logits of this shape hold: every axis but the last, counted. */
    private static int distributions(Shape logits) {
        return logits.size() / logits.dim(-1);
    }

    /** Logits of rank 1 to 4 in [−5, 5] and one-hot targets along the last axis: one class per distribution. */
    private static Gen<Case> softmaxCrossEntropyCasesOfAnyRank() {
        return Gens.shapes(1, 4).flatMap(shape -> Gens.tensors(shape, Gens.values(-5, 5))
                .zip(Gens.classLabels(distributions(shape), shape.dim(-1)), (z, labels) -> {
                    Tensor t = Direct.oneHot(shape.dim(-1), labels).reshape(shape);
                    return new Case("softmaxCrossEntropy(z, one-hot t)", xs -> Ops.softmaxCrossEntropy(xs[0], xs[1]), z, t);
                }));
    }

    // ---- backward against numerical gradients ---------------------------------------------------------------

    @PropertyTest
    @Covers(Losses.Softmax.class)
    void softmaxBackwardMatchesNumericalGradient() {
        qt().forAll(softmaxCases(), Gens.seeds()).checkAssert(PropertyChecks::assertGradientsMatch);
    }

    @PropertyTest
    @Covers(Losses.LogSoftmax.class)
    void logSoftmaxBackwardMatchesNumericalGradient() {
        qt().forAll(logSoftmaxCases(), Gens.seeds()).checkAssert(PropertyChecks::assertGradientsMatch);
    }

    @PropertyTest
    @Covers(Losses.SigmoidCrossEntropy.class)
    void sigmoidCrossEntropyBackwardMatchesNumericalGradient() {
        qt().forAll(sigmoidCrossEntropyCases(Gens.values(-5, 5))).checkAssert(c -> assertGradientsMatch(c));
    }

    @PropertyTest
    @Covers(Losses.SoftmaxCrossEntropy.class)
    void softmaxCrossEntropyBackwardMatchesNumericalGradient() {
        qt().forAll(classifications(Gens.values(-5, 5))).checkAssert(c -> {
            assertGradientsMatch(c.withOneHotTargets());
            assertGradientsMatch(c.withLabels());
        });
    }

    @PropertyTest
    @Covers(Losses.MeanSquaredError.class)
    void meanSquaredErrorBackwardMatchesNumericalGradient() {
        qt().forAll(meanSquaredErrorCases()).checkAssert(c -> assertGradientsMatch(c));
    }

    /**
     * Targets that are any non-negative weights, not one-hot rows: then dz = (softmax(z) · Σ_row t − t) / m, and
     * the Σ_row t that one-hot rows hide matters.
     */
    @PropertyTest
    @Covers(Losses.SoftmaxCrossEntropy.class)
    void softmaxCrossEntropyBackwardMatchesNumericalGradientForWeightedTargets() {
        qt().forAll(weightedTargetCases()).checkAssert(c -> assertGradientsMatch(c));
    }

    /** m counts the distributions, every axis but the last, whatever the rank: (2, 3, 4) logits hold m = 6. */
    @PropertyTest
    @Covers(Losses.SoftmaxCrossEntropy.class)
    void softmaxCrossEntropyOfAnyRankMatchesNumericalGradientItsTwinAndSoftmaxMinusTargetOverM() {
        qt().forAll(softmaxCrossEntropyCasesOfAnyRank()).checkAssert(c -> {
            assertGradientsMatch(c);
            PropertyChecks.assertSameAsTwin(c, new Case("composed", xs -> composedSoftmaxCrossEntropy(xs[0], xs[1]), c.inputs()));
            Tensor z = c.input(0), t = c.input(1);
            int m = distributions(z.shape());
            Tensor u = PropertyChecks.upstream(Shape.scalar(), c.seed());
            Tensor expected = Direct.elementwise(softmaxAlongLastAxis(z), t, (s, target) -> u.item() * (s - target) / m);
            assertClose("d softmaxCrossEntropy / dz of " + z.shape(), expected, PropertyChecks.gradients(c)[0].value());
        });
    }

    /** Softmax along the last axis of any rank, by reshaping to rows. */
    private static Tensor softmaxAlongLastAxis(Tensor z) {
        return Direct.softmax(z.reshape(distributions(z.shape()), z.shape().dim(-1))).reshape(z.shape());
    }

    // ---- forward against the definitions -------------------------------------------------------------------

    @PropertyTest
    void softmaxAndLogSoftmaxForwardMatchTheirDefinitions() {
        qt().forAll(logits()).checkAssert(z -> {
            Tensor expected = Direct.softmax(z);
            assertClose("softmax", expected, Ops.softmax(Variable.parameter(z)).value());
            assertClose("logSoftmax", Direct.map(expected, Math::log), Ops.logSoftmax(Variable.parameter(z)).value());
        });
    }

    @PropertyTest
    void sigmoidCrossEntropyEqualsItsComposedTwinWithTheSameGradients() {
        qt().forAll(sigmoidCrossEntropyCases(Gens.values(-5, 5))).checkAssert(c -> {
            Case composed = new Case("composed", xs -> composedSigmoidCrossEntropy(xs[0], xs[1]), c.inputs());
            PropertyChecks.assertSameAsTwin(c, composed);
        });
    }

    @PropertyTest
    void softmaxCrossEntropyEqualsItsComposedTwinWithTheSameGradients() {
        qt().forAll(classifications(Gens.values(-5, 5))).checkAssert(c -> {
            Case fused = c.withOneHotTargets();
            Case composed = new Case("composed", xs -> composedSoftmaxCrossEntropy(xs[0], xs[1]), fused.inputs());
            PropertyChecks.assertSameAsTwin(fused, composed);
            Variable z = Variable.parameter(c.logits());
            assertClose("softmaxCrossEntropy with labels against one-hot targets",
                    Ops.softmaxCrossEntropy(z, Variable.constant(c.oneHot())).value(),
                    Ops.softmaxCrossEntropy(z, c.labels()).value());
        });
    }

    @PropertyTest
    void meanSquaredErrorIsHalfTheSumOfSquaredDifferencesNotDividedByTheBatch() {
        qt().forAll(meanSquaredErrorCases()).checkAssert(c -> {
            double[] o = c.input(0).toArray(), t = c.input(1).toArray();
            double expected = 0;
            for (int i = 0; i < o.length; i++) {
                expected += 0.5 * (o[i] - t[i]) * (o[i] - t[i]);
            }
            Variable[] xs = PropertyChecks.parameters(c.inputs());
            assertClose(c.shapes(), Tensor.scalar(expected), c.graph().apply(xs).value());
        });
    }

    // ---- invariants ----------------------------------------------------------------------------------------

    @PropertyTest
    void softmaxRowsSumToOneWithEveryEntryInZeroOne() {
        qt().forAll(Gens.tensors(Gens.shapes(1, 3), Gens.values(-20, 20))).checkAssert(z -> {
            Tensor y = Ops.softmax(Variable.parameter(z)).value();
            int k = z.shape().dim(-1);
            for (int row = 0; row < y.size(); row += k) {
                double sum = 0;
                for (int j = row; j < row + k; j++) {
                    double v = y.getFlat(j);
                    if (!(v > 0 && v <= 1)) {
                        throw new AssertionError("softmax of " + z.shape() + " " + z + ": entry " + j + " is " + v
                                + ", expected in (0, 1]");
                    }
                    sum += v;
                }
                if (Math.abs(sum - 1) > 1e-12) {
                    throw new AssertionError("softmax of " + z.shape() + " " + z + ": row at " + row + " sums to " + sum
                            + ", expected 1");
                }
            }
        });
    }

    @PropertyTest
    void softmaxAndLogSoftmaxAreFiniteWithFiniteGradientsForLogitsOfPlusMinus1000() {
        qt().forAll(Gens.tensors(Gens.shapes(1, 3), Gens.extremeLogits()), Gens.seeds()).checkAssert((z, seed) -> {
            assertValueAndGradientsFinite(new Case("softmax", xs -> Ops.softmax(xs[0]), z), seed);
            assertValueAndGradientsFinite(new Case("logSoftmax", xs -> Ops.logSoftmax(xs[0]), z), seed);
        });
    }

    @PropertyTest
    void crossEntropiesAreFiniteWithFiniteGradientsForLogitsOfPlusMinus1000() {
        Gen<Case> sigmoidCases = sigmoidCrossEntropyCases(Gens.extremeLogits());
        qt().forAll(sigmoidCases, classifications(Gens.extremeLogits())).checkAssert((s, c) -> {
            assertValueAndGradientsFinite(s, 0); // scalar losses: the upstream gradient is 1 whatever the seed
            assertValueAndGradientsFinite(c.withOneHotTargets(), 0);
            assertValueAndGradientsFinite(c.withLabels(), 0);
        });
    }

    /** dJ/dz = u · (softmax(z) − onehot) / m, the δ of the output layer times the upstream gradient u. */
    @PropertyTest
    void softmaxCrossEntropyGradientIsSoftmaxMinusOneHotOverBatchSize() {
        qt().forAll(classifications(Gens.values(-5, 5))).checkAssert(c -> {
            int m = c.logits().shape().dim(0);
            Tensor expected = Direct.elementwise(Direct.softmax(c.logits()), c.oneHot(), (s, t) -> (s - t) / m);
            for (Case loss : List.of(c.withOneHotTargets(), c.withLabels())) {
                double u = PropertyChecks.upstream(Shape.scalar(), loss.seed()).item();
                assertClose("d softmaxCrossEntropy / dz, " + loss.shapes() + ", upstream " + u,
                        Direct.map(expected, v -> u * v), PropertyChecks.gradients(loss)[0].value());
            }
        });
    }

    /** dJ/dz = u · (σ(z) − t) / m for the upstream gradient u. */
    @PropertyTest
    void sigmoidCrossEntropyGradientIsSigmaMinusTargetOverBatchSize() {
        qt().forAll(sigmoidCrossEntropyCases(Gens.values(-5, 5))).checkAssert(c -> {
            Tensor z = c.input(0), t = c.input(1);
            int m = Direct.rows(z.shape());
            Tensor sigma = Direct.map(z, v -> 1 / (1 + Math.exp(-v)));
            double u = PropertyChecks.upstream(Shape.scalar(), c.seed()).item();
            Tensor expected = Direct.elementwise(sigma, t, (s, target) -> u * (s - target) / m);
            assertClose("d sigmoidCrossEntropy / dz, upstream " + u, expected, PropertyChecks.gradients(c)[0].value());
        });
    }

    // ---- second order --------------------------------------------------------------------------------------
    // Squared, the gradient reaching each node depends on the inputs, so that its backward is differentiated in
    // its upstream factor too; a loss otherwise only ever sees the constant 1 there.

    @PropertyTest
    @Covers(Losses.Softmax.class)
    void softmaxSecondOrderGradientsMatch() {
        qt().forAll(softmaxCases()).checkAssert(c -> {
            assertSecondOrderGradientsMatch(c);
            assertSecondOrderGradientsMatch(squared(c));
        });
    }

    @PropertyTest
    @Covers(Losses.LogSoftmax.class)
    void logSoftmaxSecondOrderGradientsMatch() {
        qt().forAll(logSoftmaxCases()).checkAssert(c -> {
            assertSecondOrderGradientsMatch(c);
            assertSecondOrderGradientsMatch(squared(c));
        });
    }

    @PropertyTest
    @Covers(Losses.SigmoidCrossEntropy.class)
    void sigmoidCrossEntropySecondOrderGradientsMatch() {
        qt().forAll(sigmoidCrossEntropyCases(Gens.values(-5, 5))).checkAssert(c -> {
            assertSecondOrderGradientsMatch(c);
            assertSecondOrderGradientsMatch(squared(c));
        });
    }

    @PropertyTest
    @Covers(Losses.SoftmaxCrossEntropy.class)
    void softmaxCrossEntropySecondOrderGradientsMatch() {
        qt().forAll(classifications(Gens.values(-5, 5))).checkAssert(c -> {
            assertSecondOrderGradientsMatch(c.withOneHotTargets());
            assertSecondOrderGradientsMatch(squared(c.withOneHotTargets()));
            assertSecondOrderGradientsMatch(squared(c.withLabels()));
        });
        qt().forAll(weightedTargetCases()).checkAssert(c -> assertSecondOrderGradientsMatch(squared(c)));
    }

    @PropertyTest
    @Covers(Losses.MeanSquaredError.class)
    void meanSquaredErrorSecondOrderGradientsMatch() {
        qt().forAll(meanSquaredErrorCases()).checkAssert(c -> {
            assertSecondOrderGradientsMatch(c);
            assertSecondOrderGradientsMatch(squared(c));
        });
    }
}
