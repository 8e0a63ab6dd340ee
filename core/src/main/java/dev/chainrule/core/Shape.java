package dev.chainrule.core;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;

/**
 * The dimensions of a tensor: an immutable value type. Rank 0 is a scalar, {@code ()}.
 * {@link #toString()} prints like NumPy without the trailing comma: {@code (3, 4)}.
 *
 * <p>A shape never shares an array with a caller: arrays passed in are copied or only read, and arrays returned
 * are new. No method accepts {@code null}. Where a method takes an axis, a negative one counts from the end as
 * in NumPy, so that an axis of a rank-{@code r} shape lies in [−r, r).
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(new int[0]);

    private final int[] dims;
    private final int size;

    /**
     * Takes ownership of {@code dims}, which the caller has checked are not negative. Strides are computed when
     * asked for, not kept: every node makes shapes, and few of them are ever walked by stride.
     */
    private Shape(int[] dims) {
        this.dims = dims;
        this.size = checkedSize(dims);
    }

    private static int checkedSize(int[] dims) {
        for (int d : dims) {
            if (d == 0) {
                return 0; // even when the other dimensions' product overflows
            }
        }
        long size = 1;
        for (int d : dims) {
            size *= d; // at most (2^31 − 1)², no overflow of a long
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has more than 2^31 - 1 elements");
            }
        }
        return (int) size;
    }

    /**
     * A shape with the given dimensions.
     *
     * @param dims the size of each axis, outermost first; each at least 0. None gives {@link #scalar()}. The
     *     array is copied, so later changes to it do not reach the shape
     * @return the shape, of rank {@code dims.length}
     * @throws IllegalArgumentException if a dimension is negative, or if no dimension is 0 and their product
     *     exceeds {@link Integer#MAX_VALUE}
     */
    public static Shape of(int... dims) {
        if (dims.length == 0) {
            return SCALAR;
        }
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + ": dimensions must not be negative");
            }
        }
        return new Shape(dims.clone());
    }

    /**
     * The shape of a scalar, {@code ()}.
     *
     * @return the shape of rank 0 and size 1
     */
    public static Shape scalar() {
        return SCALAR;
    }

    /**
     * The shape that NumPy broadcasting gives {@code a} and {@code b}: dimensions are aligned from the right,
     * and each pair must be equal or contain a 1.
     *
     * @param operation named in the error message
     * @param a one operand's shape
     * @param b the other operand's shape
     * @return the common shape, of rank max(a.rank, b.rank): on each axis the size that is not 1, else 1
     * @throws IllegalArgumentException naming the operation and both shapes when they do not broadcast
     */
    public static Shape broadcast(String operation, Shape a, Shape b) {
        if (a.equals(b) || b.rank() == 0) {
            return a;
        }
        if (a.rank() == 0) {
            return b;
        }
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = a.dimFromRight(rank - 1 - i);
            int db = b.dimFromRight(rank - 1 - i);
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(operation + ": " + a + " and " + b + " do not broadcast: dimensions "
                        + da + " and " + db + " differ and neither is 1");
            }
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    /**
     * Whether this shape broadcasts to {@code target} without changing {@code target}.
     *
     * @param target the shape to expand to
     * @return true if this rank is at most the target's and, aligned from the right, each dimension of this
     *     shape is 1 or equals the target's; so every shape broadcasts to itself
     */
    public boolean broadcastsTo(Shape target) {
        if (rank() > target.rank()) {
            return false;
        }
        for (int i = 0; i < rank(); i++) {
            int d = dims[rank() - 1 - i];
            if (d != 1 && d != target.dims[target.rank() - 1 - i]) {
                return false;
            }
        }
        return true;
    }

    /** Dimension counted from the right (0 is the last axis); 1 beyond the rank, as broadcasting pads. */
    private int dimFromRight(int fromRight) {
        return fromRight < rank() ? dims[rank() - 1 - fromRight] : 1;
    }

    /**
     * The number of axes.
     *
     * @return the rank, 0 for a scalar
     */
    public int rank() {
        return dims.length;
    }

    /**
     * Number of elements: the product of the dimensions (1 for a scalar).
     *
     * @return the size, 0 when any dimension is 0
     */
    public int size() {
        return size;
    }

    /**
     * Size of one axis; negative axes count from the end, as in NumPy.
     *
     * @param axis in [−rank, rank)
     * @return the dimension of that axis, at least 0
     * @throws IllegalArgumentException if the axis is out of range
     */
    public int dim(int axis) {
        return dims[axis("dim", axis)];
    }

    /**
     * A copy of the dimensions.
     *
     * @return a new array of length {@link #rank()}, outermost axis first, which the caller owns
     */
    public int[] dims() {
        return dims.clone();
    }

    /**
     * Row-major strides in elements (a copy): the last axis has stride 1.
     *
     * @return a new array of length {@link #rank()} whose entry {@code i} is the product of the dimensions after
     *     axis {@code i}, so that element {@code index} sits at Σ index[i]·strides[i]; the caller owns it
     */
    public int[] strides() {
        int[] strides = new int[dims.length];
        for (int i = 0; i < strides.length; i++) {
            strides[i] = stride(i);
        }
        return strides;
    }

    /** The stride of one axis: the product of the dimensions after it (it may overflow only for an empty shape). */
    int stride(int axis) {
        int stride = 1;
        for (int i = axis + 1; i < dims.length; i++) {
            stride *= dims[i];
        }
        return stride;
    }

    /** The dimensions themselves, not a copy, for kernels in this package: callers only read them. */
    int[] dimsShared() {
        return dims;
    }

    /**
     * The permutation that reverses the axes, {@code [rank − 1, …, 1, 0]}: the one a matrix transpose uses.
     *
     * @return a new array, empty for a scalar, which the caller owns
     */
    public int[] reversedAxes() {
        int[] perm = new int[dims.length];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = perm.length - 1 - i;
        }
        return perm;
    }

    /**
     * The multi-index of a row-major position, e.g. position 5 of (2, 3) is [1, 2].
     *
     * @param position in [0, size)
     * @return a new array of length {@link #rank()} with entry {@code i} in [0, dim(i)); the caller owns it
     * @throws IllegalArgumentException if the position is out of bounds, as every position is for an empty shape
     */
    public int[] unravel(int position) {
        checkArgument(position >= 0 && position < size, "unravel: position %s is out of bounds for shape %s", position, this);
        int[] index = new int[dims.length];
        for (int axis = dims.length - 1, rest = position; axis >= 0; axis--) {
            index[axis] = rest % dims[axis];
            rest /= dims[axis];
        }
        return index;
    }

    /**
     * Resolves a possibly negative axis against this rank.
     *
     * @param operation named in the error message
     * @param axis in [−rank, rank)
     * @return the same axis in [0, rank): {@code axis} itself if it is not negative, else {@code axis + rank}
     * @throws IllegalArgumentException if the axis is out of range
     */
    public int axis(String operation, int axis) {
        int resolved = axis < 0 ? axis + dims.length : axis;
        checkArgument(resolved >= 0 && resolved < dims.length, "%s: axis %s is out of range for shape %s", operation, axis, this);
        return resolved;
    }

    /**
     * This shape with the given axes (all when none are given) set to 1, or removed.
     *
     * @param operation named in the error message if an axis is out of range or repeated
     * @param keepDims true to set the reduced axes to 1 and keep the rank; false to remove them
     * @param axes the axes to reduce, each in [−rank, rank); none means every axis. Only read
     * @return the reduced shape; {@code ()} when every axis is removed
     * @throws IllegalArgumentException if an axis is out of range, or names an axis already given (also as its
     *     negative twin, as 1 and −1 for rank 2)
     */
    public Shape reduce(String operation, boolean keepDims, int... axes) {
        boolean[] reduced = reducedAxes(operation, axes);
        int[] out = new int[keepDims ? rank() : rank() - count(reduced)];
        for (int i = 0, j = 0; i < rank(); i++) {
            if (!reduced[i]) {
                out[j++] = dims[i];
            } else if (keepDims) {
                out[j++] = 1;
            }
        }
        return of(out);
    }

    /** Marks the axes to reduce; no axes at all means every axis. Repeated axes are refused. */
    private boolean[] reducedAxes(String operation, int... axes) {
        boolean[] reduced = new boolean[rank()];
        if (axes.length == 0) {
            Arrays.fill(reduced, true);
        }
        for (int a : axes) {
            int resolved = axis(operation, a);
            if (reduced[resolved]) {
                throw new IllegalArgumentException(operation + ": axis " + a + " is repeated in " + Arrays.toString(axes));
            }
            reduced[resolved] = true;
        }
        return reduced;
    }

    private static int count(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof Shape other) || other.size != size || other.dims.length != dims.length) {
            return false;
        }
        for (int i = 0; i < dims.length; i++) { // a plain loop: Arrays.equals's intrinsic costs more for four ints
            if (dims[i] != other.dims[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(dims[i]);
        }
        return sb.append(')').toString();
    }
}
