package dev.chainrule.autodiff;

import static dev.chainrule.autodiff.testing.Properties.assertGradientsMatch;
import static dev.chainrule.autodiff.testing.Properties.qt;
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

    /** tanh whose derivative is 1% too large: dx = 1.01 · dy(1 − y²). */
    static final class OnePercentOffTanh extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].tanh(); }

        @Override protected Variable[] backward(Variable gy) {
            Variable y = output();
            return grads(gy.mul(Ops.oneMinus(y.mul(y))).mul(1.01));
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
     * y = a ⊙ b, applied to (x, x) as a square, that returns the gradient of its first operand only: the second
     * path of the fan-out is lost, so x receives dy·x instead of 2·dy·x.
     */
    static final class FirstOperandOnlyProduct extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].mul(xs[1]); }

        @Override protected Variable[] backward(Variable gy) { return grads(gy.mul(input(1)), null); }
    }

    /** σ with its derivative taken from the input instead of the output: dx = dy · x(1 − x). */
    static final class SigmoidFromInput extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].sigmoid(); }

        @Override protected Variable[] backward(Variable gy) {
            Variable x = input(0);
            return grads(gy.mul(x).mul(Ops.oneMinus(x)));
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
        GradCheck.Report report = assertCaught("OnePercentOffTanh", xs -> new OnePercentOffTanh().apply(xs[0]),
                xs -> Ops.tanh(xs[0]), vectorsAndMatrices(), X);

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
