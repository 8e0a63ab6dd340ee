package dev.chainrule.autodiff;

import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;

/**
 * Nodes that join, cut and look up parts of tensors. They come in adjoint pairs, each the other's backward, as
 * BroadcastTo and SumTo do: Slice and Pad, GatherRows and ScatterAddRows. So every backward is itself a node
 * with a backward, and second derivatives work through them.
 */
final class Indexing {
    private Indexing() {}

    /** y = x₀, x₁, … joined along an axis.  dxᵢ = dy sliced at xᵢ's positions along that axis. */
    static final class Concat extends Function {
        private final int axis;

        Concat(int axis) { this.axis = axis; }

        @Override protected Tensor forward(Tensor... xs) { return Tensor.concat(axis, xs); }

        @Override protected Variable[] backward(Variable gy) {
            int ax = gy.shape().axis("concat", axis);
            Variable[] gxs = new Variable[inputCount()];
            for (int i = 0, from = 0; i < gxs.length; i++) {
                int to = from + input(i).shape().dim(ax);
                gxs[i] = needsGrad(i) ? Ops.slice(gy, ax, from, to) : null;
                from = to;
            }
            return grads(gxs);
        }
    }

    /** y = x₀, x₁, … stacked along a new axis.  dxᵢ = dy at position i of that axis. */
    static final class Stack extends Function {
        private final int axis;

        Stack(int axis) { this.axis = axis; }

        @Override protected Tensor forward(Tensor... xs) { return Tensor.stack(axis, xs); }

        @Override protected Variable[] backward(Variable gy) {
            int ax = gy.shape().axis("stack", axis);
            Variable[] gxs = new Variable[inputCount()];
            for (int i = 0; i < gxs.length; i++) {
                gxs[i] = needsGrad(i) ? Ops.index(gy, ax, i) : null;
            }
            return grads(gxs);
        }
    }

    /** y = x at positions [from, to) along an axis.  dx = dy padded with zeros back to x's shape. */
    static final class Slice extends Function {
        private final int axis;
        private final int from;
        private final int to;

        Slice(int axis, int from, int to) {
            this.axis = axis;
            this.from = from;
            this.to = to;
        }

        @Override protected Tensor forward(Tensor... xs) { return xs[0].slice(axis, from, to); }

        @Override protected Variable[] backward(Variable gy) {
            return grads(Ops.pad(gy, axis, from, input(0).shape().dim(axis) - to));
        }
    }

    /** y = x with zeros before and after it along an axis.  dx = dy sliced back to x's positions. */
    static final class Pad extends Function {
        private final int axis;
        private final int before;
        private final int after;

        Pad(int axis, int before, int after) {
            this.axis = axis;
            this.before = before;
            this.after = after;
        }

        @Override protected Tensor forward(Tensor... xs) { return xs[0].pad(axis, before, after); }

        @Override protected Variable[] backward(Variable gy) {
            return grads(Ops.slice(gy, axis, before, before + input(0).shape().dim(axis)));
        }
    }

    /** y = x at one position along an axis, the axis dropped.  dx = dy put back at that position, zeros elsewhere. */
    static final class Index extends Function {
        private final int axis;
        private final int position;

        Index(int axis, int position) {
            this.axis = axis;
            this.position = position;
        }

        @Override protected Tensor forward(Tensor... xs) { return xs[0].index(axis, position); }

        @Override protected Variable[] backward(Variable gy) {
            Shape shape = input(0).shape();
            Variable kept = Ops.reshape(gy, shape.reduce("index", true, axis));
            return grads(Ops.pad(kept, axis, position, shape.dim(axis) - position - 1));
        }
    }

    /** y = the rows of x at the indices, repeats allowed.  dx = dy's rows added into zeros at those indices. */
    static final class GatherRows extends Function {
        private final int[] indices;

        GatherRows(int... indices) { this.indices = indices.clone(); }

        @Override protected Tensor forward(Tensor... xs) { return xs[0].gatherRows(indices); }

        @Override protected Variable[] backward(Variable gy) {
            return grads(Ops.scatterAddRows(gy, input(0).shape().dim(0), indices));
        }
    }

    /** y = zeros with x's row j added into row indices[j].  dx = dy's rows at the indices (a gather). */
    static final class ScatterAddRows extends Function {
        private final int rows;
        private final int[] indices;

        ScatterAddRows(int rows, int... indices) {
            this.rows = rows;
            this.indices = indices.clone();
        }

        @Override protected Tensor forward(Tensor... xs) { return xs[0].scatterAddRows(rows, indices); }

        @Override protected Variable[] backward(Variable gy) { return grads(Ops.gatherRows(gy, indices)); }
    }
}
