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
import dev.chainrule.nn.Parameter;
import dev.chainrule.nn.Regularization;
import dev.chainrule.nn.Sequential;
import dev.chainrule.nn.optim.ConjugateGradient;
import dev.chainrule.nn.optim.ParameterVector;
import java.util.List;
import java.util.function.Supplier;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Full-batch training by nonlinear conjugate gradient, as the course trains with fmincg: every parameter is unrolled
 * into one vector θ, the optimizer moves θ, and each evaluation rolls θ back into the network to compute J(θ) and
 * backpropagate ∇J(θ). The problem: is a point of the square [−2, 2]² inside the circle of radius 1.2?
 */
public final class ConjugateGradientTraining {
    static final int M = 200, ROUNDS = 10, ITERATIONS_PER_ROUND = 20;
    static final double LAMBDA = 0.01;

    private ConjugateGradientTraining() {}

    /** A 2-6-1 sigmoid network with epsilon-uniform weights from the seed. */
    static Sequential network(long seed) {
        RandomGenerator random = Randoms.seeded(seed);
        return new Sequential(new Linear(2, 6, Init.epsilonUniform(), random), Activation.sigmoid(),
                new Linear(6, 1, Init.epsilonUniform(), random));
    }

    public static void main(String[] args) {
        Tensor x = Tensor.uniform(Randoms.seeded(1), -2, 2, Shape.of(M, 2));
        Tensor y = x.mul(x).sum(true, 1).map(r2 -> r2 < 1.2 * 1.2 ? 1 : 0);   // 1 inside the circle
        Sequential net = network(2);
        List<Parameter> parameters = net.parameters();
        // J(θ) = −1/m Σ [y log h + (1 − y) log(1 − h)] + λ/(2m) Σ W², built again at every point θ the search tries.
        Supplier<Variable> cost = () -> Ops.add(
                Ops.sigmoidCrossEntropy(net.forward(Variable.constant(x)), Variable.constant(y)),
                Regularization.l2(LAMBDA, M, parameters));
        System.out.println("θ unrolls " + ParameterVector.of(parameters).size() + " numbers: " + parameters.stream()
                .map(p -> p.name() + " " + p.variable().shape()).toList());

        // Rounds of 20 iterations, so that the cost can be printed between them; each round restarts the search
        // directions from steepest descent, as conjugate-gradient methods do now and then anyway.
        int iterations = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            ConjugateGradient.Result result = ConjugateGradient.minimize(parameters, cost, ITERATIONS_PER_ROUND);
            iterations += result.iterations();
            System.out.printf("after %3d iterations: J = %.6f, training accuracy = %.3f%n", iterations, result.cost(),
                    accuracy(net, x, y));
        }
    }

    /** The fraction of examples whose prediction σ(z) is on their label's side of ½. */
    static double accuracy(Sequential net, Tensor x, Tensor y) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Tensor predicted = net.forward(Variable.constant(x)).value().map(z -> z > 0 ? 1 : 0);
            return predicted.sub(y).map(d -> d == 0 ? 1 : 0).mean().item();
        }
    }
}
