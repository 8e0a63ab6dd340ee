package dev.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import org.junit.jupiter.api.Test;

/** GradCheck itself: what its report points at, and that its settings are honoured. */
class GradCheckTest {

    /** y = a ⊙ b whose gradient for b is 0.5 too large at flat position 3, and right everywhere else. */
    static final class WrongAtPositionThreeOfInputOne extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].mul(xs[1]); }

        @Override protected Variable[] backward(Variable gy) {
            Variable a = input(0), b = input(1);
            Tensor planted = Tensor.zeros(b.shape()).withFlat(3, 0.5);
            return grads(needsGrad(0) ? gy.mul(b) : null, needsGrad(1) ? gy.mul(a).add(Variable.constant(planted)) : null);
        }
    }

    /** y = 2x whose derivative is 2.02 at every element: 1% too large. */
    static final class OnePercentOffDouble extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].mul(2.0); }

        @Override protected Variable[] backward(Variable gy) { return grads(gy.mul(2.02)); }
    }

    /** y = 2x whose derivative is 3 at flat position 2 of the output, so wrong only where the upstream reaches it. */
    static final class WrongAtOutputTwo extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].mul(2.0); }

        @Override protected Variable[] backward(Variable gy) {
            Tensor slope = Tensor.full(gy.shape(), 2.0).withFlat(2, 3.0);
            return grads(gy.mul(Variable.constant(slope)));
        }
    }

    /**
     * σ whose backward is right to first order but treats σ′ as a constant: dx = dy · const(y(1 − y)). Its
     * gradient is right, the gradient of its gradient is not (it misses σ″).
     */
    static final class SigmoidWithConstantDerivative extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].sigmoid(); }

        @Override protected Variable[] backward(Variable gy) {
            Tensor y = output().value();
            return grads(gy.mul(Variable.constant(y.mul(y.neg().add(1.0)))));
        }
    }

    private static final Tensor A = Tensor.matrix(new double[] {0.5, -1.0, 2.0}, new double[] {1.25, 0.3, -0.7});
    private static final Tensor B = Tensor.matrix(new double[] {1.0, 2.0, -0.5}, new double[] {-1.5, 0.4, 0.9});
    private static final Tensor ONES = Tensor.ones(2, 3);

    private static GradCheck.Report checkWrongAtPositionThree(GradCheck check) {
        return check.check(xs -> new WrongAtPositionThreeOfInputOne().apply(xs[0], xs[1]), A, B);
    }

    // ---- the report points at the worst element -------------------------------------------------------------

    @Test
    void theReportPointsAtThePlantedWrongElement() {
        // With upstream ones, J = Σ a ⊙ b, so ∂J/∂b = a exactly; the planted element is b's [1, 0].
        GradCheck.Report report = checkWrongAtPositionThree(GradCheck.defaults().upstream(ONES));

        assertFalse(report.passed(), report.toString());
        assertEquals(1, report.input(), report.toString());
        assertEquals(3, report.position(), report.toString());
        assertEquals(1.25, report.numeric(), 1e-8);
        assertEquals(1.75, report.analytic(), 1e-12);
        assertEquals(0.5, report.absoluteError(), 1e-8);
        assertEquals(0.4, report.relativeError(), 1e-8);
        assertTrue(report.toString().contains("input 1 (2, 3) at [1, 0]"), report.toString());
    }

    @Test
    void theReportPointsAtThePlantedWrongElementWithARandomUpstreamToo() {
        GradCheck.Report report = checkWrongAtPositionThree(GradCheck.defaults());

        assertEquals(1, report.input(), report.toString());
        assertEquals(3, report.position(), report.toString());
        assertEquals(0.5, report.analytic() - report.numeric(), 1e-8, report.toString());
    }

    @Test
    void aPassingCheckSaysPassed() {
        GradCheck.Report report = GradCheck.defaults().check(xs -> Ops.tanh(xs[0]), A);

        assertTrue(report.passed());
        assertTrue(report.toString().startsWith("GradCheck passed for [Tanh]"), report.toString());
        GradCheck.assertMatches(xs -> Ops.tanh(xs[0]), A);
    }

    @Test
    void aCheckWithExactGradientsSaysSoAndPointsNowhere() {
        // J = Σ u ⊙ (x · 0) is 0 whatever x: analytic and numeric are both exactly 0.
        GradCheck.Report report = GradCheck.defaults().check(xs -> Ops.mul(xs[0], 0.0), A);

        assertTrue(report.passed());
        assertEquals(-1, report.input());
        assertTrue(report.toString().contains("passed") && report.toString().contains("exact"), report.toString());
    }

    @Test
    void assertPassedThrowsTheReportWhenTheCheckFails() {
        GradCheck.Report report = checkWrongAtPositionThree(GradCheck.defaults());

        AssertionError e = assertThrows(AssertionError.class, report::assertPassed);

        assertEquals(report.toString(), e.getMessage());
        assertThrows(AssertionError.class,
                () -> GradCheck.assertMatches(xs -> new WrongAtPositionThreeOfInputOne().apply(xs[0], xs[1]), A, B));
    }

    // ---- settings -------------------------------------------------------------------------------------------

    @Test
    void tolerancesAreHonoured() {
        GradCheck.Graph onePercentOff = xs -> new OnePercentOffDouble().apply(xs[0]);

        assertFalse(GradCheck.defaults().check(onePercentOff, A).passed(), "1% > rtol 1e-3 by default");
        assertTrue(GradCheck.defaults().tolerances(1e-5, 0.02).check(onePercentOff, A).passed(), "1% < rtol 2%");
        assertFalse(GradCheck.defaults().tolerances(1e-5, 0.005).check(onePercentOff, A).passed(), "1% > rtol 0.5%");

        // The planted absolute error of 0.5 at upstream ones: within atol 0.6, not within atol 0.4.
        assertTrue(checkWrongAtPositionThree(GradCheck.defaults().upstream(ONES).tolerances(0.6, 0)).passed());
        assertFalse(checkWrongAtPositionThree(GradCheck.defaults().upstream(ONES).tolerances(0.4, 0)).passed());
    }

    @Test
    void theToleranceRuleIsPrintedInTheReport() {
        GradCheck.Report report = checkWrongAtPositionThree(GradCheck.defaults().tolerances(0.2, 0.05));

        assertTrue(report.toString().contains("(atol 0.2, rtol 0.05)"), report.toString());
    }

    @Test
    void epsilonIsHonoured() {
        // For x⁵ at 1 the extrapolated difference is 5 − 4ε⁴ exactly (its error is −ε⁴ f⁽⁵⁾ / 30 with f⁽⁵⁾ = 120):
        // 4.9996 at ε = 0.1, an error beyond default tolerances.
        GradCheck.Graph fifthPower = xs -> Ops.pow(xs[0], 5);
        GradCheck unit = GradCheck.defaults().upstream(Tensor.scalar(1.0));

        GradCheck.Report coarse = unit.epsilon(0.1).check(fifthPower, Tensor.scalar(1.0));
        GradCheck.Report fine = unit.check(fifthPower, Tensor.scalar(1.0));

        assertEquals(4.9996, coarse.numeric(), 1e-12);
        assertEquals(5.0, coarse.analytic(), 0.0);
        assertFalse(coarse.passed(), coarse.toString());
        assertTrue(fine.passed(), fine.toString());
    }

    @Test
    void theUpstreamGradientIsHonoured() {
        GradCheck.Graph graph = xs -> new WrongAtOutputTwo().apply(xs[0]);
        Tensor x = Tensor.vector(0.5, -1.0, 2.0, 0.25);

        GradCheck.Report masked = GradCheck.defaults().upstream(Tensor.vector(1, 1, 0, 1)).check(graph, x);
        GradCheck.Report exposed = GradCheck.defaults().upstream(Tensor.vector(0, 0, 1, 0)).check(graph, x);

        assertTrue(masked.passed(), "the wrong element gets no upstream gradient: " + masked);
        assertFalse(exposed.passed(), exposed.toString());
        assertEquals(2, exposed.position());
        assertEquals(3.0, exposed.analytic(), 1e-12);
        assertEquals(2.0, exposed.numeric(), 1e-8);
    }

    @Test
    void anUpstreamGradientOfTheWrongShapeThrowsNamingBothShapes() {
        GradCheck check = GradCheck.defaults().upstream(Tensor.zeros(3, 2));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> check.check(xs -> Ops.tanh(xs[0]), A));

        assertTrue(e.getMessage().contains("(3, 2)") && e.getMessage().contains("(2, 3)"), e.getMessage());
    }

    @Test
    void theSeedFixesTheRandomUpstreamGradient() {
        GradCheck.Graph graph = xs -> new OnePercentOffDouble().apply(xs[0]);

        GradCheck.Report first = GradCheck.defaults().seed(5).check(graph, A);
        GradCheck.Report again = GradCheck.defaults().seed(5).check(graph, A);
        GradCheck.Report other = GradCheck.defaults().seed(6).check(graph, A);

        assertEquals(first.toString(), again.toString());
        assertFalse(first.toString().equals(other.toString()), "another seed draws another upstream gradient");
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> GradCheck.defaults().epsilon(0));
        assertThrows(IllegalArgumentException.class, () -> GradCheck.defaults().tolerances(-1e-5, 1e-3));
        assertThrows(IllegalArgumentException.class, () -> GradCheck.defaults().tolerances(1e-5, -1e-3));
    }

    @Test
    void anElementWhoseGradientsAreBothExactlyZeroPassesWithRelativeToleranceOnly() {
        // ReLU at −1: the dead unit's gradient is 0 both ways; the live unit's is matched to rtol.
        GradCheck.Report report = GradCheck.defaults().tolerances(0, 1e-3)
                .check(xs -> Ops.relu(xs[0]), Tensor.vector(-1.0, 2.0));

        assertTrue(report.passed(), report.toString());
    }

    // ---- second order ---------------------------------------------------------------------------------------

    @Test
    void checkSecondOrderCatchesABackwardThatIsRightButNotDifferentiable() {
        GradCheck.Graph graph = xs -> new SigmoidWithConstantDerivative().apply(xs[0]);
        Tensor x = Tensor.vector(-1.5, -0.5, 0.7, 2.0); // σ″ = σ′(1 − 2σ) is far from 0 at all of them

        GradCheck.Report first = GradCheck.defaults().check(graph, x);
        GradCheck.Report second = GradCheck.defaults().checkSecondOrder(graph, x);

        assertTrue(first.passed(), "the first derivative is right: " + first);
        assertFalse(second.passed(), "the second derivative misses σ″: " + second);
        assertEquals(0.0, second.analytic(), 0.0, "a constant derivative has no derivative: " + second);
        assertThrows(AssertionError.class, () -> GradCheck.assertSecondOrderMatches(graph, x));
    }

    @Test
    void checkSecondOrderPassesTheSigmoidWhoseBackwardIsWrittenWithOps() {
        GradCheck.Report report = GradCheck.defaults().checkSecondOrder(xs -> Ops.sigmoid(xs[0]),
                Tensor.vector(-1.5, -0.5, 0.7, 2.0));

        assertTrue(report.passed(), report.toString());
        assertFalse(report.numeric() == 0.0, "the second derivative was really checked: " + report);
    }
    // ---- what it draws and which combinations it tries ------------------------------------------------------

    @Test
    void theRandomUpstreamGradientOfAScalarIsNeverOneButPlusOrMinusOneAndAHalfToThree() {
        boolean positive = false;
        boolean negative = false;
        for (long seed = 0; seed < 200; seed++) {
            double lambda = GradCheck.defaults().seed(seed).upstreamFor(Shape.scalar()).item();
            assertTrue(Math.abs(lambda) >= 1.5 && Math.abs(lambda) <= 3, "seed " + seed + ": " + lambda);
            positive |= lambda > 0;
            negative |= lambda < 0;
        }
        assertTrue(positive && negative, "both signs");
        Tensor u = GradCheck.defaults().seed(3).upstreamFor(Shape.of(50));
        assertTrue(u.toArray().length == 50 && Math.abs(u.mean().item()) < 0.5 && u.max().item() < 5, u.toString());
    }

    @Test
    void aGivenUpstreamGradientOfTheWrongShapeIsRefusedByGradCheckItself() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.defaults().upstream(Tensor.ones(3)).upstreamFor(Shape.of(2, 3)));
        assertEquals("GradCheck: the upstream gradient is (3) but the output is (2, 3): they must have the same shape",
                e.getMessage());
    }

    @Test
    void aNullInputOrAKinkThatIsNotAFiniteNumberIsRefused() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> GradCheck.defaults().check(xs -> Ops.add(xs[0], xs[1]), Tensor.ones(2), null));
        assertEquals("GradCheck: input 1 is null", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GradCheck.defaults().kinkAt(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> GradCheck.defaults().kinkAt(Double.POSITIVE_INFINITY));
    }

    /**
     * Σ of four inputs, whose gradient for input 0 is wrong only when exactly inputs 0 and 1 need gradients: only a
     * check that tries every combination of parameters and constants sees it.
     */
    static final class WrongOnlyForTheFirstTwoOfFour extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].add(xs[1]).add(xs[2]).add(xs[3]); }

        @Override protected Variable[] backward(Variable gy) {
            boolean onlyFirstTwo = needsGrad(0) && needsGrad(1) && !needsGrad(2) && !needsGrad(3);
            Variable[] gxs = new Variable[4];
            for (int i = 0; i < 4; i++) {
                gxs[i] = needsGrad(i) ? (i == 0 && onlyFirstTwo ? gy.mul(2.0) : gy) : null;
            }
            return gxs;
        }
    }

    /** Σ of five inputs, whose gradient for input 2 is wrong only when it alone needs one. */
    static final class WrongForTheMiddleOfFiveAlone extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].add(xs[1]).add(xs[2]).add(xs[3]).add(xs[4]); }

        @Override protected Variable[] backward(Variable gy) {
            boolean alone = needsGrad(2) && !needsGrad(0) && !needsGrad(1) && !needsGrad(3) && !needsGrad(4);
            Variable[] gxs = new Variable[5];
            for (int i = 0; i < 5; i++) {
                gxs[i] = needsGrad(i) ? (i == 2 && alone ? gy.neg() : gy) : null;
            }
            return gxs;
        }
    }

    @Test
    void everyCombinationOfFourInputsIsTriedAndEachOfFiveAlone() {
        Tensor v = Tensor.vector(0.5, -1.0);
        GradCheck.Report four = GradCheck.defaults()
                .check(xs -> new WrongOnlyForTheFirstTwoOfFour().apply(xs), v, v, v, v);
        GradCheck.Report five = GradCheck.defaults()
                .check(xs -> new WrongForTheMiddleOfFiveAlone().apply(xs), v, v, v, v, v);

        assertFalse(four.passed(), four.toString());
        assertTrue(four.toString().contains("(with inputs 2, 3 constant)"), four.toString());
        assertFalse(five.passed(), five.toString());
        assertTrue(five.toString().contains("(with inputs 0, 1, 3, 4 constant)"), five.toString());
    }

    /** y = x whose gradient is −0 instead of dy: the report prints it as 0, not −0. */
    static final class NegativeZeroGradient extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].mul(1.0); }

        @Override protected Variable[] backward(Variable gy) { return grads(gy.mul(-0.0)); }
    }

    @Test
    void theReportPrintsMinusZeroAsZero() {
        GradCheck.Report report = GradCheck.defaults().upstream(Tensor.scalar(1.0))
                .check(xs -> new NegativeZeroGradient().apply(xs[0]), Tensor.scalar(0.5));

        assertTrue(report.toString().contains("analytic 0.000000000, numeric 1.000000000"), report.toString());
    }
}
