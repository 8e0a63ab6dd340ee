package dev.chainrule.autodiff;

import static dev.chainrule.autodiff.testing.Properties.assertGradientsMatch;
import static dev.chainrule.autodiff.testing.Properties.assertGradientsMatchAroundKink;
import static dev.chainrule.autodiff.testing.Properties.assertSecondOrderGradientsMatch;
import static dev.chainrule.autodiff.testing.Properties.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.autodiff.testing.Case;
import dev.chainrule.autodiff.testing.Gens;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * A checker that cannot fail proves nothing. Each planted node below has one classic backward bug; GradCheck
 * must report it, naming the node and giving both values, and so must the property harness, through
 * QuickTheories. Each bug's correct twin passes on the same inputs, so no control fails for an unrelated reason.
 */
class NegativeControlsTest {

    // ---- planted bugs ---------------------------------------------------------------------------------------

    /** tanh with the sign of its derivative flipped: dx = −dy(1 − y²). */
    static final class FlippedSignTanh extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].tanh(); }

        @Override protected Variable[] backward(Variable gy) {
            Variable y = output();
            return grads(gy.mul(Ops.oneMinus(y.mul(y))).neg());
        }
    }

    /** tanh whose derivative is off by a factor: dx = factor · dy(1 − y²). */
    static final class TanhWithScaledDerivative extends Function {
        private final double factor;

        TanhWithScaledDerivative(double factor) { this.factor = factor; }

        @Override protected Tensor forward(Tensor... xs) { return xs[0].tanh(); }

        @Override protected Variable[] backward(Variable gy) {
            Variable y = output();
            return grads(gy.mul(Ops.oneMinus(y.mul(y))).mul(factor));
        }
    }

    /** C = A·B with dA = dC·B instead of dC·Bᵀ: the right shape for square B, the wrong values unless B = Bᵀ. */
    static final class TransposedGradientMatMul extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].matmul(xs[1]); }

        @Override protected Variable[] backward(Variable gy) {
            return grads(needsGrad(0) ? Ops.matmul(gy, input(1)) : null, needsGrad(1) ? Ops.matmulTransA(input(0), gy) : null);
        }
    }

    /**
     * y = a ⊙ b, applied to (x, x) as a square, that sends zeros to its second operand: the second path of the
     * fan-out is lost, so x receives dy·x instead of 2·dy·x. (Returning null there instead is refused by the engine,
     * since that input needs a gradient.)
     */
    static final class FirstOperandOnlyProduct extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].mul(xs[1]); }

        @Override protected Variable[] backward(Variable gy) {
            return grads(gy.mul(input(1)), Variable.constant(Tensor.zeros(gy.shape())));
        }
    }

    /** σ with its derivative taken from the input instead of the output: dx = dy · x(1 − x). */
    static final class SigmoidFromInput extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].sigmoid(); }

        @Override protected Variable[] backward(Variable gy) {
            Variable x = input(0);
            return grads(gy.mul(x).mul(Ops.oneMinus(x)));
        }
    }

    /** ½ Σ (o − t)² whose backward drops the gradient arriving at it: do = o − t instead of dy · (o − t). */
    static final class SquaredErrorIgnoringDy extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].sub(xs[1]).pow(2).sum().mul(0.5); }

        @Override protected Variable[] backward(Variable gy) {
            Variable diff = input(0).sub(input(1));
            return grads(needsGrad(0) ? diff : null, needsGrad(1) ? diff.neg() : null);
        }
    }

    /**
     * a / b whose backward is right as a plain value but wrong when recorded for create-graph: there db loses its
     * sign. First derivatives pass; only a second-order oracle independent of the create-graph path sees it.
     */
    static final class DivWrongOnlyWhenRecorded extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].div(xs[1]); }

        @Override protected Variable[] backward(Variable gy) {
            Variable a = input(0), b = input(1);
            Variable db = gy.mul(a).div(b.mul(b));
            return grads(needsGrad(0) ? gy.div(b) : null, needsGrad(1) ? (GradMode.isEnabled() ? db : db.neg()) : null);
        }
    }

    /** X·W + b whose dX takes a wrong shortcut when W is frozen: zeros, as if a frozen layer passed nothing back. */
    static final class AffineZeroDxWhenWIsFrozen extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].matmul(xs[1]).add(xs[2]); }

        @Override protected Variable[] backward(Variable gy) {
            Variable x = input(0), w = input(1);
            Variable dx = needsGrad(1) ? Ops.matmulTransB(gy, w) : Variable.constant(Tensor.zeros(x.shape()));
            return grads(needsGrad(0) ? dx : null, needsGrad(1) ? Ops.matmulTransA(x, gy) : null,
                    needsGrad(2) ? Ops.sum(gy, false, 0) : null);
        }
    }

    /** X·W + b whose dX is gated on the wrong index, W's: it computes dX for a constant X. */
    static final class AffineGatingDxOnTheWrongIndex extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].matmul(xs[1]).add(xs[2]); }

        @Override protected Variable[] backward(Variable gy) {
            Variable x = input(0), w = input(1);
            return grads(needsGrad(1) ? Ops.matmulTransB(gy, w) : null,
                    needsGrad(1) ? Ops.matmulTransA(x, gy) : null, needsGrad(2) ? Ops.sum(gy, false, 0) : null);
        }
    }

    /** ReLU whose backward lets the gradient through at and above a threshold: {@code x ≥ threshold} instead of x > 0. */
    static final class ReluWithMovedThreshold extends Function {
        private final double threshold;

        ReluWithMovedThreshold(double threshold) { this.threshold = threshold; }

        @Override protected Tensor forward(Tensor... xs) { return xs[0].maximum(0.0); }

        @Override protected Variable[] backward(Variable gy) {
            return grads(gy.mul(Variable.constant(input(0).value().map(x -> x >= threshold ? 1.0 : 0.0))));
        }
    }

    /** ½ Σ (o − t)² that broadcasts o and t instead of refusing shapes that differ. */
    static final class SquaredErrorThatBroadcasts extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].sub(xs[1]).pow(2).sum().mul(0.5); }

        @Override protected Variable[] backward(Variable gy) { throw new UnsupportedOperationException("forward only"); }
    }

    /**
     * y = x, except +∞ just above 1 (within 1.5ε of it, ε = 1e-3), claiming slope 1 everywhere: at x = 1 the difference
     * J(1 + ε) − J(1 − ε) is infinite and J(1 + 2ε) − J(1 − 2ε) finite, so the numerical derivative is ±∞.
     */
    static final class InfiniteJustAboveOne extends Function {
        @Override protected Tensor forward(Tensor... xs) {
            return xs[0].map(x -> x > 1 && x < 1.0015 ? Double.POSITIVE_INFINITY : x);
        }

        @Override protected Variable[] backward(Variable gy) { return grads(gy); }
    }

    /** y = 2x whose gradient is NaN at flat position 1. */
    static final class NaNGradientAtOne extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].mul(2.0); }

        @Override protected Variable[] backward(Variable gy) {
            return grads(gy.mul(Variable.constant(Tensor.full(gy.shape(), 2.0).withFlat(1, Double.NaN))));
        }
    }

    // ---- inputs ---------------------------------------------------------------------------------------------

    /** Points where every derivative above is far from zero, so that each bug shows at default tolerances. */
    private static final Tensor X = Tensor.vector(-1.3, -0.4, 0.2, 0.9, 1.7);

    private static final Tensor A = Tensor.matrix(new double[] {0.5, -1.0, 2.0}, new double[] {1.5, 0.3, -0.7},
            new double[] {-0.2, 0.8, 1.1});
    private static final Tensor B = Tensor.matrix(new double[] {1.0, 2.0, -0.5}, new double[] {-1.5, 0.4, 0.9},
            new double[] {0.6, -1.2, 0.3});

    /** One vector or matrix, values in [−2, 2]. */
    private static Gen<Tensor[]> vectorsAndMatrices() {
        return Gens.tensors(Gens.shapes(1, 2), Gens.values(-2, 2)).map(x -> new Tensor[] {x});
    }

    /** Pairs of square matrices of size 2 to 4: never 1, where every matrix is symmetric. */
    private static Gen<Tensor[]> squarePairs() {
        return Gens.dims(3).map(n -> n + 1).flatMap(n -> Gens.tensors(List.of(Shape.of(n, n), Shape.of(n, n)),
                Gens.values(-2, 2)));
    }

    // ---- the controls ---------------------------------------------------------------------------------------

    @Test
    void aFlippedSignIsCaught() {
        assertCaught("FlippedSignTanh", xs -> new FlippedSignTanh().apply(xs[0]), xs -> Ops.tanh(xs[0]),
                vectorsAndMatrices(), X);
    }

    @Test
    void aDerivativeOnePercentTooLargeIsCaughtAtDefaultTolerances() {
        GradCheck.Report report = assertCaught("TanhWithScaledDerivative",
                xs -> new TanhWithScaledDerivative(1.01).apply(xs[0]), xs -> Ops.tanh(xs[0]), vectorsAndMatrices(), X);

        assertTrue(Math.abs(report.analytic() / report.numeric() - 1.01) < 1e-6,
                "the report shows the 1% error: " + report);
    }

    @Test
    void aTransposedMatrixGradientIsCaught() {
        GradCheck.Report report = assertCaught("TransposedGradientMatMul",
                xs -> new TransposedGradientMatMul().apply(xs[0], xs[1]), xs -> Ops.matmul(xs[0], xs[1]), squarePairs(),
                A, B);

        assertTrue(report.input() == 0, "only dA is wrong: " + report);
    }

    @Test
    void aGradientThatDropsOnePathOfAFanOutIsCaught() {
        GradCheck.Report report = assertCaught("FirstOperandOnlyProduct",
                xs -> new FirstOperandOnlyProduct().apply(xs[0], xs[0]), xs -> Ops.mul(xs[0], xs[0]),
                vectorsAndMatrices(), X);

        assertTrue(Math.abs(report.analytic() / report.numeric() - 0.5) < 1e-6, "half the gradient: " + report);
    }

    @Test
    void aSigmoidDerivativeTakenFromTheInputInsteadOfTheOutputIsCaught() {
        assertCaught("SigmoidFromInput", xs -> new SigmoidFromInput().apply(xs[0]), xs -> Ops.sigmoid(xs[0]),
                vectorsAndMatrices(), X);
    }

    // ---- the seven kinds of bug the suite once let through ---------------------------------------------------

    /** 1. A loss checked only as the root with a seed of 1 hides a backward that drops dy. */
    @Test
    void aLossThatIgnoresTheGradientArrivingAtItIsCaught() {
        assertCaught("SquaredErrorIgnoringDy", xs -> new SquaredErrorIgnoringDy().apply(xs[0], xs[1]),
                xs -> Ops.meanSquaredError(xs[0], xs[1]), vectorPairs(), X, X.mul(0.5));
    }

    /** 2. A second-order check that compares create-graph with create-graph hides a bug in that path alone. */
    @Test
    void aBackwardWrongOnlyOnTheCreateGraphPathIsCaughtBySecondOrderChecks() {
        GradCheck.Graph broken = xs -> new DivWrongOnlyWhenRecorded().apply(xs[0], xs[1]);
        Tensor b = Tensor.vector(0.7, -1.2, 1.5, -0.9, 2.0);

        assertTrue(GradCheck.defaults().check(broken, X, b).passed(), "first derivatives are right");
        GradCheck.Report report = GradCheck.defaults().checkSecondOrder(broken, X, b);
        assertFalse(report.passed(), report.toString());
        assertTrue(report.toString().contains("GradCheck FAILED for [DivWrongOnlyWhenRecorded]"), report.toString());
        assertTrue(GradCheck.defaults().checkSecondOrder(xs -> Ops.div(xs[0], xs[1]), X, b).passed(), "the twin passes");
        AssertionError e = assertThrows(AssertionError.class, () -> qt().withShrinkCycles(SHRINK_CYCLES)
                .forAll(vectorPairs().map(xs -> new Case("planted control", broken, xs[0], xs[1].map(v -> v + 3))))
                .checkAssert(c -> assertSecondOrderGradientsMatch(c)));
        assertTrue(e.getMessage().contains("GradCheck FAILED for [DivWrongOnlyWhenRecorded]"), e.getMessage());
    }

    /** 3. Properties that make every input a parameter hide a gradient gated on the wrong input. */
    @Test
    void aGradientThatIsWrongOnlyWhenAnotherInputIsConstantIsCaught() {
        GradCheck.Report report = assertCaught("AffineZeroDxWhenWIsFrozen",
                xs -> new AffineZeroDxWhenWIsFrozen().apply(xs[0], xs[1], xs[2]), xs -> Ops.affine(xs[0], xs[1], xs[2]),
                affineInputs(), A, B, Tensor.vector(0.1, -0.2, 0.3));

        assertTrue(report.toString().contains("(with input 1 constant)") && report.input() == 0, report.toString());
    }

    @Test
    void aGradientComputedForAConstantInputIsRefusedNamingTheNode() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> GradCheck.defaults()
                .check(xs -> new AffineGatingDxOnTheWrongIndex().apply(xs[0], xs[1], xs[2]), A, B, Tensor.vector(0.1, -0.2, 0.3)));

        assertTrue(e.getMessage().startsWith("AffineGatingDxOnTheWrongIndex: backward returned a gradient for input 0"),
                e.getMessage());
    }

    /** 4. Generators that keep away from kinks hide a wrong derivative at the kink or a threshold moved slightly. */
    @Test
    void aReluDerivativeWrongAtTheKinkOrWithItsThresholdMovedIsCaught() {
        for (double threshold : new double[] {0.0, 1e-12, -1e-12}) {
            String node = "ReluWithMovedThreshold";
            GradCheck.Graph broken = xs -> new ReluWithMovedThreshold(threshold).apply(xs[0]);
            GradCheck.Report report = GradCheck.defaults().kinkAt(0)
                    .check(broken, Tensor.vector(-1.0, 0.0, 5e-13, -5e-13, 2.0));
            assertFalse(report.passed(), "threshold " + threshold + ": " + report);
            AssertionError e = assertThrows(AssertionError.class, () -> qt().withShrinkCycles(SHRINK_CYCLES)
                    .forAll(Gens.tensors(Gens.shapes(1, 2), Gens.aroundKink(0)))
                    .checkAssert(x -> assertGradientsMatchAroundKink(new Case("planted control", broken, x), 0)),
                    "the harness missed threshold " + threshold);
            assertTrue(e.getMessage().contains("GradCheck FAILED for [" + node + "]"), e.getMessage());
        }
        qt().forAll(Gens.tensors(Gens.shapes(1, 2), Gens.aroundKink(0)))
                .checkAssert(x -> assertGradientsMatchAroundKink(new Case("relu", xs -> Ops.relu(xs[0]), x), 0));
    }

    /** 5. Tolerances as loose as PyTorch's (rtol 1e-3) hide a derivative 1e-4 off. */
    @Test
    void aDerivativeOneIn10000OffIsCaughtAtDefaultTolerances() {
        GradCheck.Report report = assertCaught("TanhWithScaledDerivative",
                xs -> new TanhWithScaledDerivative(1.0001).apply(xs[0]), xs -> Ops.tanh(xs[0]), vectorsAndMatrices(), X);

        assertEquals(1.0001, report.analytic() / report.numeric(), 1e-9, report.toString());
    }

    /** 6. A check that shapes are refused fails on a node that broadcasts them instead. */
    @Test
    void aLossThatBroadcastsPredictionAndTargetFailsTheRefusalCheck() {
        Variable o = Variable.parameter(Tensor.zeros(3, 2));
        Variable t = Variable.constant(Tensor.zeros(2));
        Shape[] shapes = {o.shape(), t.shape()};
        PropertyChecks.assertRefused("meanSquaredError", () -> Ops.meanSquaredError(o, t), shapes);

        AssertionError e = assertThrows(AssertionError.class, () -> PropertyChecks.assertRefused(
                "SquaredErrorThatBroadcasts", () -> new SquaredErrorThatBroadcasts().apply(o, t), shapes));
        assertTrue(e.getMessage().startsWith("SquaredErrorThatBroadcasts accepted [(3, 2), (2)]"), e.getMessage());
    }

    /** 7. NaN or infinity compared with tolerances can slip through: they fail, reported at their element. */
    @Test
    void anInfiniteNumericalOrNaNAnalyticGradientFailsAtItsElement() {
        GradCheck.Report infinite = GradCheck.defaults()
                .check(xs -> new InfiniteJustAboveOne().apply(xs[0]), Tensor.vector(0.5, -2.0, 1.0, 0.25));
        GradCheck.Report nan = GradCheck.defaults().check(xs -> new NaNGradientAtOne().apply(xs[0]), X);

        assertFalse(infinite.passed(), infinite.toString());
        assertEquals(2, infinite.position(), infinite.toString());
        assertEquals(Double.POSITIVE_INFINITY, Math.abs(infinite.numeric()), infinite.toString());
        assertTrue(infinite.toString().contains("FAILED for [InfiniteJustAboveOne]"), infinite.toString());
        assertFalse(nan.passed(), nan.toString());
        assertEquals(1, nan.position(), nan.toString());
        assertTrue(nan.toString().contains("analytic NaN"), nan.toString());
    }

    private static Gen<Tensor[]> vectorPairs() {
        return Gens.dims(5).flatMap(n -> Gens.tensors(List.of(Shape.of(n), Shape.of(n)), Gens.values(-2, 2)));
    }

    /** X (m×3), W (3×3) and b (3): any batch size, so that a wrong gate, not a shape, makes the difference. */
    private static Gen<Tensor[]> affineInputs() {
        return Gens.dims(3).flatMap(m -> Gens.tensors(List.of(Shape.of(m, 3), Shape.of(3, 3), Shape.of(3)),
                Gens.values(-2, 2)));
    }

    // ---- assertions -----------------------------------------------------------------------------------------

    /**
     * Both checkers catch the broken graph, and both pass its correct twin: GradCheck at fixed inputs, and the
     * property harness over generated ones. Returns GradCheck's report at the fixed inputs.
     */
    private static GradCheck.Report assertCaught(String node, GradCheck.Graph broken, GradCheck.Graph correct,
            Gen<Tensor[]> generated, Tensor... fixed) {
        GradCheck.Report report = assertGradCheckCatches(node, broken, correct, fixed);
        assertHarnessCatches(node, broken, correct, generated);
        return report;
    }

    /**
     * GradCheck at default settings fails the broken graph, naming its node and giving the analytic and numeric
     * values of the worst element, and passes the correct graph at the same inputs.
     */
    private static GradCheck.Report assertGradCheckCatches(String node, GradCheck.Graph broken, GradCheck.Graph correct,
            Tensor... inputs) {
        GradCheck.Report good = GradCheck.defaults().check(correct, inputs);
        assertTrue(good.passed(), "the correct twin must pass at the same inputs: " + good);

        GradCheck.Report report = GradCheck.defaults().check(broken, inputs);
        String text = report.toString();
        assertFalse(report.passed(), "GradCheck missed " + node + ": " + text);
        assertTrue(report.nodes().contains(node), "nodes() must name " + node + ": " + report.nodes());
        assertTrue(text.contains("GradCheck FAILED for [" + node + "]"), text);
        assertTrue(text.contains(String.format("analytic %.10g", report.analytic())), text);
        assertTrue(text.contains(String.format("numeric %.10g", report.numeric())), text);
        return report;
    }

    /**
     * QuickTheories' own shrinking is not under test; by default it may try 100 000 smaller cases (typically
     * 25 000 for these controls), so the broken runs cap it to stay fast.
     */
    private static final int SHRINK_CYCLES = 1_000;

    /**
     * The property harness passes the correct graph and fails the broken one, with an AssertionError that carries
     * GradCheck's report for the broken node and the (shrunk) case's inputs. The case's description is neutral, so
     * the node's name can only come from the report.
     */
    private static void assertHarnessCatches(String node, GradCheck.Graph broken, GradCheck.Graph correct,
            Gen<Tensor[]> inputs) {
        qt().forAll(inputs.map(xs -> new Case("planted control", correct, xs)))
                .checkAssert(c -> assertGradientsMatch(c));

        AssertionError e = assertThrows(AssertionError.class,
                () -> qt().withShrinkCycles(SHRINK_CYCLES)
                        .forAll(inputs.map(xs -> new Case("planted control", broken, xs)))
                        .checkAssert(c -> assertGradientsMatch(c)),
                "the property harness missed " + node);

        String message = e.getMessage();
        String expected = "GradCheck FAILED for [" + node + "]";
        assertTrue(message.contains(expected), () -> "expected \"" + expected + "\" in: " + message);
        assertTrue(message.contains("planted control\n  input 0 ("),
                () -> "expected the falsifying case in: " + message);
    }
}
