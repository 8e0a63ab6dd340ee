package dev.chainrule.autodiff;

import dev.chainrule.core.Tensor;

/** Element-wise arithmetic. Operands arrive with equal shapes when they need gradients (Ops broadcasts them). */
final class Arithmetic {
    private Arithmetic() {}

    /** y = a + b.  da = dy, db = dy. */
    static final class Add extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].add(xs[1]); }

        @Override protected Variable[] backward(Variable gy) { return grads(needsGrad(0) ? gy : null, needsGrad(1) ? gy : null); }
    }

    /** y = a − b.  da = dy, db = −dy. */
    static final class Sub extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].sub(xs[1]); }

        @Override protected Variable[] backward(Variable gy) {
            return grads(needsGrad(0) ? gy : null, needsGrad(1) ? gy.neg() : null);
        }
    }

    /** y = a · b.  da = dy · b, db = dy · a. */
    static final class Mul extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].mul(xs[1]); }

        @Override protected Variable[] backward(Variable gy) {
            Variable a = input(0), b = input(1);
            return grads(needsGrad(0) ? gy.mul(b) : null, needsGrad(1) ? gy.mul(a) : null);
        }
    }

    /** y = a / b.  da = dy / b, db = −dy · a / b². */
    static final class Div extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].div(xs[1]); }

        @Override protected Variable[] backward(Variable gy) {
            Variable a = input(0), b = input(1);
            Variable ga = needsGrad(0) ? gy.div(b) : null;
            Variable gb = needsGrad(1) ? gy.mul(a).div(b.mul(b)).neg() : null;
            return grads(ga, gb);
        }
    }

    /** y = −x.  dx = −dy. */
    static final class Neg extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].neg(); }

        @Override protected Variable[] backward(Variable gy) { return grads(gy.neg()); }
    }

    /** y = xᶜ for a constant c.  dx = dy · c · xᶜ⁻¹, and 0 for c = 0 (where c · xᶜ⁻¹ would be 0 · ∞ at x = 0). */
    static final class Pow extends Function {
        private final double exponent;

        Pow(double exponent) { this.exponent = exponent; }

        @Override protected Tensor forward(Tensor... xs) { return xs[0].pow(exponent); }

        @Override protected Variable[] backward(Variable gy) {
            Variable slope = exponent == 0 ? Variable.constant(0.0) : Ops.pow(input(0), exponent - 1).mul(exponent);
            return grads(gy.mul(slope));
        }
    }
}
