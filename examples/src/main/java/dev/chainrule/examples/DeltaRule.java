package dev.chainrule.examples;

import dev.chainrule.autodiff.GradMode;
import dev.chainrule.autodiff.Gradients;
import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Tensor;

/**
 * The delta rule w ← w + α Σᵢ (yᵢ − ŷᵢ) xᵢ for one sigmoid unit ŷ = σ(x·w) is gradient descent on cross-entropy:
 * for J = −1/m Σ [y log ŷ + (1 − y) log(1 − ŷ)], ∂J/∂w = 1/m Σ (ŷ − y) x, so the rule's step is −α·m·∂J/∂w.
 * Both steps are computed every step, one by hand and one by chainrule's backward, and compared.
 */
public final class DeltaRule {
    static final double ALPHA = 0.5;
    static final int STEPS = 200;

    private DeltaRule() {}

    public static void main(String[] args) {
        // Logical OR, with x₀ = 1 in front of each example as the course writes the bias.
        Tensor x = Tensor.matrix(new double[] {1, 0, 0}, new double[] {1, 0, 1}, new double[] {1, 1, 0},
                new double[] {1, 1, 1});
        Tensor y = Tensor.matrix(new double[] {0}, new double[] {1}, new double[] {1}, new double[] {1});
        int m = x.shape().dim(0);
        Tensor w = Tensor.zeros(3, 1);
        Variable parameter = Variable.parameter(Tensor.zeros(3, 1)).named("w");   // the same unit, for chainrule
        double worst = 0;
        for (int step = 1; step <= STEPS; step++) {
            // By hand: Δw = α Σᵢ (yᵢ − ŷᵢ) xᵢ = α Xᵀ(y − σ(X·w)).
            Tensor deltaRule = x.matmulTransA(y.sub(x.matmul(w).sigmoid())).mul(ALPHA);
            // By backward: Δw = −α·m·∂J/∂w, m undoing the mean that sigmoidCrossEntropy takes.
            Variable cost = Ops.sigmoidCrossEntropy(Ops.matmul(Variable.constant(x), parameter), Variable.constant(y));
            Tensor descent = Gradients.of(cost, parameter)[0].value().mul(-ALPHA * m);

            double difference = deltaRule.sub(descent).map(Math::abs).max().item();
            worst = Math.max(worst, difference);
            if (step <= 3 || step % 50 == 0) {
                System.out.printf("step %3d: J = %.6f, Δw = %s, largest |rule − backward| = %.1e%n", step,
                        cost.item(), deltaRule.reshape(3), difference);
            }
            w = w.add(deltaRule);
            try (GradMode.Scope ignored = GradMode.noGrad()) {
                parameter.assign(parameter.value().add(descent));
            }
        }
        System.out.println("largest difference over " + STEPS + " steps = " + worst);
        System.out.println("predictions = " + x.matmul(w).sigmoid().reshape(m));
    }
}
