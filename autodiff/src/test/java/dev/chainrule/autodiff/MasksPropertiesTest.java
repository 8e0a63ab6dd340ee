package dev.chainrule.autodiff;

import static dev.chainrule.autodiff.PropertyChecks.tensorsOfRankUpTo3;
import static dev.chainrule.autodiff.PropertyChecks.forward;
import static dev.chainrule.autodiff.PropertyChecks.assertClose;
import static dev.chainrule.autodiff.PropertyChecks.assertGradientShapesMatchInputs;
import static dev.chainrule.autodiff.PropertyChecks.squared;
import static dev.chainrule.autodiff.testing.Properties.assertGradientsMatchAroundKink;
import static dev.chainrule.autodiff.testing.Properties.assertSecondOrderGradientsMatch;
import static dev.chainrule.autodiff.testing.Properties.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.autodiff.testing.Case;
import dev.chainrule.autodiff.testing.Covers;
import dev.chainrule.autodiff.testing.Gens;
import dev.chainrule.autodiff.testing.PropertyTest;
import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.apache.commons.math3.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Abs, Clip, Where, Max, Min and Dropout: nodes whose derivative is a constant mask. Away from their kinks and
 * ties, GradCheck with central differences; at and around the kinks, one-sided differences; at the kinks and
 * ties themselves, the documented values exactly.
 */
class MasksPropertiesTest {
    private static Case abs(Tensor x) {
        return new Case("abs", xs -> Ops.abs(xs[0]), x);
    }

    /** x and the bounds [low, high] to clip it to. */
    private record Clipping(Tensor x, double low, double high) {
        Case clip() {
            return new Case("clip to [" + low + ", " + high + "]", xs -> Ops.clip(xs[0], low, high), x);
        }

        Tensor definition() {
            return Direct.map(x, v -> v < low ? low : v > high ? high : v);
        }
    }

    /** Bounds low in [−2, 0] and high = low + [minWidth, 2], and x drawn from {@code values(low, high)}. */
    private static Gen<Clipping> clippings(double minWidth, BiFunction<Double, Double, Gen<Double>> values) {
        return Gens.values(-2, 0).zip(Gens.values(minWidth, 2), (low, width) -> new double[] {low, low + width})
                .flatMap(b -> tensorsOfRankUpTo3(values.apply(b[0], b[1])).map(x -> new Clipping(x, b[0], b[1])));
    }

    /** Values in [−3, 3] at least 0.05 from both bounds, in each of the three pieces. */
    private static Gen<Double> awayFromBounds(double low, double high) {
        return Gens.values(low + 0.05, high - 0.05).mix(Gens.values(-3, low - 0.05), 33).mix(Gens.values(high + 0.05, 3), 33);
    }

    /** A constant 0/1 condition and the operands a and b. */
    private record Choosing(Tensor condition, Tensor a, Tensor b) {
        Case where() {
            return new Case("where " + condition.shape() + " " + condition, xs -> Ops.where(condition, xs[0], xs[1]), a, b);
        }
    }

    /** Condition, a and b of three shapes that broadcast to one, each possibly smaller than it. */
    private static Gen<Choosing> choosings(int maxRank) {
        return Gens.shapes(0, maxRank).flatMap(full -> Gens.broadcastingTo(full).zip(Gens.broadcastingTo(full),
                Gens.broadcastingTo(full), List::of)).flatMap(shapes -> Gens.tensors(shapes.get(0),
                Generate.pick(List.of(0.0, 1.0))).zip(Gens.tensors(shapes.subList(1, 3), Gens.values(-2, 2)),
                (condition, ab) -> new Choosing(condition, ab[0], ab[1])));
    }

    /**
     * Distinct values at least 0.1 apart (a permutation of 0, 0.5, 1, … plus jitter below 0.4), so that no
     * difference of GradCheck's (at most 2ε = 0.002) moves the arg-max or arg-min.
     */
    private static Gen<Tensor> withoutTies(Shape shape) {
        return Gens.permutations(shape.size()).zip(Gens.tensors(shape, Gens.values(0, 0.4)), (order, jitter) -> {
            double[] values = jitter.toArray();
            for (int i = 0; i < values.length; i++) {
                values[i] += 0.5 * order[i] - shape.size() / 4.0;
            }
            return Tensor.of(shape, values);
        });
    }

