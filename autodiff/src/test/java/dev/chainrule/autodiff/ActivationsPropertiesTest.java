package dev.chainrule.autodiff;

import static dev.chainrule.autodiff.PropertyChecks.tensorsOfRankUpTo3;
import static dev.chainrule.autodiff.PropertyChecks.assertClose;
import static dev.chainrule.autodiff.PropertyChecks.assertGradientsMatch;
import static dev.chainrule.autodiff.testing.Properties.assertGradientsMatchAroundKink;
import static dev.chainrule.autodiff.testing.Properties.assertSecondOrderGradientsMatch;
import static dev.chainrule.autodiff.testing.Properties.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.autodiff.testing.Case;
import dev.chainrule.autodiff.testing.Covers;
import dev.chainrule.autodiff.testing.Gens;
import dev.chainrule.autodiff.testing.PropertyTest;
import dev.chainrule.core.Tensor;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;

class ActivationsPropertiesTest {
    private static Gen<Case> cases(String name, UnaryOperator<Variable> activation, Gen<Double> values) {
        return tensorsOfRankUpTo3(values).map(x -> new Case(name, xs -> activation.apply(xs[0]), x));
    }

    /** ReLU and LeakyReLU away from the kink at 0, where the derivative jumps and central differences straddle it. */
    private static Gen<Double> awayFromKink() {
        return Gens.awayFromZero(0.05, 3);
    }

    private static Gen<Case> leakyReluCases(Gen<Double> values) {
        return tensorsOfRankUpTo3(values).zip(Gens.values(0, 1),
                (x, alpha) -> new Case("leakyRelu(x, " + alpha + ")", xs -> Ops.leakyRelu(xs[0], alpha), x));
    }

    // ---- backward against numerical gradients ---------------------------------------------------------------

    @PropertyTest
    @Covers(Activations.Exp.class)
    void expBackwardMatchesNumericalGradient() {
        qt().forAll(cases("exp", Ops::exp, Gens.values(-3, 3)), Gens.seeds())
                .checkAssert(PropertyChecks::assertGradientsMatch);
    }

    @PropertyTest
    @Covers(Activations.Log.class)
    void logBackwardMatchesNumericalGradient() {
        qt().forAll(cases("log", Ops::log, Gens.values(0.3, 3)), Gens.seeds())
                .checkAssert(PropertyChecks::assertGradientsMatch);
    }

    @PropertyTest
    @Covers(Activations.Sigmoid.class)
    void sigmoidBackwardMatchesNumericalGradient() {
        qt().forAll(cases("sigmoid", Ops::sigmoid, Gens.values(-6, 6)), Gens.seeds())
                .checkAssert(PropertyChecks::assertGradientsMatch);
    }

    @PropertyTest
    @Covers(Activations.Tanh.class)
    void tanhBackwardMatchesNumericalGradient() {
        qt().forAll(cases("tanh", Ops::tanh, Gens.values(-3, 3)), Gens.seeds())
                .checkAssert(PropertyChecks::assertGradientsMatch);
    }

    @PropertyTest
    @Covers(Activations.ReLU.class)
    void reluBackwardMatchesNumericalGradientAwayFromTheKink() {
        qt().forAll(cases("relu", Ops::relu, awayFromKink()), Gens.seeds())
                .checkAssert(PropertyChecks::assertGradientsMatch);
    }

    @PropertyTest
    @Covers(Activations.LeakyReLU.class)
    void leakyReluBackwardMatchesNumericalGradientAwayFromTheKink() {
        qt().forAll(leakyReluCases(awayFromKink()), Gens.seeds()).checkAssert(PropertyChecks::assertGradientsMatch);
    }

    // ---- at and around the kink ----------------------------------------------------------------------------
    // One-sided differences never straddle the kink, so points as close to it as 1e-300, and the kink itself,
    // are checked: there the left derivative is the convention, ReLU′(0) = 0 and LeakyReLU′(0) = α.

    @PropertyTest
    @Covers(Activations.ReLU.class)
    void reluMatchesItsDefinitionAndOneSidedDifferencesAtAndAroundTheKink() {
        qt().forAll(cases("relu", Ops::relu, Gens.aroundKink(0))).checkAssert(c -> {
            assertClose("relu", Direct.map(c.input(0), v -> v > 0 ? v : 0), c.graph().apply(Variable.constant(c.input(0))).value(), 0, 0);
            assertGradientsMatchAroundKink(c, 0);
        });
    }

