package dev.chainrule.core;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * An n-dimensional array of doubles in row-major order. Operations return new tensors and never change their
 * operands; a tensor never shares its array with a caller ({@link #toArray()} and the factories copy).
 * Element-wise binary operations broadcast with NumPy's rules. Every shape error is an
 * {@link IllegalArgumentException} that names the operation and both shapes.
 */
public final class Tensor {
    private final Shape shape;
    private final double[] data;

    /** Takes ownership of {@code data}, which no caller holds (other tensors may: none writes into it). */
    private Tensor(Shape shape, double[] data) {
        this.shape = shape;
        this.data = data;
    }

    // ---- creation -------------------------------------------------------------------------------------------

    /** A tensor of the given shape holding a copy of {@code values} in row-major order. */
    public static Tensor of(Shape shape, double... values) {
        checkArgument(values.length == shape.size(), "Tensor.of: %s values do not fill shape %s (%s elements)",
                values.length, shape, shape.size());
        return new Tensor(shape, values.clone());
    }

    /** A 1-D tensor holding a copy of {@code values}. */
    public static Tensor vector(double... values) {
        return new Tensor(Shape.of(values.length), values.clone());
    }

    /** A 2-D tensor from rows of equal length, copied. */
    public static Tensor matrix(double[]... rows) {
        int n = rows.length == 0 ? 0 : rows[0].length;
        double[] data = new double[rows.length * n];
        for (int i = 0; i < rows.length; i++) {
            checkArgument(rows[i].length == n, "Tensor.matrix: row %s has %s values but row 0 has %s", i, rows[i].length, n);
            System.arraycopy(rows[i], 0, data, i * n, n);
        }
        return new Tensor(Shape.of(rows.length, n), data);
    }

    /** A rank-0 tensor. */
    public static Tensor scalar(double value) {
        return new Tensor(Shape.scalar(), new double[] {value});
    }

    public static Tensor zeros(Shape shape) {
        return new Tensor(shape, new double[shape.size()]);
    }

    public static Tensor zeros(int... dims) {
        return zeros(Shape.of(dims));
    }

    public static Tensor ones(Shape shape) {
        return full(shape, 1.0);
    }

    public static Tensor ones(int... dims) {
        return ones(Shape.of(dims));
    }

    public static Tensor full(Shape shape, double value) {
        double[] data = new double[shape.size()];
        Arrays.fill(data, value);
        return new Tensor(shape, data);
    }

    /** Uniform on [low, high) from {@code random}: the same generator state gives the same numbers. */
    public static Tensor uniform(RandomGenerator random, double low, double high, Shape shape) {
        checkArgument(low < high, "Tensor.uniform: low %s must be below high %s", low, high);
        double below = Math.nextDown(high); // low + width·u can round up to high when the width is tiny
        double[] data = new double[shape.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = Math.min(low + (high - low) * random.nextDouble(), below);
        }
        return new Tensor(shape, data);
    }

    /** Normal with the given mean and standard deviation from {@code random}. */
    public static Tensor normal(RandomGenerator random, double mean, double std, Shape shape) {
        checkArgument(std >= 0, "Tensor.normal: standard deviation %s is negative", std);
        double[] data = new double[shape.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = mean + std * random.nextGaussian();
        }
        return new Tensor(shape, data);
    }

    // ---- access ---------------------------------------------------------------------------------------------

    public Shape shape() {
        return shape;
    }

    public int rank() {
        return shape.rank();
    }

    public int size() {
        return data.length;
    }

    /** The element at a full index; negative indices are not accepted. */
    public double get(int... index) {
        int offset = 0;
        boolean inBounds = index.length == rank();
        for (int i = 0; inBounds && i < index.length; i++) {
            inBounds = index[i] >= 0 && index[i] < shape.dim(i);
            offset += index[i] * shape.stride(i);
        }
        if (!inBounds) {
            throw new IllegalArgumentException("get: index " + Arrays.toString(index) + " is out of bounds for shape " + shape);
        }
        return data[offset];
    }

    /** The element at a row-major position, whatever the rank. */
    public double getFlat(int position) {
        checkArgument(position >= 0 && position < data.length, "getFlat: position %s is out of bounds for shape %s",
                position, shape);
        return data[position];
    }

    /** The only element of a tensor of size 1, whatever its rank. */
    public double item() {
        checkArgument(data.length == 1, "item: shape %s has %s elements, not 1", shape, data.length);
        return data[0];
    }

    /** A copy of the elements in row-major order. */
    public double[] toArray() {
        return data.clone();
    }

    /** A copy of this tensor with one element replaced; used to perturb inputs in gradient checks. */
    public Tensor withFlat(int position, double value) {
        checkArgument(position >= 0 && position < data.length, "withFlat: position %s is out of bounds for shape %s",
                position, shape);
        double[] copy = data.clone();
        copy[position] = value;
        return new Tensor(shape, copy);
    }

    // ---- element-wise ---------------------------------------------------------------------------------------

    /** y = f(x) for every element. */
    public Tensor map(DoubleUnaryOperator f) {
        return new Tensor(shape, Kernels.map(data, f));
    }

    /** z = f(this, other) element by element, after broadcasting both to a common shape. */
    public Tensor zip(String operation, Tensor other, DoubleBinaryOperator f) {
        Shape out = Shape.broadcast(operation, shape, other.shape);
        return new Tensor(out, Kernels.zip(data, shape, other.data, other.shape, out, f));
    }

    public Tensor add(Tensor other) {
        return zip("add", other, Double::sum);
    }

    public Tensor sub(Tensor other) {
        return zip("sub", other, (a, b) -> a - b);
    }

    public Tensor mul(Tensor other) {
        return zip("mul", other, (a, b) -> a * b);
    }

    public Tensor div(Tensor other) {
        return zip("div", other, (a, b) -> a / b);
    }

    public Tensor add(double c) {
        return map(x -> x + c);
    }

    public Tensor mul(double c) {
        return map(x -> x * c);
    }

    public Tensor neg() {
        return map(x -> -x);
    }

    public Tensor exp() {
        return map(Math::exp);
    }

    public Tensor log() {
        return map(Math::log);
    }

    public Tensor pow(double exponent) {
        return exponent == 2.0 ? map(x -> x * x) : map(x -> Math.pow(x, exponent));
    }

    public Tensor tanh() {
        return map(Math::tanh);
    }

    /** σ(x) = 1 / (1 + e^−x), without overflow for large |x|. */
    public Tensor sigmoid() {
        return map(Kernels::sigmoid);
    }

    /** max(x, c) element by element; {@code maximum(0)} is ReLU. */
    public Tensor maximum(double c) {
        return map(x -> Math.max(x, c));
    }

    /** min(x, c) element by element. */
    public Tensor minimum(double c) {
        return map(x -> Math.min(x, c));
    }

    // ---- reductions -----------------------------------------------------------------------------------------

    /** Sum of all elements, as a scalar tensor. */
    public Tensor sum() {
        return sum(false);
    }

    /** Sum over the given axes (all axes when none are given); keepDims leaves them as size 1. */
    public Tensor sum(boolean keepDims, int... axes) {
        return fold("sum", keepDims, axes, 0.0, Double::sum);
    }

    /** Mean of all elements, as a scalar tensor. */
    public Tensor mean() {
        return mean(false);
    }

    /** Mean over the given axes (all axes when none are given). */
    public Tensor mean(boolean keepDims, int... axes) {
        Tensor sum = fold("mean", keepDims, axes, 0.0, Double::sum);
        return sum.mul((double) sum.size() / size());
    }

    /** Largest element, as a scalar tensor (NaN if any element is NaN). */
    public Tensor max() {
        return max(false);
    }

    /** Maximum over the given axes (all axes when none are given). */
    public Tensor max(boolean keepDims, int... axes) {
        checkArgument(size() > 0, "max: shape %s has no elements", shape);
        return fold("max", keepDims, axes, Double.NEGATIVE_INFINITY, Math::max);
    }

    private Tensor fold(String operation, boolean keepDims, int[] axes, double initial, DoubleBinaryOperator f) {
        Shape kept = shape.reduce(operation, true, axes);
        double[] folded = Kernels.fold(data, shape, kept, initial, f);
        return new Tensor(keepDims ? kept : shape.reduce(operation, false, axes), folded);
    }

    /** Row-major position of the largest element (the first on ties, the first NaN if any). */
    public int argmax() {
        return (int) reshape(size()).argmax(0).item();
    }

    /** Index of the largest element along one axis (the first on ties, the first NaN if any), that axis removed. */
    public Tensor argmax(int axis) {
        int ax = shape.axis("argmax", axis);
        checkArgument(shape.dim(ax) > 0, "argmax: axis %s of %s is empty", axis, shape);
        Shape out = shape.reduce("argmax", false, ax);
        int n = shape.dim(ax);
        int inner = shape.stride(ax);
        int outer = inner == 0 ? 0 : out.size() / inner;
        double[] indices = new double[out.size()];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                int best = 0;
                for (int j = 1; j < n && !Double.isNaN(data[base + best * inner]); j++) {
                    double v = data[base + j * inner];
                    if (v > data[base + best * inner] || Double.isNaN(v)) {
                        best = j;
                    }
                }
                indices[o * inner + i] = best;
            }
        }
        return new Tensor(out, indices);
    }

    /** Softmax along the last axis: every row is positive and sums to 1. */
    public Tensor softmax() {
        checkArgument(rank() >= 1, "softmax: needs at least one axis, got shape %s", shape);
        return new Tensor(shape, Kernels.softmaxRows(data, shape.dim(-1)));
    }

    /** log softmax along the last axis, computed without overflow. */
    public Tensor logSoftmax() {
        checkArgument(rank() >= 1, "logSoftmax: needs at least one axis, got shape %s", shape);
        return new Tensor(shape, Kernels.logSoftmaxRows(data, shape.dim(-1)));
    }

    // ---- shapes ---------------------------------------------------------------------------------------------

    /**
     * The same elements in another shape of equal size. The result shares this tensor's array, which is safe
     * because no tensor operation writes into an existing array.
     */
    public Tensor reshape(Shape newShape) {
        checkArgument(newShape.size() == size(), "reshape: %s has %s elements but %s has %s",
                shape, size(), newShape, newShape.size());
        return new Tensor(newShape, data);
    }

    public Tensor reshape(int... dims) {
        return reshape(Shape.of(dims));
    }

    /** Reverses the axes; for a matrix, the ordinary transpose. */
    public Tensor transpose() {
        return transpose(shape.reversedAxes());
    }

    /** Permutes the axes: axis i of the result is axis {@code perm[i]} of this tensor. */
    public Tensor transpose(int... perm) {
        boolean[] seen = new boolean[perm.length];
        int[] dims = new int[perm.length];
        boolean valid = perm.length == rank();
        for (int i = 0; valid && i < perm.length; i++) {
            valid = perm[i] >= 0 && perm[i] < perm.length && !seen[perm[i]];
            if (valid) {
                seen[perm[i]] = true;
                dims[i] = shape.dim(perm[i]);
            }
        }
        if (!valid) {
            throw new IllegalArgumentException(
                    "transpose: " + Arrays.toString(perm) + " is not a permutation of the axes of " + shape);
        }
        Shape out = Shape.of(dims);
        return new Tensor(out, Kernels.permute(data, shape, perm, out));
    }

    /** Repeats this tensor along broadcast axes to fill {@code target}. */
    public Tensor broadcastTo(Shape target) {
        checkArgument(shape.broadcastsTo(target), "broadcastTo: %s does not broadcast to %s", shape, target);
        return shape.equals(target) ? this : new Tensor(target, Kernels.broadcast(data, shape, target));
    }

    /**
     * Sums over the axes that broadcasting from {@code target} would have expanded, so that the result has shape
     * {@code target}: the adjoint of {@link #broadcastTo}.
     */
    public Tensor sumTo(Shape target) {
        checkArgument(target.broadcastsTo(shape), "sumTo: %s cannot be summed to %s, which does not broadcast to it",
                shape, target);
        if (shape.equals(target)) {
            return this;
        }
        Shape padded = padLeft(target, rank());
        return new Tensor(target, Kernels.fold(data, shape, padded, 0.0, Double::sum));
    }

    private static Shape padLeft(Shape s, int rank) {
        int[] dims = new int[rank];
        Arrays.fill(dims, 1);
        System.arraycopy(s.dims(), 0, dims, rank - s.rank(), s.rank());
        return Shape.of(dims);
    }

    // ---- linear algebra -------------------------------------------------------------------------------------

    /** The matrix product this·other of (m×k) and (k×n) matrices. */
    public Tensor matmul(Tensor other) {
        return product("matmul", "%s · %s", other, false, false, Kernels::matmul);
    }

    /** thisᵀ·other for this (k×m) and other (k×n), without building the transpose. */
    public Tensor matmulTransA(Tensor other) {
        return product("matmulTransA", "%sᵀ · %s", other, true, false, Kernels::matmulTransA);
    }

    /** this·otherᵀ for this (m×k) and other (n×k), without building the transpose. */
    public Tensor matmulTransB(Tensor other) {
        return product("matmulTransB", "%s · %sᵀ", other, false, true, Kernels::matmulTransB);
    }

    /** One of the matrix-product kernels: C(m×n) from A and B stored as the form requires. */
    @FunctionalInterface
    private interface ProductKernel {
        double[] multiply(double[] a, double[] b, int m, int k, int n);
    }

    private Tensor product(String operation, String form, Tensor other, boolean transA, boolean transB,
            ProductKernel kernel) {
        checkArgument(rank() == 2 && other.rank() == 2, "%s: %s and %s: both operands must be matrices",
                operation, shape, other.shape);
        int m = shape.dim(transA ? 1 : 0), k = shape.dim(transA ? 0 : 1);
        int kOther = other.shape.dim(transB ? 1 : 0), n = other.shape.dim(transB ? 0 : 1);
        if (k != kOther) {
            throw new IllegalArgumentException(operation + ": " + String.format(form, shape, other.shape)
                    + ": inner dimensions " + k + " and " + kOther + " differ");
        }
        return new Tensor(Shape.of(m, n), kernel.multiply(data, other.data, m, k, n));
    }

    // ---- comparison and printing ----------------------------------------------------------------------------

    /** Same shape, and every pair of elements within atol + rtol·|other|, as NumPy's allclose. */
    public boolean allClose(Tensor other, double atol, double rtol) {
        if (!shape.equals(other.shape)) {
            return false;
        }
        for (int i = 0; i < data.length; i++) {
            boolean close = data[i] == other.data[i] // equal infinities too
                    || Math.abs(data[i] - other.data[i]) <= atol + rtol * Math.abs(other.data[i]);
            if (!close) {
                return false; // NaN is close to nothing
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor && shape.equals(((Tensor) o).shape) && Arrays.equals(data, ((Tensor) o).data);
    }

    @Override
    public int hashCode() {
        return 31 * shape.hashCode() + Arrays.hashCode(data);
    }

    /** Nested brackets as NumPy prints them, e.g. {@code [[1.0, 2.0], [3.0, 4.0]]}; long tensors are elided. */
    @Override
    public String toString() {
        if (data.length > 1000) {
            return "Tensor" + shape + " [" + data[0] + ", " + data[1] + ", ..., " + data[data.length - 1] + "]";
        }
        StringBuilder sb = new StringBuilder();
        appendNested(sb, 0, 0);
        return sb.toString();
    }

    private int appendNested(StringBuilder sb, int axis, int offset) {
        if (axis == rank()) {
            sb.append(data[offset]);
            return offset + 1;
        }
        sb.append('[');
        for (int i = 0; i < shape.dim(axis); i++) {
            sb.append(i == 0 ? "" : ", ");
            offset = appendNested(sb, axis + 1, offset);
        }
        sb.append(']');
        return offset;
    }
}
