package dev.chainrule.autodiff;

import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * The nodes' forward passes written from their definitions, one multi-index at a time: slow and obvious, and
 * sharing no code with core's kernels (no strides, cursors or broadcasting helpers), so that they can serve
 * as oracles in the forward properties.
 */
final class Direct {
    private Direct() {}

    /** Every multi-index of a shape in row-major order; a scalar has one, the empty index. */
    static List<int[]> indices(Shape shape) {
        int[] dims = shape.dims();
        List<int[]> all = new ArrayList<>();
        int[] index = new int[dims.length];
        for (int flat = 0; flat < shape.size(); flat++) {
            all.add(index.clone());
            for (int axis = dims.length - 1; axis >= 0 && ++index[axis] == dims[axis]; axis--) {
                index[axis] = 0;
            }
        }
        return all;
    }

    /** The row-major position of a multi-index. */
    static int position(int[] index, Shape shape) {
        int position = 0;
        for (int axis = 0; axis < index.length; axis++) {
            position = position * shape.dim(axis) + index[axis];
        }
        return position;
    }

    /** f applied to every element. */
    static Tensor map(Tensor x, DoubleUnaryOperator f) {
        double[] values = x.toArray();
        for (int i = 0; i < values.length; i++) {
            values[i] = f.applyAsDouble(values[i]);
        }
        return Tensor.of(x.shape(), values);
    }

