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

        /** The loss at x = xs[0] and parameters xs[1..]; adds the pre-activations of kinked layers to {@code kinked}. */
        Variable loss(Variable[] xs, List<Tensor> kinked) {
            Variable h = xs[0];
            for (int layer = 0; layer < activations.size(); layer++) {
                Activation activation = activations.get(layer);
                Variable z = Ops.affine(h, xs[1 + 2 * layer], xs[2 + 2 * layer]);
                if (activation.kinkAtZero) {
                    kinked.add(z.value());
                }
                h = activation.apply.apply(z);
            }
            int last = activations.size();
            Variable logits = Ops.affine(h, xs[1 + 2 * last], xs[2 + 2 * last]);
            return loss == Loss.SOFTMAX_CROSS_ENTROPY
                    ? Ops.softmaxCrossEntropy(logits, labels)
                    : Ops.sigmoidCrossEntropy(logits, Variable.constant(targets));
        }

        /** The smallest |pre-activation| of any ReLU or leaky ReLU at these inputs; infinity when there is none. */
        double distanceToNearestKink(Tensor[] inputs) {
            Variable[] constants = new Variable[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                constants[i] = Variable.constant(inputs[i]);
            }
            List<Tensor> kinked = new ArrayList<>();
            loss(constants, kinked);
            double nearest = Double.POSITIVE_INFINITY;
            for (Tensor z : kinked) {
                for (double v : z.toArray()) {
                    nearest = Math.min(nearest, Math.abs(v));
                }
            }
            return nearest;
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
            return new Case(network.toString(), xs -> network.loss(xs, new ArrayList<>()), inputs);
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

    /** A network with x in [−2, 2] and weights and biases in [−1, 1], where tanh and σ are far from saturation. */
    private static Gen<Sample> samples(List<Activation> choices) {
        return networks(choices).flatMap(network -> Gens.tensors(Shape.of(network.batch, network.widths[0]),
                Gens.values(-2, 2)).zip(Gens.tensors(network.parameterShapes(), Gens.values(-1, 1)), (x, params) -> {
                    Tensor[] inputs = new Tensor[1 + params.length];
                    inputs[0] = x;
                    System.arraycopy(params, 0, inputs, 1, params.length);
                    return new Sample(network, inputs);
                }));
    }

    /**
     * The finite-difference step for networks with kinks: GradCheck's extrapolated difference moves an input by up
     * to 2ε, and a pre-activation by at most 2ε·|x|·Π(width·|W|) ≤ 2e-5 · 2 · 5⁴ = 0.025 through four layers of
     * width 5 with |W| ≤ 1 and |x| ≤ 2. Closer to a kink than that, the difference straddles it and measures a
     * mix of both slopes: a false alarm rather than a bug. The default ε = 1e-3 would need a margin of about 2.5;
     * ε = 1e-6 lets rounding reach the absolute tolerance (seen: an error of 1.6e-8 on a gradient of 1e-8).
     */
    private static final double KINKED_EPSILON = 1e-5;

    /** How far every ReLU pre-activation must be from 0 at KINKED_EPSILON: twice the bound above. */
    private static final double KINK_MARGIN = 0.05;

    // ---- properties -----------------------------------------------------------------------------------------

    @PropertyTest
    void randomNetworksBackpropagateTheNumericalGradientToEveryWeightBiasAndInput() {
        qt().forAll(samples(List.of(Activation.values())))
                .assuming(s -> s.network.distanceToNearestKink(s.inputs) > KINK_MARGIN)
                .checkAssert(s -> GradCheck.defaults().epsilon(KINKED_EPSILON).seed(s.asCase().seed())
                        .check(s.asCase().graph(), s.inputs).assertPassed());
    }

    @PropertyTest
    void randomSmoothNetworksHaveSecondDerivativesMatchingTheNumericalOnes() {
        qt().forAll(samples(List.of(Activation.SIGMOID, Activation.TANH)))
                .checkAssert(s -> assertSecondOrderGradientsMatch(s.asCase()));
    }
}