    /** Values from {−1, 0, 1}: ties in most groups. */
    private static Gen<Tensor> withTies(Shape shape) {
        return Gens.tensors(shape, Generate.pick(List.of(-1.0, 0.0, 1.0)));
    }

    /** x, a dropout probability p in [0, 0.9] and the seed of the mask's generator. */
    private record Dropping(Tensor x, double p, long seed) {
        /** A fresh generator from the seed at every forward, so that every perturbed forward draws the same mask. */
        Case dropout() {
            return new Case("dropout " + p + " with seed " + seed, xs -> Ops.dropout(xs[0], p, Randoms.seeded(seed)), x);
        }
    }

    private static Gen<Dropping> droppings() {
        return tensorsOfRankUpTo3(Gens.values(-2, 2)).zip(Gens.values(0, 0.9), Gens.seeds(), Dropping::new);
    }

    // ---- backward against numerical gradients ---------------------------------------------------------------

    @PropertyTest
    @Covers(Masks.Abs.class)
    void absBackwardMatchesNumericalGradientAwayFromTheKink() {
        qt().forAll(tensorsOfRankUpTo3(Gens.awayFromZero(0.05, 3)), Gens.seeds())
                .checkAssert((x, seed) -> PropertyChecks.assertGradientsMatch(abs(x), seed));
    }

    @PropertyTest
    @Covers(Masks.Clip.class)
    void clipBackwardMatchesNumericalGradientAwayFromTheBounds() {
        qt().forAll(clippings(0.5, MasksPropertiesTest::awayFromBounds), Gens.seeds())
                .checkAssert((c, seed) -> PropertyChecks.assertGradientsMatch(c.clip(), seed));
    }

    @PropertyTest
    @Covers(Masks.Where.class)
    void whereBackwardMatchesNumericalGradientSummedBackToEachOperandsShape() {
        qt().forAll(choosings(3), Gens.seeds()).checkAssert((w, seed) -> {
            PropertyChecks.assertGradientsMatch(w.where(), seed);
            assertGradientShapesMatchInputs(w.where(), seed);
        });
    }

    @PropertyTest
    @Covers({Masks.Max.class, Masks.Min.class})
    void maxAndMinBackwardMatchNumericalGradientAwayFromTies() {
        qt().forAll(Reduction.reductions(3, MasksPropertiesTest::withoutTies), Gens.seeds()).checkAssert((e, seed) -> {
            PropertyChecks.assertGradientsMatch(e.toCase("max", Ops::max), seed);
            PropertyChecks.assertGradientsMatch(e.toCase("min", Ops::min), seed);
        });
    }

    @PropertyTest
    @Covers(Masks.Dropout.class)
    void dropoutBackwardMatchesNumericalGradientForAFixedSeed() {
        qt().forAll(droppings(), Gens.seeds()).checkAssert((d, seed) -> PropertyChecks.assertGradientsMatch(d.dropout(), seed));
    }

    // ---- second order --------------------------------------------------------------------------------------
    // Each is linear wherever it is differentiable: squared, the gradient reaching it depends on the input, so that
    // its create-graph backward (dy times a constant mask) is differentiated.

    @PropertyTest
    @Covers({Masks.Abs.class, Masks.Clip.class})
    void absAndClipSecondOrderGradientsMatchAwayFromTheKinks() {
        qt().forAll(tensorsOfRankUpTo3(Gens.awayFromZero(0.05, 3)), clippings(0.5, MasksPropertiesTest::awayFromBounds))
                .checkAssert((x, c) -> {
                    assertSecondOrderGradientsMatch(squared(abs(x)));
                    assertSecondOrderGradientsMatch(squared(c.clip()));
                });
    }

    @PropertyTest
    @Covers(Masks.Where.class)
    void whereSecondOrderGradientsMatch() {
        qt().forAll(choosings(2)).checkAssert(w -> assertSecondOrderGradientsMatch(squared(w.where())));
    }

