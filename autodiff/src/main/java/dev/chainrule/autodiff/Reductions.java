package dev.chainrule.autodiff;

import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;

/** Sums, means and the BroadcastTo/SumTo pair through which all broadcasting in a graph is differentiated. */
final class Reductions {
    private Reductions() {}

    /** A reduction over chosen axes (all when none), which keeps them as size 1 or drops them. */
    abstract static class AxisReduction extends Function {
        final boolean keepDims;
        final int[] axes;

        AxisReduction(boolean keepDims, int... axes) {
            this.keepDims = keepDims;
            this.axes = axes.clone();
        }

        /** The input's shape with the reduced axes kept as size 1: the shape of the output with keepDims. */
        final Shape keptShape() {
            return input(0).shape().reduce(getClass().getSimpleName(), true, axes);
        }

        /** Broadcasts a gradient of the kept shape back to the input's shape. */
        final Variable spread(Variable gy, Shape kept) {
            return Ops.broadcastTo(Ops.reshape(gy, kept), input(0).shape());
        }
    }

    /** y = Σ x over the given axes (all when none).  dx = dy broadcast back over the summed axes. */
    static final class Sum extends AxisReduction {
        Sum(boolean keepDims, int... axes) { super(keepDims, axes); }

        @Override protected Tensor forward(Tensor... xs) { return xs[0].sum(keepDims, axes); }

        @Override protected Variable[] backward(Variable gy) { return grads(spread(gy, keptShape())); }
    }

    /** y = mean of x over the given axes (all when none).  dx = dy / n broadcast back, n the count averaged. */
    static final class Mean extends AxisReduction {
        Mean(boolean keepDims, int... axes) { super(keepDims, axes); }

        @Override protected Tensor forward(Tensor... xs) { return xs[0].mean(keepDims, axes); }

        @Override protected Variable[] backward(Variable gy) {
            Shape kept = keptShape();
            double count = (double) input(0).shape().size() / kept.size();
            return grads(spread(gy.mul(1.0 / count), kept));
        }
    }

    /** y = x repeated along broadcast axes to fill a shape.  dx = dy summed back to x's shape. */
    static final class BroadcastTo extends Function {
        private final Shape shape;

        BroadcastTo(Shape shape) { this.shape = shape; }

        @Override protected Tensor forward(Tensor... xs) { return xs[0].broadcastTo(shape); }

        @Override protected Variable[] backward(Variable gy) { return grads(Ops.sumTo(gy, input(0).shape())); }
    }

    /** y = x summed over the axes that broadcasting to x's shape would expand.  dx = dy broadcast back. */
    static final class SumTo extends Function {
        private final Shape shape;

        SumTo(Shape shape) { this.shape = shape; }

        @Override protected Tensor forward(Tensor... xs) { return xs[0].sumTo(shape); }

        @Override protected Variable[] backward(Variable gy) { return grads(Ops.broadcastTo(gy, input(0).shape())); }
    }
}
