package dev.chainrule.examples;

import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Tensor;

/**
 * The 2-2-2 network of the well-known "step by step backpropagation example": inputs 0.05 and 0.10, targets
 * 0.01 and 0.99, sigmoid units, error E = ½ Σ (target − output)². Its published figures are E = 0.298371109,
 * ∂E/∂w5 = 0.082167041 and ∂E/∂w1 = 0.000438568; this program computes them.
 *
 * <p>In the example, hidden unit h1 receives i1·w1 + i2·w2; with X·W that makes w1 and w2 the first column of W1.
 */
public final class StepByStep {
    public final Variable input = Variable.constant(Tensor.matrix(new double[] {0.05, 0.10})).named("i");
    public final Variable target = Variable.constant(Tensor.matrix(new double[] {0.01, 0.99})).named("target");
    public final Variable w1 = Variable.parameter(Tensor.matrix(new double[] {0.15, 0.25}, new double[] {0.20, 0.30})).named("W1");
    public final Variable b1 = Variable.parameter(Tensor.vector(0.35, 0.35)).named("b1");
    public final Variable w2 = Variable.parameter(Tensor.matrix(new double[] {0.40, 0.50}, new double[] {0.45, 0.55})).named("W2");
    public final Variable b2 = Variable.parameter(Tensor.vector(0.60, 0.60)).named("b2");

    /** Forward pass: the total error E. */
    public Variable error() {
        Variable hidden = Ops.sigmoid(Ops.affine(input, w1, b1)).named("out_h");
        Variable output = Ops.sigmoid(Ops.affine(hidden, w2, b2)).named("out_o");
        return Ops.meanSquaredError(output, target).named("E");
    }

    /** Forgets the gradients of the last backward. */
    public void clearGrads() {
        for (Variable p : new Variable[] {w1, b1, w2, b2}) {
            p.clearGrad();
        }
    }

    public static void main(String[] args) {
        StepByStep net = new StepByStep();
        Variable error = net.error();
        error.backward();
        System.out.printf("E_total = %.9f%n", error.item());
        System.out.printf("dE/dw5  = %.9f%n", net.w2.grad().value().get(0, 0));
        System.out.printf("dE/dw1  = %.9f%n", net.w1.grad().value().get(0, 0));
    }
}