    @PropertyTest
    @Covers({Masks.Max.class, Masks.Min.class, Masks.Dropout.class})
    void maxMinAndDropoutSecondOrderGradientsMatch() {
        qt().forAll(Reduction.reductions(2, MasksPropertiesTest::withoutTies), droppings()).checkAssert((e, d) -> {
            assertSecondOrderGradientsMatch(squared(e.toCase("max", Ops::max)));
            assertSecondOrderGradientsMatch(squared(e.toCase("min", Ops::min)));
            assertSecondOrderGradientsMatch(squared(d.dropout()));
        });
    }

    // ---- at and around the kinks ---------------------------------------------------------------------------
    // One-sided differences never straddle a kink, so points as close to it as 1e-300 are checked. At the kink
    // itself they measure the left derivative: right for clip at high (1), not for abs at 0 (−1, but abs′(0) = 0)
    // nor clip at low (0, but the gradient passes at the bounds): there the values are checked exactly, below.

    @PropertyTest
    @Covers(Masks.Abs.class)
    void absMatchesItsDefinitionAndOneSidedDifferencesAroundTheKink() {
        qt().forAll(tensorsOfRankUpTo3(Gens.nearKink(0))).checkAssert(x -> {
            assertClose("abs", Direct.map(x, v -> v < 0 ? -v : v), Ops.abs(Variable.constant(x)).value(), 0, 0);
            assertGradientsMatchAroundKink(abs(x), 0);
        });
    }

    @PropertyTest
    @Covers(Masks.Clip.class)
    void clipMatchesItsDefinitionAndOneSidedDifferencesAroundBothBounds() {
        qt().forAll(clippings(1.5, (low, high) -> Gens.nearKink(low)), clippings(1.5, (low, high) -> Gens.aroundKink(high)))
                .checkAssert((atLow, atHigh) -> {
                    assertClose(atLow.clip().toString(), atLow.definition(), forward(atLow.clip()), 0, 0);
                    assertGradientsMatchAroundKink(atLow.clip(), atLow.low());
                    assertClose(atHigh.clip().toString(), atHigh.definition(), forward(atHigh.clip()), 0, 0);
                    assertGradientsMatchAroundKink(atHigh.clip(), atHigh.high());
                });
    }

    /** abs′(0) = 0 at +0 and −0, as PyTorch's sgn(0) = 0: neither one-sided derivative (−1 and 1). */
    @ParameterizedTest
    @ValueSource(doubles = {0.0, -0.0})
    void theGradientOfAbsAtZeroIsZero(double zero) {
        assertEquals(List.of(0.0, -1.75, 1.75), gradient(Ops::abs, Tensor.vector(zero, -2, 3), Tensor.vector(1.75, 1.75, 1.75)));
    }

    /** At the bounds the gradient passes, as PyTorch's clamp lets it ((x ≥ low) ∧ (x ≤ high)); outside it does not. */
    @Test
    void theGradientOfClipPassesAtBothBoundsAndStopsOutside() {
        Tensor x = Tensor.vector(-1, -1.5, 0.25, 2, 2.5, Math.nextDown(-1.0), Math.nextUp(2.0));
        assertEquals(List.of(1.5, 0.0, 1.5, 1.5, 0.0, 0.0, 0.0), gradient(v -> Ops.clip(v, -1, 2), x, Tensor.full(x.shape(), 1.5)));
    }

    // ---- ties ----------------------------------------------------------------------------------------------

    /**
     * With ties in most groups, the whole gradient of each group goes to its first largest (smallest) element in
     * row-major order, exactly: for one axis the lowest index along it, as PyTorch's max(x, dim) sends it.
     */
    @PropertyTest
    @Covers({Masks.Max.class, Masks.Min.class})
    void atTiesTheGradientGoesToTheFirstArgMaxAndTheFirstArgMin() {
        qt().forAll(Reduction.reductions(3, MasksPropertiesTest::withTies), Gens.seeds()).checkAssert((e, seed) -> {
            assertTiesGoFirst(e.toCase("max", Ops::max), true, e, seed);
            assertTiesGoFirst(e.toCase("min", Ops::min), false, e, seed);
        });
    }

