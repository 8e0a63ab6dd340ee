package dev.chainrule.autodiff;

import static com.google.common.base.Preconditions.checkArgument;

import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Nodes whose local derivative is a mask, constant wherever the node is differentiable: a sign, 0 or 1, or a
 * dropout draw. Backward multiplies dy by the mask held as a constant, as ReLU does (spread back over the reduced
 * axes first for Max and Min), so that with create-graph the gradient is differentiable in dy.
 */
final class Masks {
    private Masks() {}

    /** y = f(x) element-wise, f piecewise linear.  dx = dy ⊙ f′(x), the slopes a constant mask. */
    abstract static class PiecewiseLinear extends Function {
        private final DoubleUnaryOperator f;
        private final DoubleUnaryOperator slope;

        PiecewiseLinear(DoubleUnaryOperator f, DoubleUnaryOperator slope) {
            this.f = f;
            this.slope = slope;
        }

        @Override protected Tensor forward(Tensor... xs) { return xs[0].map(f); }

        @Override protected Variable[] backward(Variable gy) {
            return grads(gy.mul(Variable.constant(input(0).valueInGraph().map(slope))));
        }
    }

    /** y = |x|.  dx = dy · sign(x), and 0 at x = 0 (PyTorch's abs′(0) = sgn(0) = 0). */
    static final class Abs extends PiecewiseLinear {
        Abs() { super(Math::abs, x -> Math.signum(x) + 0.0); } // + 0.0: no −0
    }

    /** y = min(max(x, low), high).  dx = dy · [low ≤ x ≤ high]: at the bounds the gradient passes, as in PyTorch. */
    static final class Clip extends PiecewiseLinear {
        Clip(double low, double high) {
            super(x -> Math.min(Math.max(x, low), high), x -> low <= x && x <= high ? 1.0 : 0.0);
            checkArgument(low <= high, "clip: low %s and high %s must be numbers with low ≤ high", low, high);
        }
    }

    /** y = a where c = 1, b where c = 0, for a constant 0/1 condition c.  da = dy ⊙ c, db = dy ⊙ (1 − c). */
    static final class Where extends Function {
        private final Tensor condition;

        Where(Tensor condition) { this.condition = condition; }

        @Override protected Tensor forward(Tensor... xs) { return Tensor.where(condition, xs[0], xs[1]); }

        @Override protected Variable[] backward(Variable gy) {
            Variable c = Variable.constant(condition);
            return grads(needsGrad(0) ? gy.mul(c) : null, needsGrad(1) ? gy.mul(Ops.oneMinus(c)) : null);
        }
    }

    /** y = max of x over axes.  dx = dy at the first arg-max of each group (row-major), 0 elsewhere. */
    static final class Max extends Reductions.AxisReduction {
        Max(boolean keepDims, int... axes) { super(keepDims, axes); }

        @Override protected Tensor forward(Tensor... xs) { return xs[0].max(keepDims, axes); }

        @Override protected Variable[] backward(Variable gy) {
            return grads(spread(gy, keptShape()).mul(Variable.constant(input(0).valueInGraph().maxMask(axes))));
        }
    }

    /** y = min of x over axes.  dx = dy at the first arg-min of each group (row-major), 0 elsewhere. */
    static final class Min extends Reductions.AxisReduction {
        Min(boolean keepDims, int... axes) { super(keepDims, axes); }

        @Override protected Tensor forward(Tensor... xs) { return xs[0].min(keepDims, axes); }

        @Override protected Variable[] backward(Variable gy) {
            return grads(spread(gy, keptShape()).mul(Variable.constant(input(0).valueInGraph().minMask(axes))));
        }
    }

    /** y = x ⊙ m / (1 − p), m a 0/1 mask drawn once, 1 with probability 1 − p.  dx = dy ⊙ m / (1 − p). */
    static final class Dropout extends Function {
        /** m / (1 − p), drawn when the node is made, so that forward and backward read the same draw. */
        private final Tensor scaledMask;

        Dropout(double p, RandomGenerator random, Shape shape) {
            checkArgument(p >= 0 && p < 1, "dropout: p %s must be in [0, 1)", p);
            scaledMask = p == 0 ? Tensor.ones(shape) : Tensor.bernoulli(random, 1 - p, shape).mul(1 / (1 - p));
        }

        @Override protected Tensor forward(Tensor... xs) { return xs[0].mul(scaledMask); }

        @Override protected Variable[] backward(Variable gy) { return grads(gy.mul(Variable.constant(scaledMask))); }
    }
}
