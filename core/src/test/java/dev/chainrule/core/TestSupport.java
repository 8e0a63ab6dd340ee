package dev.chainrule.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * Generators and naive reference helpers shared by the core tests. Everything here is written independently of
 * the code under test: indices are computed from first principles, and random values come from
 * {@link java.util.Random}, not from {@link Randoms}.
 */
final class TestSupport {
    private TestSupport() {}

    /** Number of examples for each property: small, so that the whole suite stays fast. */
    static final int EXAMPLES = 200;

    // ---- generators -----------------------------------------------------------------------------------------

    /** Dimension arrays of rank {@code minRank..maxRank} with every dimension in 1..5. */
    static Gen<int[]> dims(int minRank, int maxRank) {
        return Generate.intArrays(Generate.range(minRank, maxRank), Generate.range(1, 5))
                .describedAs(Arrays::toString);
    }

    static Gen<Shape> shapes(int minRank, int maxRank) {
        return dims(minRank, maxRank).map((int[] d) -> Shape.of(d));
    }

    /** A 4-long mask of 0s and 1s (about one 0 in three): where it is 0, a derived shape gets a 1. */
    static Gen<int[]> masks() {
        return Generate.intArrays(Generate.constant(4), Generate.range(0, 2)).map(m -> {
            int[] bits = new int[m.length];
            for (int i = 0; i < m.length; i++) {
                bits[i] = m[i] == 0 ? 0 : 1;
            }
            return bits;
        }).describedAs(Arrays::toString);
    }

    static Gen<Long> seeds() {
        return SourceDSL.longs().all();
    }

    /** A base shape and one partner derived from it; {@link #derive} explains the derivation. */
    record ShapeAndPartner(Shape shape, Shape partner) {}

    static Gen<ShapeAndPartner> shapeAndPartner() {
        return dims(0, 4).zip(masks(), Generate.range(0, 4),
                (d, mask, drop) -> new ShapeAndPartner(Shape.of(d), derive(d, mask, drop)));
    }

    /** Two broadcast-compatible shapes, each derived from a common base; either may be the larger. */
    record CompatiblePair(Shape a, Shape b, long seed) {}

    static Gen<CompatiblePair> compatiblePairs() {
        return dims(0, 4).zip(masks(), masks(), Generate.range(0, 4).zip(Generate.range(0, 4), (x, y) -> new int[] {x, y}),
                seeds(), (d, maskA, maskB, drops, seed) ->
                        new CompatiblePair(derive(d, maskA, drops[0]), derive(d, maskB, drops[1]), seed));
    }

    /**
     * A shape that broadcasts to {@code Shape.of(dims)}: the dimensions where {@code mask} is 0 are replaced by 1,
     * then the first {@code drop} dimensions are removed (all of them, giving a scalar, if drop is at least the
     * rank).
     */
    static Shape derive(int[] dims, int[] mask, int drop) {
        int[] replaced = dims.clone();
        for (int i = 0; i < replaced.length; i++) {
            if (mask[i] == 0) {
                replaced[i] = 1;
            }
        }
        int kept = Math.max(0, replaced.length - drop);
        return Shape.of(Arrays.copyOfRange(replaced, replaced.length - kept, replaced.length));
    }

    // ---- naive index arithmetic -----------------------------------------------------------------------------

    /** The multi-index of row-major position {@code flat} in {@code dims}. */
    static int[] unravel(int flat, int[] dims) {
        int[] index = new int[dims.length];
        for (int axis = dims.length - 1; axis >= 0; axis--) {
            index[axis] = flat % dims[axis];
            flat /= dims[axis];
        }
        return index;
    }

    static int[] unravel(int flat, Shape shape) {
        return unravel(flat, shape.dims());
    }

    /** The row-major position of a multi-index in {@code dims}. */
    static int ravel(int[] index, int[] dims) {
        int flat = 0;
        for (int axis = 0; axis < dims.length; axis++) {
            flat = flat * dims[axis] + index[axis];
        }
        return flat;
    }

    /** Number of elements of {@code dims}, computed by hand. */
    static int product(int[] dims) {
        int p = 1;
        for (int d : dims) {
            p *= d;
        }
        return p;
    }

    /**
     * The index in a source of shape {@code source} that broadcasting reads for {@code outIndex}: axes are aligned
     * from the right, missing leading axes are ignored and axes of size 1 are read at 0.
     */
    static int[] broadcastSourceIndex(int[] outIndex, Shape source) {
        int[] dims = source.dims();
        int shift = outIndex.length - dims.length;
        int[] index = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            index[i] = dims[i] == 1 ? 0 : outIndex[i + shift];
        }
        return index;
    }

    /** NumPy's broadcasting rule written out directly, or null when the shapes do not broadcast. */
    static Shape naiveBroadcast(Shape a, Shape b) {
        int[] da = a.dims();
        int[] db = b.dims();
        int rank = Math.max(da.length, db.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int x = i < rank - da.length ? 1 : da[i - (rank - da.length)];
            int y = i < rank - db.length ? 1 : db[i - (rank - db.length)];
            if (x != y && x != 1 && y != 1) {
                return null;
            }
            out[i] = Math.max(x, y);
        }
        return Shape.of(out);
    }

    // ---- values ---------------------------------------------------------------------------------------------

    /** Multiples of 1/4 in [-5, 5], zero included: sums and products of a few of them are exact. */
    static Tensor dyadicTensor(Shape shape, long seed) {
        Random random = new Random(seed);
        double[] values = new double[shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (random.nextInt(41) - 20) / 4.0;
        }
        return Tensor.of(shape, values);
    }

    /** Uniform doubles in [low, high). */
    static Tensor randomTensor(Shape shape, long seed, double low, double high) {
        Random random = new Random(seed);
        double[] values = new double[shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = low + (high - low) * random.nextDouble();
        }
        return Tensor.of(shape, values);
    }

    /** Sum of element-wise products, for adjoint checks. */
    static double dot(Tensor x, Tensor y) {
        double[] a = x.toArray();
        double[] b = y.toArray();
        assertEquals(a.length, b.length, "dot: sizes differ");
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Sum of absolute values of element-wise products: the scale against which a dot product's error is judged. */
    static double absDot(Tensor x, Tensor y) {
        double[] a = x.toArray();
        double[] b = y.toArray();
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] * b[i]);
        }
        return s;
    }

    // ---- assertions -----------------------------------------------------------------------------------------

    /** Same shape and every element within {@code atol + rtol·|expected|}. */
    static void assertTensorClose(Tensor expected, Tensor actual, double atol, double rtol) {
        assertEquals(expected.shape(), actual.shape(), "shape");
        double[] e = expected.toArray();
        double[] a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - a[i]) <= atol + rtol * Math.abs(e[i])) && Double.compare(e[i], a[i]) != 0) {
                fail("element " + i + " (index " + Arrays.toString(unravel(i, expected.shape())) + "): expected "
                        + e[i] + " but was " + a[i] + "\nexpected " + expected + "\nactual   " + actual);
            }
        }
    }

    /** Same shape and bit-for-bit equal elements (NaN equal to NaN). */
    static void assertTensorEquals(Tensor expected, Tensor actual) {
        assertEquals(expected.shape(), actual.shape(), "shape");
        if (!Arrays.equals(expected.toArray(), actual.toArray())) {
            fail("expected " + expected + "\nbut was  " + actual);
        }
    }
}