    private static void assertTiesGoFirst(Case c, boolean largest, Reduction e, long seed) {
        Tensor u = PropertyChecks.upstream(forward(c).shape(), seed);
        Shape kept = e.x().shape().reduce("kept", true, e.axes());
        Tensor expected = Direct.elementwise(Direct.firstExtremeMask(e.x(), largest, e.axes()),
                Direct.broadcastTo(u.reshape(kept), e.x().shape()), (m, g) -> m * g);
        assertClose(c + ": gradient with ties", expected, PropertyChecks.gradients(c, seed)[0].value(), 0, 0);
    }

    @Test
    void maxAndMinOfAVectorWithTiesSendTheGradientToTheFirst() {
        Tensor x = Tensor.vector(1, 3, 3, -2, -2);
        Tensor u = Tensor.scalar(2.5);
        assertEquals(List.of(0.0, 2.5, 0.0, 0.0, 0.0), gradient(Ops::max, x, u));
        assertEquals(List.of(0.0, 0.0, 0.0, 2.5, 0.0), gradient(Ops::min, x, u));
        Tensor columns = Tensor.matrix(new double[] {4, 1}, new double[] {4, 7});
        assertEquals(List.of(1.0, 0.0, 0.0, 2.0), gradient(v -> Ops.max(v, false, 0), columns, Tensor.vector(1, 2)));
    }

    // ---- forward against the definitions -------------------------------------------------------------------

    @PropertyTest
    void maxAndMinForwardMatchTheirDefinitions() {
        qt().forAll(Reduction.reductions(4, shape -> Gens.tensors(shape, Gens.values(-2, 2)))).checkAssert(e -> {
            assertClose(e.toCase("max", Ops::max).toString(), Direct.max(e.x(), e.keepDims(), e.axes()), forward(e.toCase("max", Ops::max)), 0, 0);
            assertClose(e.toCase("min", Ops::min).toString(), Direct.min(e.x(), e.keepDims(), e.axes()), forward(e.toCase("min", Ops::min)), 0, 0);
            Variable x = Variable.constant(e.x());
            assertClose("max of all of " + e.x(), Direct.max(e.x(), false), Ops.max(x).value(), 0, 0);
            assertClose("min of all of " + e.x(), Direct.min(e.x(), false), Ops.min(x).value(), 0, 0);
        });
    }

    @PropertyTest
    void whereForwardMatchesItsDefinition() {
        qt().forAll(choosings(4)).checkAssert(w -> assertClose(w.where().toString(),
                Direct.where(w.condition(), w.a(), w.b()), forward(w.where()), 0, 0));
    }

