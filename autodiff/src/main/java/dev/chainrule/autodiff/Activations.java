package dev.chainrule.autodiff;

import dev.chainrule.core.Tensor;

/** Element-wise maps and activation functions. */
final class Activations {
    private Activations() {}

    /** y = eˣ.  dx = dy · y. */
    static final class Exp extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].exp(); }

        @Override protected Variable[] backward(Variable gy) { return grads(gy.mul(output())); }
    }

    /** y = ln x.  dx = dy / x. */
    static final class Log extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].log(); }

        @Override protected Variable[] backward(Variable gy) { return grads(gy.div(input(0))); }
    }

    /** y = σ(x) = 1 / (1 + e⁻ˣ).  dx = dy · y(1 − y), from the saved output. */
    static final class Sigmoid extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].sigmoid(); }

        @Override protected Variable[] backward(Variable gy) {
            Variable y = output();
            if (!GradMode.isEnabled()) { // first order: one fused pass, the same bits as the ops below
                return grads(Variable.constant(y.value().sigmoidGradient(gy.value())));
            }
            return grads(gy.mul(y).mul(Ops.oneMinus(y)));
        }
    }

    /** y = tanh x.  dx = dy · (1 − y²). */
    static final class Tanh extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].tanh(); }

        @Override protected Variable[] backward(Variable gy) {
            Variable y = output();
            if (!GradMode.isEnabled()) { // first order: one fused pass, the same bits as the ops below
                return grads(Variable.constant(y.value().tanhGradient(gy.value())));
            }
            return grads(gy.mul(Ops.oneMinus(y.mul(y))));
        }
    }

    /** y = x for x > 0, and slope · x otherwise.  dx = dy · (1 or slope); at the kink x = 0, the slope. */
    abstract static class Rectifier extends Masks.PiecewiseLinear {
        Rectifier(double slope) { super(x -> x > 0 ? x : slope * x + 0.0, x -> x > 0 ? 1.0 : slope); } // + 0.0: no −0
    }

    /** y = max(x, 0).  dx = dy · [x > 0]: the gradient at the kink x = 0 is taken as 0. */
    static final class ReLU extends Rectifier {
        ReLU() { super(0.0); }
    }

    /** y = x for x > 0, αx otherwise.  dx = dy · (1 or α). */
    static final class LeakyReLU extends Rectifier {
        LeakyReLU(double alpha) { super(alpha); }
    }
}
