package dev.chainrule.core;

import static com.google.common.base.Preconditions.checkArgument;

import java.nio.DoubleBuffer;
import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * An n-dimensional array of doubles in row-major order. Operations return new tensors and never change their
 * operands; a tensor never shares its array with a caller ({@link #toArray()} and the factories copy). The one
 * exception is the tensor of a {@link WritableTensor}, whose owner overwrites it in place.
 * Element-wise binary operations broadcast with NumPy's rules. Every shape error is an
 * {@link IllegalArgumentException} that names the operation and both shapes.
 *
 * <p>No method accepts {@code null}. Arithmetic follows IEEE 754 as Java's {@code double} does: nothing is
 * checked for overflow, NaN or infinity, so {@code log} of a negative element is NaN and {@code div} by zero is
 * infinite or NaN. An axis argument may be negative and then counts from the end, as in NumPy; an index or a
 * permutation may not.
 */
public final class Tensor {
    private final Shape shape;
    private final double[] data;

    /**
     * Takes ownership of {@code data}, which no caller holds (other tensors may: none writes into it, except a
     * {@link WritableTensor}'s owner into its own).
     */
    Tensor(Shape shape, double[] data) {
        this.shape = shape;
        this.data = data;
    }

    // ---- creation -------------------------------------------------------------------------------------------

    /**
     * A tensor of the given shape holding a copy of {@code values} in row-major order.
     *
     * @param shape the shape of the result
     * @param values the elements in row-major order, exactly {@code shape.size()} of them (one for a scalar);
     *     copied, so later changes to the array do not reach the tensor
     * @return a new tensor
     * @throws IllegalArgumentException if the number of values is not the size of the shape
     */
    public static Tensor of(Shape shape, double... values) {
        checkFills("Tensor.of", shape, values);
        return new Tensor(shape, values.clone());
    }

    /**
     * A tensor that takes over {@code values} without copying it: for data too large to hold twice, such as a
     * dataset read from a file. The caller hands the array over and must not read or write it afterwards, since
     * tensors are immutable and may share their arrays with others.
     *
     * @param shape the shape of the result
     * @param values the elements in row-major order, exactly {@code shape.size()} of them; owned by the tensor
     *     from now on
     * @return a new tensor backed by {@code values}
     * @throws IllegalArgumentException if the number of values is not the size of the shape
     */
    public static Tensor adopt(Shape shape, double[] values) {
        checkFills("Tensor.adopt", shape, values);
        return new Tensor(shape, values);
    }

    private static void checkFills(String operation, Shape shape, double[] values) {
        if (values.length != shape.size()) {
            throw new IllegalArgumentException(
                    operation + ": shape " + shape + " needs " + count(shape.size(), "value") + ", got " + values.length);
        }
    }

    /**
     * A 1-D tensor holding a copy of {@code values}.
     *
     * @param values the elements, possibly none; copied
     * @return a new tensor of shape ({@code values.length})
     */
    public static Tensor vector(double... values) {
        return new Tensor(Shape.of(values.length), values.clone());
    }

    /**
     * A 2-D tensor from rows of equal length, copied.
     *
     * @param rows the rows, each an array of the same length; none gives shape (0, 0). Copied, so later changes
     *     to the arrays do not reach the tensor
     * @return a new tensor of shape ({@code rows.length}, {@code rows[0].length})
     * @throws IllegalArgumentException if a row's length differs from that of row 0
     */
    public static Tensor matrix(double[]... rows) {
        int n = rows.length == 0 ? 0 : rows[0].length;
        double[] data = new double[rows.length * n];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != n) {
                throw new IllegalArgumentException(
                        "Tensor.matrix: row " + i + " has " + count(rows[i].length, "value") + " but row 0 has " + n);
            }
            System.arraycopy(rows[i], 0, data, i * n, n);
        }
        return new Tensor(Shape.of(rows.length, n), data);
    }

    /**
     * A rank-0 tensor.
     *
     * @param value its only element
     * @return a new tensor of shape {@code ()}
     */
    public static Tensor scalar(double value) {
        return new Tensor(Shape.scalar(), new double[] {value});
    }

    /**
     * A tensor of zeros.
     *
     * @param shape the shape of the result
     * @return a new tensor of that shape whose every element is 0.0
     */
    public static Tensor zeros(Shape shape) {
        return new Tensor(shape, new double[shape.size()]);
    }

    /**
     * A tensor of zeros; shorthand for {@code zeros(Shape.of(dims))}.
     *
     * @param dims the size of each axis, each at least 0; none gives a scalar. Only read
     * @return a new tensor whose every element is 0.0
     * @throws IllegalArgumentException if {@link Shape#of} refuses {@code dims}
     */
    public static Tensor zeros(int... dims) {
        return zeros(Shape.of(dims));
    }

    /**
     * A tensor of ones.
     *
     * @param shape the shape of the result
     * @return a new tensor of that shape whose every element is 1.0
     */
    public static Tensor ones(Shape shape) {
        return full(shape, 1.0);
    }

    /**
     * A tensor of ones; shorthand for {@code ones(Shape.of(dims))}.
     *
     * @param dims the size of each axis, each at least 0; none gives a scalar. Only read
     * @return a new tensor whose every element is 1.0
     * @throws IllegalArgumentException if {@link Shape#of} refuses {@code dims}
     */
    public static Tensor ones(int... dims) {
        return ones(Shape.of(dims));
    }

    /**
     * A tensor with every element equal to one value.
     *
     * @param shape the shape of the result
     * @param value every element, which may be NaN or infinite
     * @return a new tensor of that shape
     */
    public static Tensor full(Shape shape, double value) {
        double[] data = new double[shape.size()];
        Arrays.fill(data, value);
        return new Tensor(shape, data);
    }

    /**
     * Uniform on [low, high) from {@code random}: the same generator state gives the same numbers.
     *
     * @param random the source, advanced by one {@code nextDouble()} per element in row-major order
     * @param low the smallest value that can occur
     * @param high the bound that no value reaches; must be above {@code low}
     * @param shape the shape of the result
     * @return a new tensor of that shape
     * @throws IllegalArgumentException unless {@code low < high}, which also refuses a NaN bound
     */
    public static Tensor uniform(RandomGenerator random, double low, double high, Shape shape) {
        checkArgument(low < high, "Tensor.uniform: low %s must be below high %s", low, high);
        double below = Math.nextDown(high); // low + width·u can round up to high when the width is tiny
        double[] data = new double[shape.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = Math.min(low + (high - low) * random.nextDouble(), below);
        }
        return new Tensor(shape, data);
    }

    /**
     * Normal with the given mean and standard deviation from {@code random}.
     *
     * @param random the source, advanced by one {@code nextGaussian()} per element in row-major order
     * @param mean the mean of the distribution
     * @param std the standard deviation, at least 0; 0 makes every element {@code mean}
     * @param shape the shape of the result
     * @return a new tensor of that shape
     * @throws IllegalArgumentException if {@code std} is negative or NaN
     */
    public static Tensor normal(RandomGenerator random, double mean, double std, Shape shape) {
        checkArgument(std >= 0, "Tensor.normal: standard deviation %s is negative", std);
        double[] data = new double[shape.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = mean + std * random.nextGaussian();
        }
        return new Tensor(shape, data);
    }

    /**
     * Independent 0/1 draws, each 1 with the given probability, from {@code random}: a dropout mask.
     *
     * @param random the source, advanced by one {@code nextDouble()} per element in row-major order; an element
     *     is 1 when its draw is below {@code probability}
     * @param probability the chance of a 1, in [0, 1]: 0 gives zeros and 1 gives ones
     * @param shape the shape of the result
     * @return a new tensor of that shape, every element 0.0 or 1.0
     * @throws IllegalArgumentException if {@code probability} is outside [0, 1] or NaN
     */
    public static Tensor bernoulli(RandomGenerator random, double probability, Shape shape) {
        checkArgument(probability >= 0 && probability <= 1, "Tensor.bernoulli: probability %s is outside [0, 1]",
                probability);
        double[] data = new double[shape.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextDouble() < probability ? 1.0 : 0.0;
        }
        return new Tensor(shape, data);
    }

    // ---- access ---------------------------------------------------------------------------------------------

    /**
     * The dimensions of this tensor.
     *
     * @return the shape, an immutable value
     */
    public Shape shape() {
        return shape;
    }

    /**
     * The number of axes: {@code shape().rank()}.
     *
     * @return the rank, 0 for a scalar
     */
    public int rank() {
        return shape.rank();
    }

    /**
     * The number of elements: {@code shape().size()}.
     *
     * @return the size, 1 for a scalar and 0 when any dimension is 0
     */
    public int size() {
        return data.length;
    }

    /**
     * The element at a full index; negative indices are not accepted.
     *
     * @param index one entry per axis, entry {@code i} in [0, dim(i)); none for a scalar. Only read
     * @return the element
     * @throws IllegalArgumentException if the index does not have one entry per axis, or an entry is out of bounds
     */
    public double get(int... index) {
        int offset = 0;
        boolean inBounds = index.length == rank();
        for (int i = 0; inBounds && i < index.length; i++) {
            inBounds = index[i] >= 0 && index[i] < shape.dim(i);
            offset = offset * shape.dim(i) + index[i]; // Horner's rule: Σ index[i]·stride(i), strides not kept
        }
        if (!inBounds) {
            throw new IllegalArgumentException("get: index " + Arrays.toString(index) + " is out of bounds for shape " + shape);
        }
        return data[offset];
    }

    /**
     * The element at a row-major position, whatever the rank.
     *
     * @param position in [0, size)
     * @return the element
     * @throws IllegalArgumentException if the position is out of bounds
     */
    public double getFlat(int position) {
        checkArgument(position >= 0 && position < data.length, "getFlat: position %s is out of bounds for shape %s",
                position, shape);
        return data[position];
    }

    /**
     * The only element of a tensor of size 1, whatever its rank.
     *
     * @return the element
     * @throws IllegalArgumentException if the size is not 1
     */
    public double item() {
        checkArgument(data.length == 1, "item: shape %s has %s elements, not 1", shape, data.length);
        return data[0];
    }

    /**
     * The elements in row-major order as a read-only view of this tensor's own array: no copy, for bulk reads
     * such as a dataset's rows (element by element, {@link #read} is faster).
     *
     * @return a read-only buffer of {@link #size()} elements, positioned at 0
     */
    public DoubleBuffer view() {
        return DoubleBuffer.wrap(data).asReadOnlyBuffer();
    }

    /**
     * Lends this tensor's own array to {@code reader} for one call, without a copy: for loops over large tensors,
     * such as an optimizer's update, that {@link #view()} would slow (an element read through a buffer cost 7
     * times one read from the array, in SGD's update of a 784 × 256 layer).
     *
     * @param reader given the elements in row-major order; it must neither write into the array nor keep it
     */
    public void read(ElementReader reader) {
        reader.read(data);
    }

    /** Reads elements that are lent to it. */
    @FunctionalInterface
    public interface ElementReader {
        /**
         * @param elements the elements in row-major order, lent for this call only, and not to be written
         */
        void read(double[] elements);
    }

    /**
     * Whether this tensor and {@code other} read the same array, as a tensor and its {@link #reshape} do.
     *
     * @param other another tensor
     * @return true when a write into the elements of one would show in the other
     */
    public boolean sharesElementsWith(Tensor other) {
        return data == other.data;
    }

    /**
     * A copy of the elements in row-major order.
     *
     * @return a new array of length {@link #size()}, which the caller owns
     */
    public double[] toArray() {
        return data.clone();
    }

    /**
     * A copy of this tensor with one element replaced; used to perturb inputs in gradient checks.
     *
     * @param position the row-major position to replace, in [0, size)
     * @param value the new element
     * @return a new tensor of the same shape; this one is unchanged
     * @throws IllegalArgumentException if the position is out of bounds
     */
    public Tensor withFlat(int position, double value) {
        checkArgument(position >= 0 && position < data.length, "withFlat: position %s is out of bounds for shape %s",
                position, shape);
        double[] copy = data.clone();
        copy[position] = value;
        return new Tensor(shape, copy);
    }

    // ---- element-wise ---------------------------------------------------------------------------------------

    /**
     * y = f(x) for every element.
     *
     * @param f called once per element
     * @return a new tensor of the same shape
     */
    public Tensor map(DoubleUnaryOperator f) {
        return new Tensor(shape, Kernels.map(data, f));
    }

    /**
     * z = f(this, other) element by element, after broadcasting both to a common shape.
     *
     * @param operation named in the error message
     * @param other the right operand
     * @param f called once per element of the result, with this tensor's element first
     * @return a new tensor of the broadcast shape, {@link Shape#broadcast}
     * @throws IllegalArgumentException naming the operation and both shapes when they do not broadcast
     */
    public Tensor zip(String operation, Tensor other, DoubleBinaryOperator f) {
        Shape out = Shape.broadcast(operation, shape, other.shape);
        return new Tensor(out, Kernels.zip(data, shape, other.data, other.shape, out, f));
    }

    /**
     * this + other, element by element with broadcasting.
     *
     * @param other the right operand
     * @return a new tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast
     */
    public Tensor add(Tensor other) {
        return zip("add", other, Arithmetic.ADD);
    }

    /**
     * this − other, element by element with broadcasting.
     *
     * @param other the right operand
     * @return a new tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast
     */
    public Tensor sub(Tensor other) {
        return zip("sub", other, Arithmetic.SUB);
    }

    /**
     * this · other, element by element (the Hadamard product) with broadcasting.
     *
     * @param other the right operand
     * @return a new tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast
     */
    public Tensor mul(Tensor other) {
        return zip("mul", other, Arithmetic.MUL);
    }

    /**
     * this / other, element by element with broadcasting; division by zero gives ±∞ or NaN.
     *
     * @param other the divisor
     * @return a new tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast
     */
    public Tensor div(Tensor other) {
        return zip("div", other, Arithmetic.DIV);
    }

    /**
     * this + c · other, element by element, in one pass and one new array: {@code w.addScaled(g, -rate)} gives
     * the same bits as {@code w.sub(g.mul(rate))} without the intermediate.
     *
     * @param other the tensor to scale and add, of this shape exactly (no broadcasting)
     * @param c the factor
     * @return a new tensor of this shape
     * @throws IllegalArgumentException if the shapes differ
     */
    public Tensor addScaled(Tensor other, double c) {
        checkSameShape("addScaled", other);
        return new Tensor(shape, Kernels.addScaled(data, other.data, c));
    }

    private void checkSameShape(String operation, Tensor other) {
        checkArgument(shape.equals(other.shape), "%s: %s and %s differ: the shapes must be equal", operation, shape,
                other.shape);
    }

    /**
     * x + c for every element.
     *
     * @param c the constant to add
     * @return a new tensor of the same shape
     */
    public Tensor add(double c) {
        return map(x -> x + c);
    }

    /**
     * x · c for every element.
     *
     * @param c the factor
     * @return a new tensor of the same shape
     */
    public Tensor mul(double c) {
        return map(x -> x * c);
    }

    /**
     * −x for every element.
     *
     * @return a new tensor of the same shape
     */
    public Tensor neg() {
        return map(x -> -x);
    }

    /**
     * e^x for every element; +∞ where it overflows.
     *
     * @return a new tensor of the same shape
     */
    public Tensor exp() {
        return map(Math::exp);
    }

    /**
     * The natural logarithm ln x for every element: −∞ at 0, NaN below 0.
     *
     * @return a new tensor of the same shape
     */
    public Tensor log() {
        return map(Math::log);
    }

    /**
     * x^exponent for every element, as {@link Math#pow} computes it; an exponent of 2 multiplies x · x.
     *
     * @param exponent any value
     * @return a new tensor of the same shape
     */
    public Tensor pow(double exponent) {
        return exponent == 2.0 ? map(x -> x * x) : map(x -> Math.pow(x, exponent));
    }

    /**
     * tanh x for every element, in [−1, 1].
     *
     * @return a new tensor of the same shape
     */
    public Tensor tanh() {
        return map(Math::tanh);
    }

    /**
     * σ(x) = 1 / (1 + e^−x), without overflow for large |x|.
     *
     * @return a new tensor of the same shape, with elements in [0, 1]
     */
    public Tensor sigmoid() {
        return new Tensor(shape, Kernels.sigmoid(data));
    }

    /**
     * The first-order backward of a sigmoid, fused: upstream · y · (1 − y), with this tensor as σ's output y, in
     * one pass and one new array. Equal bit for bit to {@code upstream.mul(y).mul(ones.sub(y))}.
     *
     * @param upstream the gradient of the sigmoid's output, of this shape exactly
     * @return a new tensor of this shape
     * @throws IllegalArgumentException if the shapes differ
     */
    public Tensor sigmoidGradient(Tensor upstream) {
        checkSameShape("sigmoidGradient", upstream);
        return new Tensor(shape, Kernels.sigmoidGradient(data, upstream.data));
    }

    /**
     * The first-order backward of tanh, fused: upstream · (1 − y²), with this tensor as tanh's output y. Equal bit
     * for bit to {@code upstream.mul(ones.sub(y.mul(y)))}.
     *
     * @param upstream the gradient of tanh's output, of this shape exactly
     * @return a new tensor of this shape
     * @throws IllegalArgumentException if the shapes differ
     */
    public Tensor tanhGradient(Tensor upstream) {
        checkSameShape("tanhGradient", upstream);
        return new Tensor(shape, Kernels.tanhGradient(data, upstream.data));
    }

    /**
     * max(x, c) element by element; {@code maximum(0)} is ReLU.
     *
     * @param c the floor; NaN, as a NaN element, gives NaN
     * @return a new tensor of the same shape
     */
    public Tensor maximum(double c) {
        return map(x -> Math.max(x, c));
    }

    /**
     * min(x, c) element by element.
     *
     * @param c the ceiling; NaN, as a NaN element, gives NaN
     * @return a new tensor of the same shape
     */
    public Tensor minimum(double c) {
        return map(x -> Math.min(x, c));
    }

    /**
     * a where the condition is 1 and b where it is 0, element by element after broadcasting all three to a common
     * shape. Nothing is computed from the element not chosen, so a NaN or an infinity there does not show.
     *
     * @param condition 0s and 1s only
     * @param a the elements chosen where the condition is 1
     * @param b the elements chosen where the condition is 0
     * @return a new tensor of the shape the three broadcast to
     * @throws IllegalArgumentException naming the three shapes if they do not broadcast, or naming the first
     *     element of the condition that is neither 0 nor 1
     */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        Shape out;
        try {
            out = Shape.broadcast("where", condition.shape, Shape.broadcast("where", a.shape, b.shape));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("where: condition " + condition.shape + ", a " + a.shape + " and b "
                    + b.shape + " do not broadcast to a common shape", e);
        }
        for (int i = 0; i < condition.data.length; i++) {
            double c = condition.data[i];
            if (c != 0 && c != 1) { // not checkArgument: its arguments would be built for every element
                throw new IllegalArgumentException("where: the condition must hold only 0 and 1, got " + c + " at "
                        + Arrays.toString(condition.shape.unravel(i)) + " of " + condition.shape);
            }
        }
        double[] chosen = Kernels.broadcast(condition.data, condition.shape, out);
        double[] x = Kernels.broadcast(a.data, a.shape, out);
        double[] y = Kernels.broadcast(b.data, b.shape, out);
        for (int i = 0; i < chosen.length; i++) {
            chosen[i] = chosen[i] == 1 ? x[i] : y[i];
        }
        return new Tensor(out, chosen);
    }

    // ---- reductions -----------------------------------------------------------------------------------------

    /**
     * Sum of all elements, as a scalar tensor.
     *
     * @return a new tensor of shape {@code ()}; 0 if there are no elements
     */
    public Tensor sum() {
        return sum(false);
    }

    /**
     * Sum over the given axes (all axes when none are given); keepDims leaves them as size 1.
     *
     * @param keepDims true to keep the summed axes as size 1, so that the result broadcasts against this
     *     tensor; false to remove them
     * @param axes the axes to sum, each in [−rank, rank), none repeated; none means every axis. Only read
     * @return a new tensor of shape {@code shape().reduce("sum", keepDims, axes)}; a sum over an empty axis is 0
     * @throws IllegalArgumentException if an axis is out of range or repeated
     */
    public Tensor sum(boolean keepDims, int... axes) {
        if (rank() == 2 && !keepDims && axes.length == 1 && (axes[0] == 0 || axes[0] == -2)) {
            // a dense layer's bias gradient: the same sums as the fold's, without its shapes
            return new Tensor(Shape.of(shape.dim(1)), Kernels.addRows(data, new double[shape.dim(1)]));
        }
        return fold("sum", keepDims, axes, 0.0, Arithmetic.ADD);
    }

    /**
     * Mean of all elements, as a scalar tensor.
     *
     * @return a new tensor of shape {@code ()}; NaN if there are no elements
     */
    public Tensor mean() {
        return mean(false);
    }

    /**
     * Mean over the given axes (all axes when none are given).
     *
     * @param keepDims true to keep the averaged axes as size 1; false to remove them
     * @param axes the axes to average, each in [−rank, rank), none repeated; none means every axis. Only read
     * @return a new tensor of shape {@code shape().reduce("mean", keepDims, axes)}; the mean over an empty axis
     *     is NaN
     * @throws IllegalArgumentException if an axis is out of range or repeated
     */
    public Tensor mean(boolean keepDims, int... axes) {
        Tensor sum = fold("mean", keepDims, axes, 0.0, Arithmetic.ADD);
        return sum.mul((double) sum.size() / size());
    }

    /**
     * Largest element, as a scalar tensor (NaN if any element is NaN).
     *
     * @return a new tensor of shape {@code ()}
     * @throws IllegalArgumentException if there are no elements
     */
    public Tensor max() {
        return max(false);
    }

    /**
     * Maximum over the given axes (all axes when none are given); NaN wherever a reduced element is NaN.
     *
     * @param keepDims true to keep the reduced axes as size 1; false to remove them
     * @param axes the axes to reduce, each in [−rank, rank), none repeated; none means every axis. Only read
     * @return a new tensor of shape {@code shape().reduce("max", keepDims, axes)}
     * @throws IllegalArgumentException if this tensor has no elements (even when the reduced axes are not
     *     empty), or an axis is out of range or repeated
     */
    public Tensor max(boolean keepDims, int... axes) {
        checkArgument(size() > 0, "max: shape %s has no elements", shape);
        return fold("max", keepDims, axes, Double.NEGATIVE_INFINITY, Math::max);
    }

    /**
     * Smallest element, as a scalar tensor (NaN if any element is NaN).
     *
     * @return a new tensor of shape {@code ()}
     * @throws IllegalArgumentException if there are no elements
     */
    public Tensor min() {
        return min(false);
    }

    /**
     * Minimum over the given axes (all axes when none are given); NaN wherever a reduced element is NaN.
     *
     * @param keepDims true to keep the reduced axes as size 1; false to remove them
     * @param axes the axes to reduce, each in [−rank, rank), none repeated; none means every axis. Only read
     * @return a new tensor of shape {@code shape().reduce("min", keepDims, axes)}
     * @throws IllegalArgumentException if this tensor has no elements, or an axis is out of range or repeated
     */
    public Tensor min(boolean keepDims, int... axes) {
        checkArgument(size() > 0, "min: shape %s has no elements", shape);
        return fold("min", keepDims, axes, Double.POSITIVE_INFINITY, Math::min);
    }

    /**
     * Marks where {@link #max(boolean, int...)} takes each of its values: 1 at the first largest element of every
     * group of elements reduced together, first in row-major order (for one axis, the lowest index along it, as
     * {@link #argmax(int)} finds it), and 0 elsewhere. A NaN counts as the largest, so the first NaN is marked.
     *
     * @param axes the axes reduced, each in [−rank, rank), none repeated; none means every axis. Only read
     * @return a new tensor of this shape holding one 1 per group
     * @throws IllegalArgumentException if this tensor has no elements, or an axis is out of range or repeated
     */
    public Tensor maxMask(int... axes) {
        return extremeMask("maxMask", true, axes);
    }

    /**
     * Marks where {@link #min(boolean, int...)} takes each of its values: 1 at the first smallest element of every
     * group reduced together, in row-major order, and 0 elsewhere; the first NaN if a group holds one.
     *
     * @param axes the axes reduced, each in [−rank, rank), none repeated; none means every axis. Only read
     * @return a new tensor of this shape holding one 1 per group
     * @throws IllegalArgumentException if this tensor has no elements, or an axis is out of range or repeated
     */
    public Tensor minMask(int... axes) {
        return extremeMask("minMask", false, axes);
    }

    private Tensor extremeMask(String operation, boolean largest, int[] axes) {
        checkArgument(size() > 0, "%s: shape %s has no elements", operation, shape);
        Shape kept = shape.reduce(operation, true, axes);
        return new Tensor(shape, Kernels.firstExtremeMask(data, shape, kept, largest));
    }

    private Tensor fold(String operation, boolean keepDims, int[] axes, double initial, DoubleBinaryOperator f) {
        Shape kept = shape.reduce(operation, true, axes);
        double[] folded = Kernels.fold(data, shape, kept, initial, f);
        return new Tensor(keepDims ? kept : shape.reduce(operation, false, axes), folded);
    }

    /**
     * Row-major position of the largest element (the first on ties, the first NaN if any).
     *
     * @return a position in [0, size), 0 for a scalar
     * @throws IllegalArgumentException if there are no elements
     */
    public int argmax() {
        return (int) reshape(size()).argmax(0).item();
    }

    /**
     * Index of the largest element along one axis (the first on ties, the first NaN if any), that axis removed.
     *
     * @param axis the axis to search, in [−rank, rank)
     * @return a new tensor of this shape without that axis, holding the indices in [0, dim(axis)) as doubles
     * @throws IllegalArgumentException if the axis is out of range or has size 0
     */
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

    /**
     * Softmax along the last axis: every row lies in [0, 1] and sums to 1 up to rounding. Each row is shifted by
     * its maximum first, so that no exponential overflows; an element far below its row's maximum rounds to 0. A
     * row that holds NaN or +∞, or only −∞, gives NaN.
     *
     * @return a new tensor of the same shape
     * @throws IllegalArgumentException if this tensor is a scalar
     */
    public Tensor softmax() {
        checkArgument(rank() >= 1, "softmax: needs at least one axis, got shape %s", shape);
        return new Tensor(shape, Kernels.softmaxRows(data, shape.dim(-1)));
    }

    /**
     * log softmax along the last axis, computed without overflow: x − max − log Σ e^(x − max) in each row.
     *
     * @return a new tensor of the same shape, with elements at most 0
     * @throws IllegalArgumentException if this tensor is a scalar
     */
    public Tensor logSoftmax() {
        checkArgument(rank() >= 1, "logSoftmax: needs at least one axis, got shape %s", shape);
        return new Tensor(shape, Kernels.logSoftmaxRows(data, shape.dim(-1)));
    }

    /**
     * Softmax cross-entropy of these logits z against targets t, fused: −Σ t · log softmax(z) along the last
     * axis, summed over all rows, times {@code scale} (such as −1 over the number of rows for the mean), with one
     * log Σ exp per row and no intermediate matrix. Equal bit for bit to
     * {@code z.logSoftmax().mul(t).sum().mul(scale)}.
     *
     * @param targets the targets t, of this shape exactly
     * @param scale the factor applied to the sum Σ t · log softmax(z)
     * @return a new scalar, shape {@code ()}
     * @throws IllegalArgumentException if this tensor is a scalar, or the shapes differ
     */
    public Tensor softmaxCrossEntropy(Tensor targets, double scale) {
        return softmaxCrossEntropy(targets, scale, null);
    }

    /**
     * {@link #softmaxCrossEntropy(Tensor, double)}, and softmax(z) written into {@code softmax} from the same
     * exponentials, bit for bit {@link #softmax()}: what the gradient
     * ({@link #softmaxCrossEntropyGradientFromSoftmax}) needs, without computing the exponentials again.
     *
     * @param targets the targets t, of this shape exactly
     * @param scale the factor applied to the sum Σ t · log softmax(z)
     * @param softmax elements of this shape, overwritten with softmax(z), and holding neither z nor t; or null
     *     for none
     * @return a new scalar, shape {@code ()}
     * @throws IllegalArgumentException if this tensor is a scalar, a shape differs, or {@code softmax} holds z
     *     or t (the loss reads them after the softmax is written)
     */
    public Tensor softmaxCrossEntropy(Tensor targets, double scale, WritableTensor softmax) {
        checkArgument(rank() >= 1, "softmaxCrossEntropy: needs at least one axis, got shape %s", shape);
        checkSameShape("softmaxCrossEntropy", targets);
        if (softmax == null) {
            return scalar(Kernels.softmaxCrossEntropy(data, targets.data, shape.dim(-1), scale, null));
        }
        checkSameShape("softmaxCrossEntropy", softmax.tensor());
        checkArgument(!softmax.tensor().sharesElementsWith(this) && !softmax.tensor().sharesElementsWith(targets),
                "softmaxCrossEntropy: the elements to write the softmax into hold the logits or the targets, which "
                        + "the loss reads after writing them");
        double[] loss = new double[1];
        softmax.write(p -> loss[0] = Kernels.softmaxCrossEntropy(data, targets.data, shape.dim(-1), scale, p));
        return scalar(loss[0]);
    }

    /**
     * The gradient of softmax cross-entropy with respect to the logits z, fused, with this tensor as their
     * softmax p = softmax(z): (p · Σ t − t) · scale along the last axis, Σ t being each row's sum of targets (1
     * for a distribution), in one pass over a new array. Equal bit for bit to
     * {@code p.mul(t.sum(true, -1)).sub(t).mul(scale)}.
     *
     * @param targets the targets t, of this shape exactly
     * @param scale the factor, such as the loss's upstream gradient divided by the number of rows
     * @return a new tensor of this shape
     * @throws IllegalArgumentException if this tensor is a scalar, or the shapes differ
     */
    public Tensor softmaxCrossEntropyGradientFromSoftmax(Tensor targets, double scale) {
        checkArgument(rank() >= 1, "softmaxCrossEntropyGradientFromSoftmax: needs at least one axis, got shape %s",
                shape);
        checkSameShape("softmaxCrossEntropyGradientFromSoftmax", targets);
        return new Tensor(shape, Kernels.softmaxCrossEntropyGradient(data, targets.data, shape.dim(-1), scale));
    }

    // ---- shapes ---------------------------------------------------------------------------------------------

    /**
     * The same elements in another shape of equal size. The result shares this tensor's array, which is safe
     * because no tensor operation writes into an existing array.
     *
     * @param newShape the shape of the result, of the same size as this one
     * @return a tensor of shape {@code newShape} with the same elements in the same row-major order
     * @throws IllegalArgumentException if the sizes differ
     */
    public Tensor reshape(Shape newShape) {
        if (newShape.size() != size()) {
            throw new IllegalArgumentException("reshape: " + shape + " has " + count(size(), "element") + " but "
                    + newShape + " has " + newShape.size());
        }
        return new Tensor(newShape, data);
    }

    /**
     * Shorthand for {@code reshape(Shape.of(dims))}.
     *
     * @param dims the size of each axis of the result, each at least 0; none gives a scalar. Only read
     * @return a tensor with the same elements in the same row-major order
     * @throws IllegalArgumentException if {@link Shape#of} refuses {@code dims}, or the sizes differ
     */
    public Tensor reshape(int... dims) {
        return reshape(Shape.of(dims));
    }

    /**
     * Reverses the axes; for a matrix, the ordinary transpose.
     *
     * @return a new tensor of the reversed shape; for rank 0 or 1, an equal tensor
     */
    public Tensor transpose() {
        return transpose(shape.reversedAxes());
    }

    /**
     * Permutes the axes: axis i of the result is axis {@code perm[i]} of this tensor.
     *
     * @param perm each of 0, 1, …, rank − 1 exactly once; negative axes are not accepted. Only read
     * @return a new tensor whose dimension i is {@code dim(perm[i])}
     * @throws IllegalArgumentException if {@code perm} is not a permutation of the axes
     */
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

    /**
     * Repeats this tensor along broadcast axes to fill {@code target}.
     *
     * @param target a shape this one broadcasts to ({@link Shape#broadcastsTo})
     * @return a tensor of shape {@code target}; this tensor itself when the shapes are equal
     * @throws IllegalArgumentException if this shape does not broadcast to {@code target}
     */
    public Tensor broadcastTo(Shape target) {
        checkArgument(shape.broadcastsTo(target), "broadcastTo: %s does not broadcast to %s", shape, target);
        return shape.equals(target) ? this : new Tensor(target, Kernels.broadcast(data, shape, target));
    }

    /**
     * Sums over the axes that broadcasting from {@code target} would have expanded, so that the result has shape
     * {@code target}: the adjoint of {@link #broadcastTo}.
     *
     * @param target a shape that broadcasts to this one ({@link Shape#broadcastsTo})
     * @return a tensor of shape {@code target} whose every element is the sum of the elements of this tensor
     *     that broadcasting would copy from it; this tensor itself when the shapes are equal
     * @throws IllegalArgumentException if {@code target} does not broadcast to this shape
     */
    public Tensor sumTo(Shape target) {
        checkArgument(target.broadcastsTo(shape), "sumTo: %s cannot be summed to %s, which does not broadcast to it",
                shape, target);
        if (shape.equals(target)) {
            return this;
        }
        Shape padded = padLeft(target, rank());
        return new Tensor(target, Kernels.fold(data, shape, padded, 0.0, Arithmetic.ADD));
    }

    private static Shape padLeft(Shape s, int rank) {
        int[] dims = new int[rank];
        Arrays.fill(dims, 1);
        System.arraycopy(s.dims(), 0, dims, rank - s.rank(), s.rank());
        return Shape.of(dims);
    }

    // ---- joining, slicing and gathering ---------------------------------------------------------------------

    /**
     * Joins tensors end to end along an existing axis, in order.
     *
     * @param axis the axis to join along, in [−rank, rank) of the parts
     * @param parts one or more tensors of equal rank, at least 1, whose dimensions agree on every other axis.
     *     Only read
     * @return a new tensor whose size along {@code axis} is the sum of the parts' sizes along it
     * @throws IllegalArgumentException if there are no parts, a part is a scalar, the ranks differ, the axis is
     *     out of range, or two parts differ on another axis (naming both shapes)
     */
    public static Tensor concat(int axis, Tensor... parts) {
        checkArgument(parts.length > 0, "concat: needs at least one tensor");
        Shape first = parts[0].shape;
        checkArgument(first.rank() > 0, "concat: a scalar %s has no axis to join along", first);
        int ax = first.axis("concat", axis);
        int total = 0;
        for (Tensor part : parts) {
            checkArgument(part.rank() == first.rank() && sameExceptAt(ax, part.shape, first),
                    "concat: %s and %s differ on an axis other than axis %s, along which they are joined",
                    first, part.shape, axis);
            total += part.shape.dim(ax);
        }
        int[] dims = first.dims();
        dims[ax] = total;
        Shape out = Shape.of(dims);
        double[] joined = new double[out.size()];
        int outer = product(dims, 0, ax), inner = product(dims, ax + 1, dims.length);
        int offset = 0;
        for (Tensor part : parts) {
            int n = part.shape.dim(ax);
            Kernels.copyAlongAxis(part.data, n, 0, joined, total, offset, n, outer, inner);
            offset += n;
        }
        return new Tensor(out, joined);
    }

    /**
     * Stacks tensors of one shape along a new axis: {@code stack(0, a, b)} of two (3) vectors is (2, 3).
     *
     * @param axis where the new axis goes, in [−(rank + 1), rank + 1) of the parts; −1 puts it last
     * @param parts one or more tensors of the same shape. Only read
     * @return a new tensor of the parts' shape with an axis of size {@code parts.length} inserted at {@code axis}
     * @throws IllegalArgumentException if there are no parts, the axis is out of range, or two parts' shapes
     *     differ (naming both)
     */
    public static Tensor stack(int axis, Tensor... parts) {
        checkArgument(parts.length > 0, "stack: needs at least one tensor");
        Shape shape = parts[0].shape;
        int rank = shape.rank() + 1;
        int ax = axis < 0 ? axis + rank : axis;
        checkArgument(ax >= 0 && ax < rank, "stack: axis %s is out of range for stacking tensors of shape %s", axis,
                shape);
        int[] dims = new int[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            dims[i] = i == ax ? 1 : shape.dim(j++);
        }
        Shape unsqueezed = Shape.of(dims);
        Tensor[] reshaped = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) {
            checkArgument(parts[i].shape.equals(shape), "stack: %s and %s differ: stacked tensors must have one shape",
                    shape, parts[i].shape);
            reshaped[i] = parts[i].reshape(unsqueezed);
        }
        return concat(ax, reshaped);
    }

    /**
     * The positions [from, to) along one axis, every other axis whole.
     *
     * @param axis the axis to cut, in [−rank, rank)
     * @param from the first position kept, in [0, dim(axis)]
     * @param to the position after the last one kept, in [from, dim(axis)]
     * @return a new tensor of this shape with {@code to − from} along {@code axis}
     * @throws IllegalArgumentException if the axis is out of range or [from, to) does not lie in [0, dim(axis)]
     */
    public Tensor slice(int axis, int from, int to) {
        int ax = shape.axis("slice", axis);
        int n = shape.dim(ax);
        checkArgument(0 <= from && from <= to && to <= n, "slice: [%s, %s) is not a range within [0, %s], axis %s of %s",
                from, to, n, axis, shape);
        int[] dims = shape.dims();
        dims[ax] = to - from;
        double[] part = new double[Shape.of(dims).size()];
        Kernels.copyAlongAxis(data, n, from, part, to - from, 0, to - from, product(dims, 0, ax),
                product(dims, ax + 1, dims.length));
        return new Tensor(Shape.of(dims), part);
    }

    /**
     * Zeros added before and after along one axis: the adjoint of {@link #slice}, which cuts them off again.
     *
     * @param axis the axis to extend, in [−rank, rank)
     * @param before how many positions of zeros go first, at least 0
     * @param after how many positions of zeros go last, at least 0
     * @return a new tensor of this shape with {@code before + dim(axis) + after} along {@code axis}, this tensor
     *     at positions [before, before + dim(axis))
     * @throws IllegalArgumentException if the axis is out of range or a count is negative
     */
    public Tensor pad(int axis, int before, int after) {
        int ax = shape.axis("pad", axis);
        checkArgument(before >= 0 && after >= 0, "pad: %s before and %s after along axis %s of %s: counts must not "
                + "be negative", before, after, axis, shape);
        int n = shape.dim(ax);
        int[] dims = shape.dims();
        dims[ax] = before + n + after;
        double[] padded = new double[Shape.of(dims).size()];
        Kernels.copyAlongAxis(data, n, 0, padded, dims[ax], before, n, product(dims, 0, ax),
                product(dims, ax + 1, dims.length));
        return new Tensor(Shape.of(dims), padded);
    }

    /**
     * One position along one axis, that axis removed: {@code index(0, i)} of a matrix is its row i.
     *
     * @param axis the axis to take from, in [−rank, rank)
     * @param position in [0, dim(axis)); negative positions are not accepted
     * @return a new tensor of this shape without {@code axis}
     * @throws IllegalArgumentException if the axis is out of range or the position is outside [0, dim(axis))
     */
    public Tensor index(int axis, int position) {
        int ax = shape.axis("index", axis);
        checkArgument(position >= 0 && position < shape.dim(ax), "index: position %s is outside [0, %s), axis %s of %s",
                position, shape.dim(ax), axis, shape);
        return slice(ax, position, position + 1).reshape(shape.reduce("index", false, ax));
    }

    /**
     * The rows (positions along axis 0) at the given indices, in their order, repeats allowed: an embedding
     * lookup, a (k) list of indices into an (n × d) table giving (k × d).
     *
     * @param indices each in [0, dim(0)); any number, repeats allowed. Only read
     * @return a new tensor of this shape with {@code indices.length} rows
     * @throws IllegalArgumentException if this tensor is a scalar, or an index is out of range (naming it, its
     *     position and the number of rows)
     */
    public Tensor gatherRows(int... indices) {
        checkArgument(rank() > 0, "gatherRows: a scalar %s has no rows", shape);
        int rows = shape.dim(0);
        checkRowIndices("gatherRows", indices, rows, "x " + shape);
        int[] dims = shape.dims();
        dims[0] = indices.length;
        Shape out = Shape.of(dims);
        return new Tensor(out, Kernels.gatherRows(data, product(dims, 1, dims.length), indices));
    }

    /**
     * Adds row j of this tensor into row {@code indices[j]} of zeros with {@code rows} rows; rows named by several
     * indices receive the sum: the adjoint of {@link #gatherRows}.
     *
     * @param rows the number of rows of the result, at least 0
     * @param indices one per row of this tensor, each in [0, rows). Only read
     * @return a new tensor of this shape with {@code rows} rows
     * @throws IllegalArgumentException if this tensor is a scalar, the number of indices is not its number of rows,
     *     or an index is out of range
     */
    public Tensor scatterAddRows(int rows, int... indices) {
        checkArgument(rank() > 0, "scatterAddRows: a scalar %s has no rows", shape);
        checkArgument(indices.length == shape.dim(0), "scatterAddRows: %s has %s but %s given: one per row",
                shape, count(shape.dim(0), "row"), indices.length == 1 ? "1 index was" : indices.length + " indices were");
        checkArgument(rows >= 0, "scatterAddRows: the number of rows %s is negative", rows);
        checkRowIndices("scatterAddRows", indices, rows, "the result");
        int[] dims = shape.dims();
        dims[0] = rows;
        Shape out = Shape.of(dims);
        return new Tensor(out, Kernels.scatterAddRows(data, product(dims, 1, dims.length), indices, out.size()));
    }

    private static void checkRowIndices(String operation, int[] indices, int rows, String target) {
        for (int j = 0; j < indices.length; j++) {
            int i = indices[j];
            if (i < 0 || i >= rows) { // not checkArgument: its arguments would be built for every index
                throw new IllegalArgumentException(operation + ": index " + i + " at position " + j
                        + " is out of range: " + target + " has " + count(rows, "row"));
            }
        }
    }

    private static boolean sameExceptAt(int axis, Shape a, Shape b) {
        for (int i = 0; i < a.rank(); i++) {
            if (i != axis && a.dim(i) != b.dim(i)) {
                return false;
            }
        }
        return true;
    }

    /** The product of dims[from..to), 1 for an empty range: the number of blocks before or inside an axis. */
    private static int product(int[] dims, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) {
            p *= dims[i];
        }
        return p;
    }

    // ---- linear algebra -------------------------------------------------------------------------------------

    /**
     * The matrix product this·other of (m×k) and (k×n) matrices, on the {@link MatMulBackend#current() backend}
     * in use. On {@link MatMulBackend#JAVA} each element is summed as the textbook loop sums it (from 0, the inner
     * index increasing, each product rounded before it is added), in all three forms; on
     * {@link MatMulBackend#NATIVE} as OpenBLAS sums it, within about k·2⁻⁵² of Σ|a·b| of that. On either, the
     * result is the same bit for bit on any number of {@link Parallelism#threads() threads}.
     *
     * @param other the right factor, (k×n)
     * @return a new (m×n) tensor; zeros when k is 0
     * @throws IllegalArgumentException if either operand is not of rank 2, or the inner dimensions differ
     */
    public Tensor matmul(Tensor other) {
        return product("matmul", "%s · %s", other, false, false, MatMulKernels::mult);
    }

    /**
     * thisᵀ·other for this (k×m) and other (k×n), without building the transpose.
     *
     * @param other the right factor, (k×n)
     * @return a new (m×n) tensor, equal to {@code transpose().matmul(other)} (bit for bit on the Java backend)
     * @throws IllegalArgumentException if either operand is not of rank 2, or the first dimensions differ
     */
    public Tensor matmulTransA(Tensor other) {
        return product("matmulTransA", "%sᵀ · %s", other, true, false, MatMulKernels::multTransA);
    }

    /**
     * thisᵀ·other written over the elements of {@code into}: {@link #matmulTransA(Tensor)} without a new array,
     * for a gradient kept from step to step (a layer's dW = Xᵀ·dY). The same bits as the product into a new array.
     *
     * @param other the right factor, (k×n)
     * @param into the (m×n) elements to overwrite
     * @return {@code into.tensor()}, now holding the product
     * @throws IllegalArgumentException if either operand is not of rank 2, the first dimensions differ, or
     *     {@code into} is not (m×n) or holds an operand
     */
    public Tensor matmulTransA(Tensor other, WritableTensor into) {
        Shape product = productShape("matmulTransA", "%sᵀ · %s", other, true, false);
        Tensor c = into.tensor();
        checkArgument(c.shape.equals(product), "matmulTransA: %sᵀ · %s is %s, but the elements to write are %s",
                shape, other.shape, product, c.shape);
        checkArgument(!c.sharesElementsWith(this) && !c.sharesElementsWith(other),
                "matmulTransA: the elements to write hold an operand, which the product would overwrite as it reads it");
        into.write(elements -> MatMulKernels.multiplyInto(data, true, other.data, false, product.dim(0),
                shape.dim(0), product.dim(1), Parallelism.threads(), MatMulBackend.current(), elements));
        return c;
    }

    /**
     * this·otherᵀ for this (m×k) and other (n×k), without building the transpose.
     *
     * @param other the right factor before transposition, (n×k)
     * @return a new (m×n) tensor, equal to {@code matmul(other.transpose())} (bit for bit on the Java backend)
     * @throws IllegalArgumentException if either operand is not of rank 2, or the second dimensions differ
     */
    public Tensor matmulTransB(Tensor other) {
        return product("matmulTransB", "%s · %sᵀ", other, false, true, MatMulKernels::multTransB);
    }

    /**
     * this·W + b, b added to every row: a dense layer's forward, with the bias added to each row of the product by
     * the thread that computed the row, while it is in that thread's cache. Equal bit for bit to
     * {@code matmul(w).add(b)}.
     *
     * @param w the weights, (k×n)
     * @param b the biases, a vector of n elements
     * @return a new (m×n) tensor
     * @throws IllegalArgumentException if this or W is not a matrix, the inner dimensions differ, or b is not a
     *     vector of W's column count
     */
    public Tensor affine(Tensor w, Tensor b) {
        Shape product = productShape("affine", "%s · %s", w, false, false);
        checkArgument(b.rank() == 1 && b.size() == w.shape.dim(1),
                "affine: W is %s but b is %s: b must be a vector with one entry per column of W", w.shape, b.shape);
        return new Tensor(product, MatMulKernels.affine(data, w.data, b.data, product.dim(0), shape.dim(1),
                product.dim(1), Parallelism.threads(), MatMulBackend.current()));
    }

    /** One of the matrix-product kernels: C(m×n) from A and B stored as the form requires. */
    @FunctionalInterface
    private interface ProductKernel {
        double[] multiply(double[] a, double[] b, int m, int k, int n, int threads, MatMulBackend backend);
    }

    private Tensor product(String operation, String form, Tensor other, boolean transA, boolean transB,
            ProductKernel kernel) {
        Shape product = productShape(operation, form, other, transA, transB);
        int k = shape.dim(transA ? 0 : 1);
        return new Tensor(product, kernel.multiply(data, other.data, product.dim(0), k, product.dim(1),
                Parallelism.threads(), MatMulBackend.current()));
    }

    /** The (m×n) shape of op(this)·op(other), after checking that both are matrices with equal inner dimensions. */
    private Shape productShape(String operation, String form, Tensor other, boolean transA, boolean transB) {
        checkArgument(rank() == 2 && other.rank() == 2, "%s: %s and %s: both operands must be matrices",
                operation, shape, other.shape);
        int m = shape.dim(transA ? 1 : 0), k = shape.dim(transA ? 0 : 1);
        int kOther = other.shape.dim(transB ? 1 : 0), n = other.shape.dim(transB ? 0 : 1);
        if (k != kOther) {
            throw new IllegalArgumentException(operation + ": " + String.format(form, shape, other.shape)
                    + ": inner dimensions " + k + " and " + kOther + " differ");
        }
        return Shape.of(m, n);
    }

    // ---- comparison and printing ----------------------------------------------------------------------------

    /**
     * Same shape, and every pair of elements within atol + rtol·|other|, as NumPy's allclose. The test is not
     * symmetric: the relative tolerance scales with {@code other}. Equal infinities are close; NaN is close to
     * nothing, not even NaN.
     *
     * @param other the reference tensor
     * @param atol the absolute tolerance, normally at least 0
     * @param rtol the tolerance relative to |other|, normally at least 0
     * @return true if the shapes are equal and every element is close; false otherwise, never throwing
     */
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

    /**
     * Equal shapes and equal elements, compared as {@link Double#equals} compares them: NaN equals NaN, and 0.0
     * does not equal −0.0. Use {@link #allClose} to compare computed values.
     */
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

    /** "1 value", "0 values", "2 values": a count with its noun in the number English gives it. */
    private static String count(int n, String noun) {
        return n + " " + (n == 1 ? noun : noun + "s");
    }
}
