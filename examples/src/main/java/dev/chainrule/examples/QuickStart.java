package dev.chainrule.examples;

import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Tensor;

/** Builds a one-layer network, backpropagates its cost, and prints the gradients. */
public final class QuickStart {
    public static void main(String[] args) {
        // Two examples with three features each, and two independent 0/1 labels per example.
        Variable x = Variable.constant(Tensor.matrix(new double[] {1, 2, 3}, new double[] {4, 5, 6})).named("x");
        Variable y = Variable.constant(Tensor.matrix(new double[] {1, 0}, new double[] {0, 1})).named("y");
        // Parameters: W is (inputs × outputs) so that x·W matches the derivation; b has one entry per output.
        Variable w = Variable.parameter(Tensor.matrix(new double[] {0.1, -0.2}, new double[] {0.0, 0.3},
                new double[] {-0.1, 0.2})).named("W");
        Variable b = Variable.parameter(Tensor.vector(0.0, 0.1)).named("b");

        Variable z = Ops.affine(x, w, b);                     // z = x·W + b
        Variable cost = Ops.sigmoidCrossEntropy(z, y);        // J = −1/m ΣΣ [y log σ(z) + (1 − y) log(1 − σ(z))]
        cost.backward();                                      // dJ/dz = (σ(z) − y) / m, then the chain rule

        System.out.println("J     = " + cost.item());
        System.out.println("dJ/dW = " + w.grad().value());  // xᵀ · dJ/dz
        System.out.println("dJ/db = " + b.grad().value());  // column sums of dJ/dz
    }
}