    @Test
    void whereRefusesShapesThatDoNotBroadcastNamingAllThree() {
        Variable a = Variable.parameter(Tensor.zeros(4)).named("a");
        Variable b = Variable.parameter(Tensor.zeros(3)).named("b");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ops.where(Tensor.ones(2, 3), a, b));
        assertEquals("Where(a (4), b (3)): condition (2, 3), a (4) and b (3) do not broadcast to a common shape",
                e.getMessage());
        PropertyChecks.assertRefused("where", () -> Ops.where(Tensor.ones(2, 3), Variable.constant(Tensor.zeros(3, 1)),
                Variable.constant(Tensor.zeros(1))), Shape.of(2, 3), Shape.of(3, 1), Shape.of(1));
        PropertyChecks.assertRefused("where", () -> Ops.where(Tensor.vector(0.5, 1), Variable.constant(Tensor.zeros(2)),
                Variable.constant(Tensor.zeros(2))), Shape.of(2));
    }

    /** The element not chosen does not show, NaN and infinity included, in the value or in either gradient. */
    @Test
    void whereIgnoresNaNAndInfinityInTheElementNotChosen() {
        Variable a = Variable.parameter(Tensor.vector(2, Double.NaN));
        Variable b = Variable.parameter(Tensor.vector(Double.POSITIVE_INFINITY, 3));
        Variable y = Ops.where(Tensor.vector(1, 0), a, b);
        Ops.sum(Ops.mul(y, y)).backward();
        assertEquals(Tensor.vector(2, 3), y.value());
        assertEquals(Tensor.vector(4, 0), a.grad().value());
        assertEquals(Tensor.vector(0, 6), b.grad().value());
    }

    // ---- dropout ---------------------------------------------------------------------------------------------

    /**
     * Over n = 10 000 elements the share kept is 1 − p within 6 standard deviations, √(p(1 − p) / n) each, plus 5
     * elements for p so small that the count dropped is Poisson rather than normal: a false failure is rarer than
     * one in 10⁸ runs. Every element is 0 or x / (1 − p), so the mean is kept in expectation.
     */
    @PropertyTest
    void dropoutKeepsAShareOfOneMinusPAndScalesWhatItKeepsByOneOverOneMinusP() {
        qt().forAll(Gens.values(0, 0.95), Gens.seeds()).checkAssert((p, seed) -> {
            Tensor x = Tensor.uniform(Randoms.seeded(seed + 1), 0.5, 2, Shape.of(100, 100));
            Tensor y = Ops.dropout(Variable.constant(x), p, Randoms.seeded(seed)).value();
            int kept = 0;
            for (int i = 0; i < x.size(); i++) {
                double v = y.getFlat(i);
                if (v != 0 && v != x.getFlat(i) / (1 - p) && v != x.getFlat(i) * (1 / (1 - p))) {
                    throw new AssertionError("dropout " + p + ": element " + i + " is " + v + ", neither 0 nor "
                            + x.getFlat(i) + " / (1 − p)");
                }
                kept += v != 0 ? 1 : 0;
            }
            double share = kept / (double) x.size();
            double tolerance = 6 * Math.sqrt(p * (1 - p) / x.size()) + 5.0 / x.size();
            assertTrue(Math.abs(share - (1 - p)) <= tolerance, "dropout " + p + " with seed " + seed + " kept "
                    + share + " of the elements; expected " + (1 - p) + " ± " + tolerance);
        });
    }

    @Test
    void dropoutWithPZeroIsTheIdentityAndDrawsNothing() {
        Tensor x = Tensor.matrix(new double[] {1.5, -0.0, Double.NaN}, new double[] {Double.POSITIVE_INFINITY, -3, 1e-300});
        RandomGenerator random = Randoms.seeded(9);
        Variable parameter = Variable.parameter(x);
        Variable y = Ops.dropout(parameter, 0, random);
        y.backward(BackwardOptions.defaults().seed(Tensor.full(x.shape(), 2)));
        assertEquals(x, y.value());
        assertEquals(Tensor.full(x.shape(), 2), parameter.grad().value());
        assertEquals(Randoms.seeded(9).nextDouble(), random.nextDouble(), "p = 0 draws nothing");
    }

    @Test
    void dropoutDrawsAFreshMaskAtEachCallAndTheSameOneFromTheSameSeed() {
        Variable x = Variable.constant(Tensor.ones(10, 10));
        RandomGenerator random = Randoms.seeded(4);
        Tensor first = Ops.dropout(x, 0.5, random).value();
        assertTrue(!first.equals(Ops.dropout(x, 0.5, random).value()), "a second call draws another mask");
        assertEquals(first, Ops.dropout(x, 0.5, Randoms.seeded(4)).value());
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1, 1.5, Double.NaN})
    void dropoutRefusesAProbabilityOutsideZeroToOne(double p) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ops.dropout(Variable.parameter(Tensor.ones(2)), p, Randoms.seeded(1)));
        assertEquals("dropout: p " + p + " must be in [0, 1)", e.getMessage());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** d(Σ u ⊙ f(x))/dx, element by element. */
    private static List<Double> gradient(UnaryOperator<Variable> f, Tensor x, Tensor u) {
        Variable parameter = Variable.parameter(x);
        f.apply(parameter).backward(BackwardOptions.defaults().seed(u));
        return Arrays.stream(parameter.grad().value().toArray()).boxed().toList();
    }
}
