package dev.chainrule.examples;

import dev.chainrule.autodiff.Function;
import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Tensor;

/**
 * A node written outside chainrule, as a user would: y = softplus(x) = ln(1 + eˣ).  dx = dy · σ(x).
 * Its gradient property lives in this module's tests and uses the harness from autodiff's test-jar.
 */
public final class Softplus extends Function {
    /** Applies softplus to x. */
    public static Variable of(Variable x) {
        return new Softplus().apply(x);
    }

    @Override
    protected Tensor forward(Tensor... xs) {
        // max(x, 0) + ln(1 + e^−|x|): the same function, without overflow for large x.
        return xs[0].maximum(0.0).add(xs[0].map(v -> Math.log1p(Math.exp(-Math.abs(v)))));
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return grads(gy.mul(Ops.sigmoid(input(0))));
    }
}
