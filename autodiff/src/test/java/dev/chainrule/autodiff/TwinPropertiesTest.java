package dev.chainrule.autodiff;

import static dev.chainrule.autodiff.PropertyChecks.tensorsOfRankUpTo3;
import static dev.chainrule.autodiff.PropertyChecks.assertSameAsTwin;
import static dev.chainrule.autodiff.PropertyChecks.squared;
import static dev.chainrule.autodiff.testing.Properties.qt;

import dev.chainrule.autodiff.LinearAlgebra.Form;
import dev.chainrule.autodiff.testing.Case;
import dev.chainrule.autodiff.testing.Gens;
import dev.chainrule.autodiff.testing.PropertyTest;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Exact oracles: each node against its composed twin, the same function built from other nodes. They must agree to
 * rounding (1e-9) in value, first and second derivatives, so that a derivative off by far less than finite
 * differences could see (Mean's 1/n, a slope, a transposed product) fails. The fused losses and Affine have their
 * twins in their own property classes.
 */
class TwinPropertiesTest {
    private static void assertTwins(Tensor x, String name, UnaryOperator<Variable> node, UnaryOperator<Variable> twin) {
        assertSameAsTwin(new Case(name, xs -> node.apply(xs[0]), x), new Case("twin of " + name, xs -> twin.apply(xs[0]), x));
    }

    @PropertyTest
    void meanIsSumOverTheCount() {
        qt().forAll(Reduction.reductions(4)).checkAssert(a -> {
                    double count = (double) a.x().size() / a.x().sum(a.keepDims(), a.axes()).size();
                    UnaryOperator<Variable> mean = v -> Ops.mean(v, a.keepDims(), a.axes());
                    UnaryOperator<Variable> sumOverCount = v -> Ops.mul(Ops.sum(v, a.keepDims(), a.axes()), 1 / count);
                    // squared, so that the second derivatives are not all zero
                    assertTwins(a.x(), "mean", v -> Ops.mul(mean.apply(v), mean.apply(v)),
                            v -> Ops.mul(sumOverCount.apply(v), sumOverCount.apply(v)));
                });
    }

    @PropertyTest
    void elementwiseNodesEqualTheirTwins() {
        qt().forAll(tensorsOfRankUpTo3(Gens.values(-3, 3))).checkAssert(x -> {
            assertTwins(x, "neg", Ops::neg, v -> Ops.mul(v, -1.0));
            assertTwins(x, "sigmoid", Ops::sigmoid,
                    v -> Ops.div(Variable.constant(1.0), Ops.add(Ops.exp(Ops.neg(v)), 1.0)));
            assertTwins(x, "tanh", Ops::tanh, v -> Ops.add(Ops.mul(Ops.sigmoid(Ops.mul(v, 2.0)), 2.0), -1.0));
            assertTwins(x, "pow 3", v -> Ops.pow(v, 3), v -> Ops.mul(Ops.mul(v, v), v));
            Tensor positive = x.map(v -> Math.abs(v) + 0.2);
            assertTwins(positive, "pow 2.5", v -> Ops.pow(v, 2.5), v -> Ops.exp(Ops.mul(Ops.log(v), 2.5)));
            assertTwins(positive, "log of exp", v -> Ops.log(Ops.exp(v)), v -> Ops.mul(v, 1.0));
        });
    }

    @PropertyTest
    void subAndDivEqualAddingTheNegationAndMultiplyingByTheReciprocal() {
        qt().forAll(Gens.shapes(0, 3).flatMap(shape -> Gens.tensors(List.of(shape, shape), Gens.values(0.5, 3))))
                .checkAssert(ab -> {
                    Case sub = new Case("sub", xs -> Ops.sub(xs[0], xs[1]), ab);
                    assertSameAsTwin(PropertyChecks.squared(sub),
                            PropertyChecks.squared(new Case("a + (−b)", xs -> Ops.add(xs[0], Ops.neg(xs[1])), ab)));
                    assertSameAsTwin(new Case("div", xs -> Ops.div(xs[0], xs[1]), ab),
                            new Case("a · b⁻¹", xs -> Ops.mul(xs[0], Ops.pow(xs[1], -1)), ab));
                });
    }

    @PropertyTest
    void softmaxAndLogSoftmaxEqualTheirDefinitions() {
        qt().forAll(Gens.tensors(Gens.shapes(1, 3), Gens.values(-5, 5))).checkAssert(z -> {
            assertTwins(z, "softmax", Ops::softmax, v -> {
                Variable e = Ops.exp(v);
                return Ops.div(e, Ops.sum(e, true, -1));
            });
            assertTwins(z, "logSoftmax", Ops::logSoftmax, v -> Ops.sub(v, Ops.log(Ops.sum(Ops.exp(v), true, -1))));
        });
    }

    @PropertyTest
    void meanSquaredErrorIsHalfTheSumOfSquaredDifferences() {
        qt().forAll(Gens.shapes(0, 3).flatMap(shape -> Gens.tensors(List.of(shape, shape), Gens.values(-2, 2))))
                .checkAssert(ot -> assertSameAsTwin(new Case("meanSquaredError", xs -> Ops.meanSquaredError(xs[0], xs[1]), ot),
                        new Case("½ Σ (o − t)²", xs -> {
                            Variable d = Ops.sub(xs[0], xs[1]);
                            return Ops.mul(Ops.sum(Ops.mul(d, d)), 0.5);
                        }, ot)));
    }

    /** Aᵀ·B and A·Bᵀ equal the plain product of an explicitly transposed operand. */
    @PropertyTest
    void transposedProductsEqualTheProductOfATransposedOperand() {
        Gen<Integer> dim = Gens.dims(Gens.MAX_DIM);
        qt().forAll(dim.zip(dim, dim, (m, k, n) -> new int[] {m, k, n}).flatMap(mkn -> Gens.tensors(
                List.of(Shape.of(mkn[1], mkn[0]), Shape.of(mkn[1], mkn[2]), Shape.of(mkn[0], mkn[1]), Shape.of(mkn[2], mkn[1])),
                Gens.values(-2, 2)))).checkAssert(ts -> {
                    assertSameAsTwin(PropertyChecks.squared(new Case(Form.TRANS_A + " product", xs -> Ops.matmulTransA(xs[0], xs[1]), ts[0], ts[1])),
                            PropertyChecks.squared(new Case("Aᵀ then product", xs -> Ops.matmul(Ops.transpose(xs[0]), xs[1]), ts[0], ts[1])));
                    assertSameAsTwin(PropertyChecks.squared(new Case(Form.TRANS_B + " product", xs -> Ops.matmulTransB(xs[0], xs[1]), ts[2], ts[3])),
                            PropertyChecks.squared(new Case("Bᵀ then product", xs -> Ops.matmul(xs[0], Ops.transpose(xs[1])), ts[2], ts[3])));
                });
    }

    /** One tensor in a case of its own, squared so that the second derivatives are not all zero. */
    private static Case squaredCase(String name, Tensor x, UnaryOperator<Variable> f) {
        return squared(new Case(name, xs -> f.apply(xs[0]), x));
    }

    /** abs(x) = x ⊙ sign(x), sign(x) a constant: so abs′(0) = sign(0) = 0 for both. Zeros are drawn often. */
    @PropertyTest
    void absIsXTimesItsConstantSign() {
        qt().forAll(tensorsOfRankUpTo3(Gens.values(-3, 3).mix(Generate.pick(List.of(0.0, -0.0)), 20))).checkAssert(x ->
                assertSameAsTwin(squaredCase("abs", x, Ops::abs),
                        squaredCase("x ⊙ sign(x)", x, v -> Ops.mul(v, Variable.constant(x.map(Math::signum))))));
    }

    /**
     * clip(x, −1, 2) = where(−1 ≤ x ≤ 2, x, the bound x passed), the conditions constants: the same values, and the
     * gradient 1 at the bounds, where the condition holds. The bounds themselves are drawn often.
     */
    @PropertyTest
    void clipIsXWithinTheBoundsAndTheBoundItPassedOutside() {
        qt().forAll(tensorsOfRankUpTo3(Gens.values(-3, 3).mix(Generate.pick(List.of(-1.0, 2.0)), 30))).checkAssert(x -> {
            Tensor inside = x.map(v -> -1 <= v && v <= 2 ? 1 : 0);
            Variable bound = Variable.constant(x.map(v -> v < -1 ? -1 : 2));
            assertSameAsTwin(squaredCase("clip to [−1, 2]", x, v -> Ops.clip(v, -1, 2)),
                    squaredCase("where within [−1, 2]", x, v -> Ops.where(inside, v, bound)));
        });
    }

    /** min(x) = −max(−x) over the same axes, ties included: −x's first arg-max is x's first arg-min. */
    @PropertyTest
    void minIsMinusTheMaxOfMinusXTiesIncluded() {
        qt().forAll(Reduction.reductions(3, shape -> Gens.tensors(shape, Generate.pick(List.of(-1.0, 0.0, 0.5, 1.0)))))
                .checkAssert(a ->
                assertSameAsTwin(squaredCase("min", a.x(), v -> Ops.min(v, a.keepDims(), a.axes())),
                        squaredCase("−max(−x)", a.x(), v -> Ops.neg(Ops.max(Ops.neg(v), a.keepDims(), a.axes())))));
    }

    /** Parts of one shape and where the new axis goes, in [0, rank]. */
    private record Stacking(int axis, Tensor[] parts) {}

    /** stack(axis, x₀, x₁, …) = concat(axis, x₀, x₁, …) of the inputs each reshaped to have a size-1 axis there. */
    @PropertyTest
    void stackIsConcatOfTheInputsEachGivenASizeOneAxis() {
        qt().forAll(Gens.shapes(0, 2).flatMap(shape -> Generate.range(0, shape.rank()).zip(Generate.range(1, 3),
                (axis, count) -> new int[] {axis, count}).flatMap(spec -> Gens.tensors(Collections.nCopies(spec[1], shape),
                Gens.values(-2, 2)).map(parts -> new Stacking(spec[0], parts))))).checkAssert(s -> {
                    List<Integer> dims = new ArrayList<>();
                    Arrays.stream(s.parts()[0].shape().dims()).forEach(dims::add);
                    dims.add(s.axis(), 1);
                    Shape withAxis = Shape.of(dims.stream().mapToInt(Integer::intValue).toArray());
                    assertSameAsTwin(squared(new Case("stack along " + s.axis(), xs -> Ops.stack(s.axis(), xs), s.parts())),
                            squared(new Case("concat of reshaped", xs -> Ops.concat(s.axis(), Arrays.stream(xs)
                                    .map(x -> Ops.reshape(x, withAxis)).toArray(Variable[]::new)), s.parts())));
                });
    }

    /** x and a position along one of its axes. */
    private record Taking(Tensor x, int axis, int position) {}

    /** index(x, axis, i) = slice(x, axis, i, i + 1) reshaped without that axis. */
    @PropertyTest
    void indexIsASliceOfOneReshapedWithoutTheAxis() {
        qt().forAll(Gens.shapes(1, 3).flatMap(shape -> Generate.range(0, shape.rank() - 1).flatMap(axis -> Generate
                .range(0, shape.dim(axis) - 1).zip(Gens.tensors(shape, Gens.values(-2, 2)),
                        (position, x) -> new Taking(x, axis, position))))).checkAssert(t -> {
                    int i = t.position();
                    Shape without = t.x().shape().reduce("index", false, t.axis());
                    assertSameAsTwin(squaredCase("index " + i + " along " + t.axis(), t.x(), v -> Ops.index(v, t.axis(), i)),
                            squaredCase("slice reshaped", t.x(), v -> Ops.reshape(Ops.slice(v, t.axis(), i, i + 1), without)));
                });
    }
}