    @PropertyTest
    @Covers(Activations.LeakyReLU.class)
    void leakyReluMatchesItsDefinitionAndOneSidedDifferencesAtAndAroundTheKink() {
        qt().forAll(tensorsOfRankUpTo3(Gens.aroundKink(0)), Gens.values(0, 1)).checkAssert((x, alpha) -> {
            Case c = new Case("leakyRelu(x, " + alpha + ")", xs -> Ops.leakyRelu(xs[0], alpha), x);
            assertClose(c.toString(), Direct.map(x, v -> v > 0 ? v : alpha * v + 0.0),
                    Ops.leakyRelu(Variable.constant(x), alpha).value(), 0, 0);
            assertGradientsMatchAroundKink(c, 0);
        });
    }

    /** The documented values at the kink, exactly: 0 for ReLU and α for LeakyReLU, at +0 and −0 alike. */
    @ParameterizedTest
    @ValueSource(doubles = {0.0, -0.0})
    void theDerivativeAtTheKinkIsZeroForReluAndAlphaForLeakyRelu(double zero) {
        Tensor u = Tensor.vector(1.75);
        assertEquals(0.0, backwardOf(Ops::relu, zero, u), 0.0, "ReLU′(" + zero + ")");
        assertEquals(0.3 * 1.75, backwardOf(x -> Ops.leakyRelu(x, 0.3), zero, u), 0.0, "LeakyReLU′(" + zero + ")");
    }

    /** d(Σ u ⊙ f(x))/dx at a single point. */
    private static double backwardOf(UnaryOperator<Variable> f, double point, Tensor u) {
        Variable x = Variable.parameter(Tensor.vector(point));
        f.apply(x).backward(BackwardOptions.defaults().seed(u));
        return x.grad().value().getFlat(0);
    }

    /** LeakyReLU's backward slope below the kink is the very slope its forward applies: y/x for x < 0. */
    @PropertyTest
    void leakyReluBackwardSlopeIsItsForwardSlope() {
        qt().forAll(tensorsOfRankUpTo3(Gens.awayFromZero(1e-3, 3)), Gens.values(0, 1)).checkAssert((x, alpha) -> {
            Case c = new Case("leakyRelu(x, " + alpha + ")", xs -> Ops.leakyRelu(xs[0], alpha), x);
            Tensor y = c.graph().apply(Variable.constant(x)).value();
            Tensor u = PropertyChecks.upstream(x.shape(), c.seed());
            Tensor forwardSlope = Direct.elementwise(y, x, (yv, xv) -> xv > 0 ? 1 : yv / xv);
            assertClose(c + ": backward slope against forward slope y/x",
                    Direct.elementwise(u, forwardSlope, (a, b) -> a * b), PropertyChecks.gradients(c)[0].value());
        });
    }

    // ---- forward against the definitions -------------------------------------------------------------------

    @PropertyTest
    void activationsForwardMatchTheirDefinitions() {
        qt().forAll(tensorsOfRankUpTo3(Gens.values(-6, 6)), Gens.values(0, 1)).checkAssert((x, alpha) -> {
            assertForward("exp", Ops::exp, Math::exp, x);
            assertForward("sigmoid", Ops::sigmoid, v -> 1 / (1 + Math.exp(-v)), x);
            assertForward("tanh", Ops::tanh, v -> (Math.exp(v) - Math.exp(-v)) / (Math.exp(v) + Math.exp(-v)), x);
            assertForward("relu", Ops::relu, v -> v > 0 ? v : 0, x);
            assertForward("leakyRelu(x, " + alpha + ")", v -> Ops.leakyRelu(v, alpha), v -> v > 0 ? v : alpha * v, x);
            Tensor positive = Direct.map(x, v -> Math.abs(v) + 0.01);
            assertForward("log", Ops::log, v -> Math.log(v), positive);
            assertForward("log of exp", v -> Ops.log(Ops.exp(v)), v -> v, x);
        });
    }

    private static void assertForward(String name, UnaryOperator<Variable> activation, DoubleUnaryOperator definition,
            Tensor x) {
        assertClose(name, Direct.map(x, definition), activation.apply(Variable.parameter(x)).value());
    }

    // ---- invariants ----------------------------------------------------------------------------------------

    @PropertyTest
    void sigmoidIsFiniteWithFiniteGradientForLogitsOfPlusMinus1000() {
        qt().forAll(tensorsOfRankUpTo3(Gens.extremeLogits()), Gens.seeds()).checkAssert((z, seed) ->
                PropertyChecks.assertValueAndGradientsFinite(new Case("sigmoid", xs -> Ops.sigmoid(xs[0]), z), seed));
    }

