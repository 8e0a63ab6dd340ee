package com.example.nodes;

import dev.chainrule.autodiff.Function;
import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Tensor;

/** A user's own node, in the user's own package: y = softplus(x) = ln(1 + eˣ).  dx = dy · σ(x). */
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
