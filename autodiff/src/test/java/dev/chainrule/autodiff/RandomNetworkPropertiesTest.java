package dev.chainrule.autodiff;

import static dev.chainrule.autodiff.testing.Properties.assertSecondOrderGradientsMatch;
import static dev.chainrule.autodiff.testing.Properties.qt;

import dev.chainrule.autodiff.testing.Case;
import dev.chainrule.autodiff.testing.Gens;
import dev.chainrule.autodiff.testing.PropertyTest;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * Whole networks, not single nodes: random multilayer perceptrons (depth, widths, batch, an activation per hidden
 * layer, a loss) are differentiated with respect to every weight, bias and the input, and checked against
 * central differences. No {@code @Covers}: these properties check how nodes compose, and must not stand in for
 * any node's own property.
 */
class RandomNetworkPropertiesTest {

    /** The activations a hidden layer draws from. */
    enum Activation {
        SIGMOID("sigmoid", false, Ops::sigmoid),
        TANH("tanh", false, Ops::tanh),
        RELU("relu", true, Ops::relu),
        LEAKY_RELU("leakyRelu(0.01)", true, z -> Ops.leakyRelu(z, 0.01));

        final String label;
        /** Whether the derivative jumps at 0, where a central difference straddling 0 measures neither side. */
        final boolean kinkAtZero;
        final UnaryOperator<Variable> apply;

        Activation(String label, boolean kinkAtZero, UnaryOperator<Variable> apply) {
            this.label = label;
            this.kinkAtZero = kinkAtZero;
            this.apply = apply;
        }
    }

    enum Loss { SOFTMAX_CROSS_ENTROPY, SIGMOID_CROSS_ENTROPY }

    /**
     * A multilayer perceptron and its targets: {@code widths[0]} input features; hidden layers of widths
     * {@code widths[1..depth]}, each an Affine then its activation; an output Affine to {@code widths[depth + 1]}
     * logits; and the loss against one class label per row (softmax) or a 0/1 target per logit (sigmoid).
     */
    static final class Network {
        final int batch;
        final int[] widths;
        final List<Activation> activations;
        final Loss loss;
        final int[] labels;
        final Tensor targets;

        Network(int batch, int[] widths, List<Activation> activations, Loss loss, int[] labels, Tensor targets) {
            this.batch = batch;
            this.widths = widths;
            this.activations = activations;
            this.loss = loss;
            this.labels = labels;
            this.targets = targets;
        }

        int outputs() {
            return widths[widths.length - 1];
        }

        /** The parameters' shapes in the order the graph takes them: W₁, b₁, W₂, b₂, …, one pair per Affine. */
        List<Shape> parameterShapes() {
            List<Shape> shapes = new ArrayList<>();
            for (int layer = 0; layer + 1 < widths.length; layer++) {
                shapes.add(Shape.of(widths[layer], widths[layer + 1]));
                shapes.add(Shape.of(widths[layer + 1]));
            }
            return shapes;
        }

        /** The loss at x = xs[0] and parameters xs[1..]. */
        Variable loss(Variable[] xs) {
            Variable h = xs[0];
            for (int layer = 0; layer < activations.size(); layer++) {
                h = activations.get(layer).apply.apply(Ops.affine(h, xs[1 + 2 * layer], xs[2 + 2 * layer]));
            }
            int last = activations.size();
            Variable logits = Ops.affine(h, xs[1 + 2 * last], xs[2 + 2 * last]);
            return loss == Loss.SOFTMAX_CROSS_ENTROPY
                    ? Ops.softmaxCrossEntropy(logits, labels)
                    : Ops.sigmoidCrossEntropy(logits, Variable.constant(targets));
        }

        /**
         * Whether GradCheck's differences with step ε keep every ReLU and leaky-ReLU pre-activation on its own side
         * of 0, proven at these inputs. A difference moves one input element by up to 2ε; then a weight of layer k
         * moves z_k by at most 2ε·|h_{k−1}| (the activation it multiplies), a bias by 2ε, and a change Δ arriving
         * from below by at most |W_k|ᵀ·Δ, as every activation here is 1-Lipschitz. Each pre-activation's reach is
         * the larger of the two, and must stay below its distance to 0.
         */
        boolean differencesStayOffKinks(Tensor[] inputs, double epsilon) {
            double step = 2 * epsilon;
            Tensor h = inputs[0];
            Tensor reach = Tensor.full(h.shape(), step);
            for (int layer = 0; layer < activations.size(); layer++) {
                Tensor w = inputs[1 + 2 * layer];
                Tensor z = h.matmul(w).add(inputs[2 + 2 * layer]);
                Tensor entering = h.map(Math::abs).max(true, 1).maximum(1.0).mul(step);
                reach = reach.matmul(w.map(Math::abs)).zip("max", entering, Math::max);
                if (activations.get(layer).kinkAtZero && z.map(Math::abs).sub(reach).min().item() <= 0) {
                    return false;
                }
                h = activations.get(layer).apply.apply(Variable.constant(z)).value();
            }
            return true;
        }