    @PropertyTest
    void sigmoidStaysInZeroOneAndSigmoidOfMinusXIsOneMinusSigmoidOfX() {
        qt().forAll(tensorsOfRankUpTo3(Gens.extremeLogits())).checkAssert(z -> {
            Tensor y = Ops.sigmoid(Variable.parameter(z)).value();
            Tensor mirrored = Ops.sigmoid(Variable.parameter(z.neg())).value();
            for (int i = 0; i < z.size(); i++) {
                double v = y.getFlat(i);
                if (!(v >= 0 && v <= 1) || Math.abs(v + mirrored.getFlat(i) - 1) > 1e-15) {
                    throw new AssertionError("sigmoid(" + z.getFlat(i) + ") = " + v + " and sigmoid(−x) = "
                            + mirrored.getFlat(i) + ": expected values in [0, 1] that sum to 1");
                }
            }
        });
    }

    // ---- second order --------------------------------------------------------------------------------------

    @PropertyTest
    @Covers(Activations.Exp.class)
    void expSecondOrderGradientsMatch() {
        qt().forAll(cases("exp", Ops::exp, Gens.values(-3, 3))).checkAssert(c -> assertSecondOrderGradientsMatch(c));
    }

    @PropertyTest
    @Covers(Activations.Log.class)
    void logSecondOrderGradientsMatch() {
        qt().forAll(cases("log", Ops::log, Gens.values(0.3, 3))).checkAssert(c -> assertSecondOrderGradientsMatch(c));
    }

    @PropertyTest
    @Covers(Activations.Sigmoid.class)
    void sigmoidSecondOrderGradientsMatch() {
        qt().forAll(cases("sigmoid", Ops::sigmoid, Gens.values(-6, 6)))
                .checkAssert(c -> assertSecondOrderGradientsMatch(c));
    }

    @PropertyTest
    @Covers(Activations.Tanh.class)
    void tanhSecondOrderGradientsMatch() {
        qt().forAll(cases("tanh", Ops::tanh, Gens.values(-3, 3))).checkAssert(c -> assertSecondOrderGradientsMatch(c));
    }

    /**
     * Piecewise linear, so their own second derivative is 0 away from the kink; squared, the gradient reaching them
     * depends on the input, so that their create-graph backward (dy times a constant mask) is differentiated.
     */
    @PropertyTest
    @Covers({Activations.ReLU.class, Activations.LeakyReLU.class})
    void reluAndLeakyReluSecondOrderGradientsMatchAwayFromTheKink() {
        qt().forAll(cases("relu", Ops::relu, awayFromKink()), leakyReluCases(awayFromKink())).checkAssert((relu, leaky) -> {
            assertSecondOrderGradientsMatch(PropertyChecks.squared(relu));
            assertSecondOrderGradientsMatch(PropertyChecks.squared(leaky));
        });
    }

    /** σ″ = σ(1 − σ)(1 − 2σ), by differentiating the create-graph gradient σ′ = σ(1 − σ) once more. */
    @ParameterizedTest
    @ValueSource(doubles = {-4, -1.5, -0.5, 0, 0.3, 1, 2.5})
    void sigmoidSecondDerivativeIsSigmaOneMinusSigmaOneMinusTwoSigma(double point) {
        double s = 1 / (1 + Math.exp(-point));
        assertEquals(s * (1 - s) * (1 - 2 * s), secondDerivative(Ops::sigmoid, point), 1e-12, "σ″(" + point + ")");
    }

    /** tanh″ = −2 tanh (1 − tanh²). */
    @ParameterizedTest
    @ValueSource(doubles = {-3, -1, -0.25, 0, 0.5, 1.2, 2})
    void tanhSecondDerivativeIsMinusTwoTanhOneMinusTanhSquared(double point) {
        double t = Math.tanh(point);
        assertEquals(-2 * t * (1 - t * t), secondDerivative(Ops::tanh, point), 1e-12, "tanh″(" + point + ")");
    }

    /** exp″ = exp. */
    @ParameterizedTest
    @ValueSource(doubles = {-2, -0.5, 0, 1.3})
    void expSecondDerivativeIsExp(double point) {
        assertEquals(Math.exp(point), secondDerivative(Ops::exp, point), 1e-12, "exp″(" + point + ")");
    }

    /** log″ = −1/x². */
    @ParameterizedTest
    @ValueSource(doubles = {0.3, 1, 2.5})
    void logSecondDerivativeIsMinusOneOverXSquared(double point) {
        assertEquals(-1 / (point * point), secondDerivative(Ops::log, point), 1e-12, "log″(" + point + ")");
    }

    /** f″(point): the gradient of Σ f′, where f′ is itself computed with create-graph. */
    private static double secondDerivative(UnaryOperator<Variable> f, double point) {
        Variable x = Variable.parameter(Tensor.scalar(point));
        Variable y = f.apply(x);
        Variable g = Gradients.of(BackwardOptions.defaults().createGraph(), y, x)[0];
        return Gradients.of(Ops.sum(g), x)[0].item();
    }
}