    /** NumPy's broadcast shape: dimensions aligned from the right, a 1 giving way to the other. */
    static Shape broadcastShape(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = fromRight(a, rank - 1 - i);
            int db = fromRight(b, rank - 1 - i);
            dims[i] = da == 1 ? db : da;
        }
        return Shape.of(dims);
    }

    private static int fromRight(Shape s, int fromRight) {
        return fromRight < s.rank() ? s.dim(s.rank() - 1 - fromRight) : 1;
    }

    /** The index of an operand of shape {@code from} that broadcasting reads at {@code index}: 0 on its size-1 axes. */
    static int[] source(int[] index, Shape from) {
        int shift = index.length - from.rank();
        int[] src = new int[from.rank()];
        for (int axis = 0; axis < src.length; axis++) {
            src[axis] = from.dim(axis) == 1 ? 0 : index[axis + shift];
        }
        return src;
    }

    /** z = f(a, b) element by element, after broadcasting. */
    static Tensor elementwise(Tensor a, Tensor b, DoubleBinaryOperator f) {
        Shape out = broadcastShape(a.shape(), b.shape());
        double[] values = new double[out.size()];
        for (int[] index : indices(out)) {
            double x = a.get(source(index, a.shape())), y = b.get(source(index, b.shape()));
            values[position(index, out)] = f.applyAsDouble(x, y);
        }
        return Tensor.of(out, values);
    }

    static Tensor broadcastTo(Tensor x, Shape shape) {
        return elementwise(x, Tensor.zeros(shape), (v, zero) -> v);
    }

    /** Every element of x added into the element of {@code shape} that broadcasting would have copied it from. */
    static Tensor sumTo(Tensor x, Shape shape) {
        double[] values = new double[shape.size()];
        for (int[] index : indices(x.shape())) {
            values[position(source(index, shape), shape)] += x.get(index);
        }
        return Tensor.of(shape, values);
    }

    /** Σ over the given axes (negative ones counted from the end; none means all). */
    static Tensor sum(Tensor x, boolean keepDims, int... axes) {
        return fold(x, 0.0, Double::sum, keepDims, axes);
    }

    /** The largest element over the given axes (none means all). */
    static Tensor max(Tensor x, boolean keepDims, int... axes) {
        return fold(x, Double.NEGATIVE_INFINITY, Math::max, keepDims, axes);
    }

    /** The smallest element over the given axes (none means all). */
    static Tensor min(Tensor x, boolean keepDims, int... axes) {
        return fold(x, Double.POSITIVE_INFINITY, Math::min, keepDims, axes);
    }

    /**
     * 1 at the first element, in row-major order, of each group reduced over the axes that equals the group's
     * largest (or smallest) element, 0 elsewhere: where max (min) sends its gradient.
     */
    static Tensor firstExtremeMask(Tensor x, boolean largest, int... axes) {
        Tensor extremes = largest ? max(x, true, axes) : min(x, true, axes);
        boolean[] found = new boolean[extremes.size()];
        double[] mask = new double[x.size()];
        for (int[] index : indices(x.shape())) {
            int group = position(source(index, extremes.shape()), extremes.shape());
            if (!found[group] && x.get(index) == extremes.getFlat(group)) {
                found[group] = true;
                mask[position(index, x.shape())] = 1.0;
            }
        }
        return Tensor.of(x.shape(), mask);
    }

    /** Each element of x folded into the element of its group: the reduced axes (none means all) set to 0. */
    private static Tensor fold(Tensor x, double initial, DoubleBinaryOperator f, boolean keepDims, int... axes) {
        int rank = x.rank();
        boolean[] reduced = new boolean[rank];
        for (int axis : axes) {
            reduced[axis < 0 ? axis + rank : axis] = true;
        }
        List<Integer> keptDims = new ArrayList<>();
        List<Integer> outDims = new ArrayList<>();
        for (int axis = 0; axis < rank; axis++) {
            boolean r = axes.length == 0 || reduced[axis];
            keptDims.add(r ? 1 : x.shape().dim(axis));
            if (!r || keepDims) {
                outDims.add(r ? 1 : x.shape().dim(axis));
            }
        }
        Shape kept = toShape(keptDims);
        double[] values = new double[kept.size()];
        Arrays.fill(values, initial);
        for (int[] index : indices(x.shape())) {
            int group = position(source(index, kept), kept);
            values[group] = f.applyAsDouble(values[group], x.get(index));
        }
        return Tensor.of(toShape(outDims), values);
    }

    /** The mean over the given axes: their sum over the count of elements summed into each result. */
    static Tensor mean(Tensor x, boolean keepDims, int... axes) {
        Tensor sum = sum(x, keepDims, axes);
        double count = (double) x.size() / sum.size();
        return map(sum, v -> v / count);
    }

    /** Axis i of the result is axis perm[i] of x. */
    static Tensor transpose(Tensor x, int... perm) {
        int[] dims = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            dims[i] = x.shape().dim(perm[i]);
        }
        Shape out = Shape.of(dims);
        double[] values = new double[out.size()];
        for (int[] index : indices(out)) {
            int[] src = new int[perm.length];
            for (int i = 0; i < perm.length; i++) {
                src[perm[i]] = index[i];
            }
            values[position(index, out)] = x.get(src);
        }
        return Tensor.of(out, values);
    }

    /** The parts joined along an axis: position i along it reads the part whose range of positions holds i. */
    static Tensor concat(int axis, Tensor... parts) {
        int ax = axis < 0 ? axis + parts[0].rank() : axis;
        int[] dims = parts[0].shape().dims();
        dims[ax] = Arrays.stream(parts).mapToInt(p -> p.shape().dim(ax)).sum();
        Shape out = Shape.of(dims);
        double[] values = new double[out.size()];
        for (int[] index : indices(out)) {
            int part = 0;
            int[] src = index.clone();
            while (src[ax] >= parts[part].shape().dim(ax)) {
                src[ax] -= parts[part++].shape().dim(ax);
            }
            values[position(index, out)] = parts[part].get(src);
        }
        return Tensor.of(out, values);
    }

    /** Position i of the new axis holds parts[i]. */
    static Tensor stack(int axis, Tensor... parts) {
        int rank = parts[0].rank() + 1;
        int ax = axis < 0 ? axis + rank : axis;
        List<Integer> dims = new ArrayList<>();
        for (int d : parts[0].shape().dims()) {
            dims.add(d);
        }
        dims.add(ax, parts.length);
        Shape out = toShape(dims);
        double[] values = new double[out.size()];
        for (int[] index : indices(out)) {
            values[position(index, out)] = parts[index[ax]].get(without(index, ax));
        }
        return Tensor.of(out, values);
    }

    /** The index with one axis removed. */
    static int[] without(int[] index, int axis) {
        int[] rest = new int[index.length - 1];
        for (int i = 0, j = 0; i < index.length; i++) {
            if (i != axis) {
                rest[j++] = index[i];
            }
        }
        return rest;
    }

    /** y[…, j, …] = x[…, from + j, …] along the axis, for j in [0, to − from). */
    static Tensor slice(Tensor x, int axis, int from, int to) {
        int ax = axis < 0 ? axis + x.rank() : axis;
        int[] dims = x.shape().dims();
        dims[ax] = to - from;
        Shape out = Shape.of(dims);
        double[] values = new double[out.size()];
        for (int[] index : indices(out)) {
            int[] src = index.clone();
            src[ax] += from;
            values[position(index, out)] = x.get(src);
        }
        return Tensor.of(out, values);
    }

    /** y[…, before + j, …] = x[…, j, …] along the axis, zeros at the other positions. */
    static Tensor pad(Tensor x, int axis, int before, int after) {
        int ax = axis < 0 ? axis + x.rank() : axis;
        int[] dims = x.shape().dims();
        dims[ax] += before + after;
        Shape out = Shape.of(dims);
        double[] values = new double[out.size()];
        for (int[] index : indices(x.shape())) {
            int[] dst = index.clone();
            dst[ax] += before;
            values[position(dst, out)] = x.get(index);
        }
        return Tensor.of(out, values);
    }

    /** y[i…] = x[i…] with {@code position} put back in at the axis. */
    static Tensor index(Tensor x, int axis, int position) {
        int ax = axis < 0 ? axis + x.rank() : axis;
        Shape out = Shape.of(without(x.shape().dims(), ax));
        double[] values = new double[out.size()];
        for (int[] index : indices(x.shape())) {
            if (index[ax] == position) {
                values[position(without(index, ax), out)] = x.get(index);
            }
        }
        return Tensor.of(out, values);
    }

    /** Row j of y is row indices[j] of x. */
    static Tensor gatherRows(Tensor x, int... indices) {
        int[] dims = x.shape().dims();
        dims[0] = indices.length;
        Shape out = Shape.of(dims);
        double[] values = new double[out.size()];
        for (int[] index : indices(out)) {
            int[] src = index.clone();
            src[0] = indices[index[0]];
            values[position(index, out)] = x.get(src);
        }
        return Tensor.of(out, values);
    }

    /** Row j of x added into row indices[j] of zeros with {@code rows} rows. */
    static Tensor scatterAddRows(Tensor x, int rows, int... indices) {
        int[] dims = x.shape().dims();
        dims[0] = rows;
        Shape out = Shape.of(dims);
        double[] values = new double[out.size()];
        for (int[] index : indices(x.shape())) {
            int[] dst = index.clone();
            dst[0] = indices[index[0]];
            values[position(dst, out)] += x.get(index);
        }
        return Tensor.of(out, values);
    }

    /** a where c is 1, b where it is 0, the three broadcast. */
    static Tensor where(Tensor c, Tensor a, Tensor b) {
        Shape out = broadcastShape(c.shape(), broadcastShape(a.shape(), b.shape()));
        double[] values = new double[out.size()];
        for (int[] index : indices(out)) {
            Tensor chosen = c.get(source(index, c.shape())) == 1 ? a : b;
            values[position(index, out)] = chosen.get(source(index, chosen.shape()));
        }
        return Tensor.of(out, values);
    }

    /** C = A·B for matrices, Cᵢⱼ = Σₚ Aᵢₚ Bₚⱼ. */
    static Tensor matmul(Tensor a, Tensor b) {
        int m = a.shape().dim(0), k = a.shape().dim(1), n = b.shape().dim(1);
        double[] values = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    values[i * n + j] += a.get(i, p) * b.get(p, j);
                }
            }
        }
        return Tensor.of(Shape.of(m, n), values);
    }

    /** eᶻ / Σ eᶻ along the last axis, unshifted: for logits small enough that eᶻ does not overflow. */
    static Tensor softmax(Tensor z) {
        Tensor e = map(z, Math::exp);
        int last = z.rank() - 1;
        Tensor rowSums = sum(e, true, last);
        return elementwise(e, rowSums, (v, rowSum) -> v / rowSum);
    }

    /** Rows with a 1 at each label and 0 elsewhere. */
    static Tensor oneHot(int classes, int... labels) {
        double[] values = new double[labels.length * classes];
        for (int row = 0; row < labels.length; row++) {
            values[row * classes + labels[row]] = 1.0;
        }
        return Tensor.of(Shape.of(labels.length, classes), values);
    }

    /** The batch size a loss divides by: the first dimension, 1 for a scalar. */
    static int rows(Shape shape) {
        return shape.rank() == 0 ? 1 : shape.dim(0);
    }

    private static Shape toShape(List<Integer> dims) {
        return Shape.of(dims.stream().mapToInt(Integer::intValue).toArray());
    }
}
