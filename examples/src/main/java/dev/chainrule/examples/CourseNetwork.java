package dev.chainrule.examples;

import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Activation;
import dev.chainrule.nn.Init;
import dev.chainrule.nn.Linear;
import dev.chainrule.nn.Sequential;
import dev.chainrule.nn.data.Dataset;
import dev.chainrule.nn.train.Loss;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * The course's network (Machine Learning, week 5) built from chainrule's layers: a sigmoid hidden layer, one
 * sigmoid output per class, the regularised cost J(Θ) and its gradients, each beside the course's own vectorised
 * formulas ({@link CourseNotation}) at the same random Θ.
 */
public final class CourseNetwork {
    static final int FEATURES = 4, HIDDEN = 5, CLASSES = 3, M = 30;
    static final double LAMBDA = 1;

    private CourseNetwork() {}

    /** Three classes of m/3 examples each, scattered with unit noise around three random centres. */
    static Dataset blobs(RandomGenerator random) {
        int[] labels = IntStream.range(0, M).map(i -> i % CLASSES).toArray();
        Tensor centres = Tensor.normal(random, 0, 2, Shape.of(CLASSES, FEATURES));
        Tensor features = centres.gatherRows(labels).add(Tensor.normal(random, 0, 1, Shape.of(M, FEATURES)));
        return new Dataset(features, labels, CLASSES);
    }

    public static void main(String[] args) {
        RandomGenerator random = Randoms.seeded(2024);
        Dataset data = blobs(random);
        // Θ uniform in [−ε_init, ε_init], ε_init = √6/√(L_in + L_out): random, so that the hidden units differ.
        Linear hidden = new Linear(FEATURES, HIDDEN, Init.epsilonUniform(), random);
        Linear output = new Linear(HIDDEN, CLASSES, Init.epsilonUniform(), random);
        Sequential net = new Sequential(hidden, Activation.sigmoid(), output);
        System.out.printf("%d examples, %d features, %d classes: a %d-%d-%d sigmoid network, λ = %s%n", M, FEATURES,
                CLASSES, FEATURES, HIDDEN, CLASSES, LAMBDA);
        System.out.printf("ε_init = %.4f for Θ⁽¹⁾ and %.4f for Θ⁽²⁾%n", Math.sqrt(6) / Math.sqrt(FEATURES + HIDDEN),
                Math.sqrt(6) / Math.sqrt(HIDDEN + CLASSES));

        // h = σ(σ(X·W⁽¹⁾ + b⁽¹⁾)·W⁽²⁾ + b⁽²⁾) for all m rows at once; J(Θ) with the penalty on weights, not biases.
        Variable cost = Loss.sigmoidCrossEntropy().plusL2(LAMBDA, M, net.parameters())
                .of(net.forward(Variable.constant(data.features())), data);
        cost.backward();

        Tensor[] thetas = {theta(hidden), theta(output)};
        Tensor[] byHand = CourseNotation.gradients(data.features(), data.oneHot(), LAMBDA, thetas);
        System.out.println("J(Θ) by chainrule            = " + cost.item());
        System.out.println("J(Θ) by the course's formula = "
                + CourseNotation.cost(data.features(), data.oneHot(), LAMBDA, thetas));
        Linear[] layers = {hidden, output};
        String[] names = {"Θ⁽¹⁾", "Θ⁽²⁾"};
        for (int l = 0; l < layers.length; l++) {
            Tensor gradient = CourseNotation.theta(layers[l].weight().grad().value(), layers[l].bias().grad().value());
            System.out.println("dJ/d" + names[l] + " by chainrule, bias in column 0:");
            for (int row = 0; row < gradient.shape().dim(0); row++) {
                System.out.println(Arrays.stream(gradient.index(0, row).toArray())
                        .mapToObj(g -> String.format("%10.6f", g)).collect(Collectors.joining()));
            }
            System.out.println("  largest difference from the course's backpropagation = "
                    + gradient.sub(byHand[l]).map(Math::abs).max().item());
        }
    }

    private static Tensor theta(Linear layer) {
        return CourseNotation.theta(layer.weight().value(), layer.bias().value());
    }
}
