package dev.chainrule.autodiff;

import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;

/** Nodes that move elements without changing them. */
final class Shapes {
    private Shapes() {}

    /** y = x in another shape of equal size.  dx = dy in x's shape. */
    static final class Reshape extends Function {
        private final Shape shape;

        Reshape(Shape shape) { this.shape = shape; }

        @Override protected Tensor forward(Tensor... xs) { return xs[0].reshape(shape); }

        @Override protected Variable[] backward(Variable gy) { return grads(Ops.reshape(gy, input(0).shape())); }
    }

    /** y = x with axes permuted: axis i of y is axis perm[i] of x.  dx = dy permuted by the inverse. */
    static final class Transpose extends Function {
        private final int[] perm;

        Transpose(int... perm) { this.perm = perm.clone(); }

        @Override protected Tensor forward(Tensor... xs) { return xs[0].transpose(perm); }

        @Override protected Variable[] backward(Variable gy) {
            int[] inverse = new int[perm.length];
            for (int i = 0; i < perm.length; i++) {
                inverse[perm[i]] = i;
            }
            return grads(Ops.transpose(gy, inverse));
        }
    }
}
