package dev.chainrule.autodiff;

import static com.google.common.base.Preconditions.checkArgument;

import dev.chainrule.core.Tensor;
import dev.chainrule.core.WritableTensor;

/** Matrix products and the affine layer, with backward in the transposed-product forms (no transpose built). */
final class LinearAlgebra {
    private LinearAlgebra() {}

    /** Which product: A·B, Aᵀ·B or A·Bᵀ. The three forms are closed under differentiation. */
    enum Form { PLAIN, TRANS_A, TRANS_B }

    /**
     * C = A·B: dA = dC·Bᵀ, dB = Aᵀ·dC.  C = Aᵀ·B: dA = B·dCᵀ, dB = A·dC.  C = A·Bᵀ: dA = dC·B, dB = dCᵀ·A.
     */
    static final class MatMul extends Function {
        private final Form form;

        MatMul(Form form) { this.form = form; }

        @Override protected Tensor forward(Tensor... xs) {
            switch (form) {
                case TRANS_A: return xs[0].matmulTransA(xs[1]);
                case TRANS_B: return xs[0].matmulTransB(xs[1]);
                default: return xs[0].matmul(xs[1]);
            }
        }

        @Override protected Variable[] backward(Variable gy) {
            Variable a = input(0), b = input(1);
            boolean ga = needsGrad(0), gb = needsGrad(1);
            switch (form) {
                case TRANS_A:
                    return grads(ga ? Ops.matmulTransB(b, gy) : null, gb ? Ops.matmul(a, gy) : null);
                case TRANS_B:
                    return grads(ga ? Ops.matmul(gy, b) : null, gb ? Ops.matmulTransA(gy, a) : null);
                default:
                    return grads(ga ? Ops.matmulTransB(gy, b) : null, gb ? Ops.matmulTransA(a, gy) : null);
            }
        }
    }

    /** Y = X·W + b, with X (m×k), W (k×n), b (n).  dX = dY·Wᵀ, dW = Xᵀ·dY, db = column sums of dY. */
    static final class Affine extends Function {
        @Override protected Tensor forward(Tensor... xs) {
            Tensor x = xs[0], w = xs[1], b = xs[2];
            checkArgument(x.rank() == 2 && w.rank() == 2, "x and W must be matrices, got x %s and W %s", x.shape(), w.shape());
            checkArgument(x.shape().dim(1) == w.shape().dim(0),
                    "x is %s but W is %s: x's columns must equal W's rows", x.shape(), w.shape());
            checkArgument(b.rank() == 1 && b.size() == w.shape().dim(1),
                    "W is %s but b is %s: b must be a vector with one entry per column of W, shape (%s)",
                    w.shape(), b.shape(), w.shape().dim(1));
            return x.affine(w, b);
        }

        @Override protected Variable[] backward(Variable gy) {
            Variable x = input(0), w = input(1);
            if (!GradMode.isEnabled()) { // first order: the same products on the values, without recording nodes
                Tensor g = gy.value();
                Variable gw = null;
                if (needsGrad(1)) { // into W's own elements when they are free: no new array at every step
                    WritableTensor into = leafGradientStorage(1);
                    Tensor xt = x.valueInGraph();
                    gw = Variable.constant(into == null ? xt.matmulTransA(g) : xt.matmulTransA(g, into));
                }
                return grads(needsGrad(0) ? Variable.constant(g.matmulTransB(w.valueInGraph())) : null, gw,
                        needsGrad(2) ? Variable.constant(g.sum(false, 0)) : null);
            }
            Variable gx = needsGrad(0) ? Ops.matmulTransB(gy, w) : null;
            Variable gw = needsGrad(1) ? Ops.matmulTransA(x, gy) : null;
            Variable gb = needsGrad(2) ? Ops.sum(gy, false, 0) : null;
            return grads(gx, gw, gb);
        }
    }
}
