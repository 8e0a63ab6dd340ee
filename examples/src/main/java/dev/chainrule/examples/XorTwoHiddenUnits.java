package dev.chainrule.examples;

import dev.chainrule.autodiff.GradMode;
import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Activation;
import dev.chainrule.nn.Init;
import dev.chainrule.nn.Linear;
import dev.chainrule.nn.Sequential;
import dev.chainrule.nn.optim.LearningRate;
import dev.chainrule.nn.optim.Optimizer;
import dev.chainrule.nn.optim.Sgd;

/**
 * The smallest network that learns XOR: two sigmoid hidden units and one sigmoid output, trained by plain gradient
 * descent on cross-entropy. It learns from random weights; from a symmetric start, where both hidden units have the
 * same weights, it cannot: the units compute the same thing, get the same gradient, and stay one unit forever.
 */
public final class XorTwoHiddenUnits {
    static final Tensor X = Tensor.matrix(new double[] {0, 0}, new double[] {0, 1}, new double[] {1, 0},
            new double[] {1, 1});
    static final Tensor Y = Tensor.matrix(new double[] {0}, new double[] {1}, new double[] {1}, new double[] {0});
    static final int STEPS = 5000;
    static final double LEARNING_RATE = 2.0;
    /** Both hidden units start with the same weights: every weight 0.5. */
    static final Init SYMMETRIC = (in, out, random) -> Tensor.full(Shape.of(in, out), 0.5);

    private XorTwoHiddenUnits() {}

    /** A 2-2-1 sigmoid network with weights from {@code init} (seed 7), after {@link #STEPS} steps of descent. */
    static Sequential train(Init init) {
        Sequential net = new Sequential(new Linear(2, 2, init, Randoms.seeded(7)), Activation.sigmoid(),
                new Linear(2, 1, init, Randoms.seeded(8)));
        Optimizer descent = Sgd.plain(net.parameters(), LearningRate.constant(LEARNING_RATE));
        for (int step = 0; step < STEPS; step++) {
            descent.clearGrads();
            // J = −1/4 Σ [y log σ(z) + (1 − y) log(1 − σ(z))]; then Θ ← Θ − α ∂J/∂Θ
            Ops.sigmoidCrossEntropy(net.forward(Variable.constant(X)), Variable.constant(Y)).backward();
            descent.step();
        }
        return net;
    }

    public static void main(String[] args) {
        show("random start, uniform in ±√6/√(fan_in + fan_out)", train(Init.epsilonUniform()));
        show("symmetric start, every weight 0.5", train(SYMMETRIC));
    }

    private static void show(String start, Sequential net) {
        Linear hidden = (Linear) net.layers().get(0);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Variable z = net.forward(Variable.constant(X));
            System.out.println(start + ", " + STEPS + " steps of gradient descent:");
            System.out.println("  J           = " + Ops.sigmoidCrossEntropy(z, Variable.constant(Y)).item());
            System.out.println("  predictions = " + Ops.sigmoid(z).value());
        }
        // Column j of W holds hidden unit j's two incoming weights.
        System.out.println("  hidden W    = " + hidden.weight().value() + ", b = " + hidden.bias().value());
    }
}