        /** Like {@code batch 2: 3 →affine,relu 4 →affine 2 → softmaxCrossEntropy, labels [0, 1]}. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("batch ").append(batch).append(": ").append(widths[0]);
            for (int layer = 0; layer < activations.size(); layer++) {
                sb.append(" →affine,").append(activations.get(layer).label).append(' ').append(widths[layer + 1]);
            }
            sb.append(" →affine ").append(outputs());
            return loss == Loss.SOFTMAX_CROSS_ENTROPY
                    ? sb.append(" → softmaxCrossEntropy, labels ").append(Arrays.toString(labels)).toString()
                    : sb.append(" → sigmoidCrossEntropy, targets ").append(targets).toString();
        }
    }

    /** A network and the point to check it at: x, then W₁, b₁, W₂, b₂, …. */
    static final class Sample {
        final Network network;
        final Tensor[] inputs;

        Sample(Network network, Tensor[] inputs) {
            this.network = network;
            this.inputs = inputs;
        }

        Case asCase() {
            return new Case(network.toString(), network::loss, inputs);
        }

        @Override
        public String toString() {
            return asCase().toString();
        }
    }

    // ---- generators -----------------------------------------------------------------------------------------

    /** 1 to 4 hidden layers, widths 1 to 5, batch 1 to 4, activations from {@code choices}, either loss. */
    private static Gen<Network> networks(List<Activation> choices) {
        Gen<Network> withoutTargets = Generate.range(1, 4).flatMap(depth -> Generate.range(1, 4).zip(
                SourceDSL.lists().of(Gens.dims(5)).ofSize(depth + 2),
                SourceDSL.lists().of(Generate.pick(choices)).ofSize(depth),
                Generate.pick(List.of(Loss.values())),
                (batch, widths, activations, loss) -> new Network(batch,
                        widths.stream().mapToInt(Integer::intValue).toArray(), activations, loss, null, null)));
        return withoutTargets.flatMap(n -> n.loss == Loss.SOFTMAX_CROSS_ENTROPY
                ? Gens.classLabels(n.batch, n.outputs())
                        .map(labels -> new Network(n.batch, n.widths, n.activations, n.loss, labels, null))
                : Gens.binaryTargets(Shape.of(n.batch, n.outputs()))
                        .map(targets -> new Network(n.batch, n.widths, n.activations, n.loss, null, targets)));
    }

    /**
     * A network with x in [−2, 2], biases in [−1, 1] and each layer's weights in [−1/n, 1/n] for fan-in n, so that
     * every column of |W| sums to at most 1: a pre-activation is at most 1 more than the largest activation feeding
     * it, |z| ≤ 2 + k at layer k and ≤ 7 at the logits, where tanh and σ are far from saturation and the loss small.
     * Weights in [−1, 1] let |z| grow fivefold a layer, to logits of 10³ (QuickTheories draws such extremes among its
     * first examples); finite differences of a loss of 10³ carry rounding noise of a few ulps of J over ε, about
     * 3e-8 at ε = 1e-5, above atol: the false alarm of -DQT_SEED=103.
     */
    private static Gen<Sample> samples(List<Activation> choices) {
        return networks(choices).flatMap(network -> Gens.tensors(Shape.of(network.batch, network.widths[0]),
                Gens.values(-2, 2)).zip(Gens.tensors(network.parameterShapes(), Gens.values(-1, 1)), (x, params) -> {
                    Tensor[] inputs = new Tensor[1 + params.length];
                    inputs[0] = x;
                    for (int layer = 0; 2 * layer < params.length; layer++) {
                        inputs[1 + 2 * layer] = params[2 * layer].mul(1.0 / network.widths[layer]);
                        inputs[2 + 2 * layer] = params[2 * layer + 1];
                    }
                    return new Sample(network, inputs);
                }));
    }

    /**
     * The finite-difference step for networks with kinks, GradCheck's default. A difference then moves a
     * pre-activation by at most 2ε·(1 + k) ≤ 0.01 at hidden layer k ≤ 4 (see {@link Network#differencesStayOffKinks}),
     * where Richardson's error for tanh, σ and the losses, ε⁴/30 times a fifth derivative, is about 1e-10; and the
     * rounding noise, a few ulps of J ≤ 10² over ε, about 1e-11. Both are far below atol = 1e-8.
     */
    private static final double KINKED_EPSILON = 1e-3;

    // ---- properties -----------------------------------------------------------------------------------------

    @PropertyTest
    void randomNetworksBackpropagateTheNumericalGradientToEveryWeightBiasAndInput() {
        qt().forAll(samples(List.of(Activation.values())))
                .assuming(s -> s.network.differencesStayOffKinks(s.inputs, KINKED_EPSILON))
                .checkAssert(s -> GradCheck.defaults().epsilon(KINKED_EPSILON).seed(s.asCase().seed())
                        .check(s.asCase().graph(), s.inputs).assertPassed());
    }

    @PropertyTest
    void randomSmoothNetworksHaveSecondDerivativesMatchingTheNumericalOnes() {
        qt().forAll(samples(List.of(Activation.SIGMOID, Activation.TANH)))
                .checkAssert(s -> assertSecondOrderGradientsMatch(s.asCase()));
    }
}
