package dev.chainrule.autodiff;

import static dev.chainrule.autodiff.testing.Properties.qt;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chainrule.autodiff.testing.Gens;
import dev.chainrule.autodiff.testing.PropertyTest;
import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.quicktheories.generators.Generate;

/**
 * Sigmoid, Tanh and SoftmaxCrossEntropy compute a plain (first-order) backward with one fused kernel each, and
 * Affine with its products on the values, without nodes; a create-graph backward runs ops. The ops are the
 * oracle: both must give the same bits, for every choice of which inputs need a gradient and a non-unit upstream
 * gradient. Finite differences check the fused path elsewhere, as every first-order gradient check runs it, and
 * the second-order checks run the ops.
 */
class FusedBackwardTest {
    /**
     * The gradients of f at the inputs, for the inputs marked as parameters (the others constants), once by a
     * plain backward and once with create-graph, from the same upstream gradient; asserts the same bits.
     */
    private static void assertFusedEqualsComposed(String name, java.util.function.Function<Variable[], Variable> f, Tensor[] inputs,
            long seed) {
        for (int mask = 1; mask < 1 << inputs.length; mask++) {
            List<Variable[]> gradients = new ArrayList<>();
            for (BackwardOptions options : List.of(BackwardOptions.defaults(), BackwardOptions.defaults().createGraph())) {
                Variable[] xs = new Variable[inputs.length];
                List<Variable> parameters = new ArrayList<>();
                for (int i = 0; i < xs.length; i++) {
                    xs[i] = (mask & 1 << i) != 0 ? Variable.parameter(inputs[i]) : Variable.constant(inputs[i]);
                    if (xs[i].requiresGrad()) {
                        parameters.add(xs[i]);
                    }
                }
                Variable y = f.apply(xs);
                Tensor upstream = GradCheck.defaults().seed(seed).upstreamFor(y.shape());
                gradients.add(Gradients.of(options.seed(upstream), y, parameters.toArray(Variable[]::new)));
            }
            for (int p = 0; p < gradients.get(0).length; p++) {
                assertArrayEquals(gradients.get(1)[p].value().toArray(), gradients.get(0)[p].value().toArray(),
                        name + ": gradient " + p + " of inputs " + Integer.toBinaryString(mask));
            }
        }
    }

    @PropertyTest
    void sigmoidAndTanh() {
        qt().forAll(Gens.tensors(Gens.shapes(0, 3), Gens.values(-8, 8)), Gens.seeds()).checkAssert((x, seed) -> {
            assertFusedEqualsComposed("sigmoid", xs -> Ops.sigmoid(xs[0]), new Tensor[] {x}, seed);
            assertFusedEqualsComposed("tanh", xs -> Ops.tanh(xs[0]), new Tensor[] {x}, seed);
        });
    }

    @PropertyTest
    void softmaxCrossEntropy() {
        qt().forAll(Gens.shapes(1, 3).flatMap(shape -> Gens.tensors(List.of(shape, shape), Gens.values(-30, 30))),
                Gens.seeds()).checkAssert((zt, seed) -> assertFusedEqualsComposed("softmaxCrossEntropy",
                        xs -> Ops.softmaxCrossEntropy(xs[0], xs[1]), zt, seed));
    }

    /** The softmax that the loss keeps for its plain backward serves a second backward through a retained graph. */
    @PropertyTest
    void softmaxCrossEntropyBackpropagatesTwiceThroughARetainedGraph() {
        Variable z = Variable.parameter(Tensor.normal(Randoms.seeded(3), 0, 2, Shape.of(4, 3)));
        Variable loss = Ops.softmaxCrossEntropy(z, 2, 0, 1, 1);
        Tensor once = Gradients.of(BackwardOptions.defaults().createGraph().retainGraph(), loss, z)[0].value();
        loss.backward(BackwardOptions.defaults().retainGraph());
        assertArrayEquals(once.toArray(), z.grad().value().toArray(), "the first plain backward");
        loss.backward();
        assertArrayEquals(once.mul(2.0).toArray(), z.grad().value().toArray(), "the second, added to the first");
    }

    @PropertyTest
    void affine() {
        qt().forAll(Generate.range(1, 5), Generate.range(1, 5), Generate.range(1, 5), Gens.seeds())
                .checkAssert((m, k, n, seed) -> {
                    Tensor x = Tensor.normal(Randoms.seeded(seed), 0, 1, Shape.of(m, k));
                    Tensor w = Tensor.normal(Randoms.seeded(~seed), 0, 1, Shape.of(k, n));
                    Tensor b = Tensor.normal(Randoms.seeded(seed * 7), 0, 1, Shape.of(n));
                    assertFusedEqualsComposed("affine", xs -> Ops.affine(xs[0], xs[1], xs[2]), new Tensor[] {x, w, b},
                            seed);
                });
    }

    @PropertyTest
    void softmaxCrossEntropyWithLabelsInANetwork() {
        qt().forAll(Generate.range(1, 5), Generate.range(1, 4), Generate.range(2, 5), Gens.seeds())
                .checkAssert((rows, hidden, classes, seed) -> {
                    Tensor x = Tensor.normal(Randoms.seeded(seed), 0, 1, Shape.of(rows, 3));
                    Tensor w = Tensor.normal(Randoms.seeded(~seed), 0, 1, Shape.of(3, classes));
                    int[] labels = new int[rows];
                    for (int i = 0; i < rows; i++) {
                        labels[i] = (int) Math.floorMod(seed + i, classes);
                    }
                    assertFusedEqualsComposed("a sigmoid layer into softmax cross-entropy", xs -> Ops.softmaxCrossEntropy(
                            Ops.matmul(Ops.sigmoid(xs[0]), xs[1]), labels), new Tensor[] {x, w}, seed);
                });
    }

    /** A sigmoid whose plain backward is reassociated, gy·(y·(1 − y)): one rounding away from its ops. */
    private static final class ReassociatedSigmoid extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].sigmoid(); }

        @Override protected Variable[] backward(Variable gy) {
            Variable y = output();
            if (!GradMode.isEnabled()) {
                Tensor value = y.value();
                return grads(Variable.constant(gy.value().mul(value.mul(Tensor.ones(value.shape()).sub(value)))));
            }
            return grads(gy.mul(y).mul(Ops.oneMinus(y)));
        }
    }

    /** Negative control: the comparison fails a plain backward one rounding away from the ops. */
    @PropertyTest
    void aPlainBackwardOneRoundingAwayFails() {
        Tensor x = Tensor.normal(Randoms.seeded(5), 0, 2, Shape.of(64));
        assertThrows(AssertionError.class, () -> assertFusedEqualsComposed("reassociated sigmoid",
                xs -> new ReassociatedSigmoid().apply(xs[0]), new Tensor[] {x}, 5));
    }
}
