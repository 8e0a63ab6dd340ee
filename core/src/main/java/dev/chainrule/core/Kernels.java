package dev.chainrule.core;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/** Plain loops over {@code double[]}. Callers have checked every shape; nothing here checks again. */
final class Kernels {
    /**
     * Elements per thread for the kernels shared among threads, the sigmoid's elements and the rows of softmax
     * and its cross-entropy: 16K sigmoids take about 50 us, 16K exponentials more, against a hand-off of tens.
     * Loops of a multiply-add per element are bound by memory and lost to their hand-off when their operands sit
     * in the calling thread's cache: sharing σ′ and SGD's update slowed a 784-256-128-10 step at batch 32 on two
     * threads from 1.10 to 1.29 ms in an earlier measurement. (The optimizers of module nn share a large
     * parameter's update only after shared work, when two threads computed its gradient in halves: faster at
     * batch 128, neither faster nor slower at 32, slower at batch 1, where nothing else is shared.) The
     * cross-entropy's gradient, a few operations an element, is shared with the rows of the loss: on 5000 × 10,
     * 44–51 us on one thread and 28 on two.
     */
    static final int ELEMENTS_PER_SHARE = 1 << 14;

    /** Elements per pass of the sigmoid's loops: its arrays stay in the L1 cache. */
    static final int CHUNK = 256;
    private static final double LOG2_E = 1.4426950408889634;
    /** ln 2 = LN2_HI + LN2_LO, LN2_HI with 32 significant bits, so that k · LN2_HI is exact for |k| < 2²¹. */
    private static final double LN2_HI = 0.6931471803691238, LN2_LO = 1.9082149292705877e-10;
    /** 1.5 · 2⁵²: adding it rounds to an integer, which then sits in the low bits of the sum. */
    private static final double ROUNDER = 0x1.8p52;
    private static final long ROUNDER_BITS = Double.doubleToRawLongBits(ROUNDER);
    /** The sigmoid's exponentials clamp −|x| here: e^−746 is below the subnormals. */
    private static final double LOWEST_EXPONENT = -746.0;

    private Kernels() {}

    static double[] map(double[] x, DoubleUnaryOperator f) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = f.applyAsDouble(x[i]);
        }
        return y;
    }

    /**
     * z = f(a, b) with a and b broadcast to {@code out}. When one operand fills the output (its broadcast then
     * only adds axes of size 1, so its elements lie as the output's) and the other only repeats along leading
     * axes (equal shapes, a scalar, a bias row), plain loops run without a {@link Cursor}; for the four
     * {@link Arithmetic} operations on operands as large as the output, each operation's own loop.
     */
    static double[] zip(double[] a, Shape shapeA, double[] b, Shape shapeB, Shape out, DoubleBinaryOperator f) {
        double[] z = new double[out.size()];
        if (z.length == 0) {
            return z;
        }
        if (f instanceof Arithmetic op && a.length == z.length && b.length == z.length) {
            op.sameShape(a, b, z);
        } else if (a.length == z.length && repeatsAlongLeadingAxes(b, shapeB, out)) {
            for (int start = 0; start < z.length; start += b.length) {
                for (int j = 0; j < b.length; j++) {
                    z[start + j] = f.applyAsDouble(a[start + j], b[j]);
                }
            }
        } else if (b.length == z.length && repeatsAlongLeadingAxes(a, shapeA, out)) {
            for (int start = 0; start < z.length; start += a.length) {
                for (int j = 0; j < a.length; j++) {
                    z[start + j] = f.applyAsDouble(a[j], b[start + j]);
                }
            }
        } else {
            Cursor c = new Cursor(out, Cursor.broadcastStrides(shapeA, out), Cursor.broadcastStrides(shapeB, out));
            for (int i = 0; i < z.length; i++, c.next()) {
                z[i] = f.applyAsDouble(a[c.offsetA], b[c.offsetB]);
            }
        }
        return z;
    }

    /**
     * Whether x of {@code shape}, broadcast to {@code out}, is its own elements repeated block after block: a
     * scalar, x as large as {@code out}, or dimensions after any leading 1s equal to the trailing ones of out.
     */
    private static boolean repeatsAlongLeadingAxes(double[] x, Shape shape, Shape out) {
        if (x.length == 1 || x.length == out.size()) {
            return true;
        }
        int[] dims = shape.dimsShared();
        int[] outDims = out.dimsShared();
        int first = 0;
        while (first < dims.length && dims[first] == 1) {
            first++;
        }
        int shift = outDims.length - dims.length;
        for (int i = first; i < dims.length; i++) {
            if (dims[i] != outDims[i + shift]) {
                return false;
            }
        }
        return true;
    }

    /** z = a + c · b for arrays of one length. */
    static double[] addScaled(double[] a, double[] b, double c) {
        double[] z = new double[a.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = a[i] + c * b[i];
        }
        return z;
    }

    /** Copies x into the larger shape {@code out}, repeating along broadcast axes. */
    static double[] broadcast(double[] x, Shape shape, Shape out) {
        double[] y = new double[out.size()];
        Cursor c = new Cursor(out, Cursor.broadcastStrides(shape, out), new int[out.rank()]);
        for (int i = 0; i < y.length; i++, c.next()) {
            y[i] = x[c.offsetA];
        }
        return y;
    }

    /**
     * Folds every element of x into the element of {@code out} it broadcasts from (out has x's rank, with 1 on
     * the folded axes): a sum when f is addition, a maximum when f is max.
     */
    static double[] fold(double[] x, Shape shape, Shape out, double initial, DoubleBinaryOperator f) {
        double[] y = new double[out.size()];
        Arrays.fill(y, initial);
        if (x.length > 0 && repeatsAlongLeadingAxes(y, out, shape)) { // column sums: the same order, without a Cursor
            if (f == Arithmetic.ADD) { // no call per element
                return addRows(x, y);
            }
            for (int start = 0; start < x.length; start += y.length) {
                for (int j = 0; j < y.length; j++) {
                    y[j] = f.applyAsDouble(y[j], x[start + j]);
                }
            }
            return y;
        }
        Cursor c = new Cursor(shape, Cursor.broadcastStrides(out, shape), new int[shape.rank()]);
        for (int i = 0; i < x.length; i++, c.next()) {
            y[c.offsetA] = f.applyAsDouble(y[c.offsetA], x[i]);
        }
        return y;
    }

    /**
     * Adds each block of y.length elements of x, in order, into y: the column sums of a matrix, into zeros. Four
     * rows a pass, y[j] + x₀[j] + x₁[j] + x₂[j] + x₃[j] from the left: the same additions in the same order as one
     * row a pass, with a quarter of the loads and stores of y (1024×256: 58 against 77 us).
     */
    static double[] addRows(double[] x, double[] y) {
        int n = y.length, start = 0;
        if (n == 0) {
            return y;
        }
        for (; x.length - start >= 4L * n; start += 4 * n) { // in longs: four rows of a wide matrix pass 2³¹
            for (int j = 0, x1 = start + n, x2 = x1 + n, x3 = x2 + n; j < n; j++) {
                y[j] = y[j] + x[start + j] + x[x1 + j] + x[x2 + j] + x[x3 + j];
            }
        }
        for (; start < x.length; start += n) {
            for (int j = 0; j < n; j++) {
                y[j] += x[start + j];
            }
        }
        return y;
    }

    /** y = x with its axes permuted: axis i of y is axis perm[i] of x. */
    static double[] permute(double[] x, Shape shape, int[] perm, Shape out) {
        int[] strides = shape.strides();
        int[] permuted = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            permuted[i] = strides[perm[i]];
        }
        double[] y = new double[x.length];
        Cursor c = new Cursor(out, permuted, new int[perm.length]);
        for (int i = 0; i < y.length; i++, c.next()) {
            y[i] = x[c.offsetA];
        }
        return y;
    }

    /**
     * Copies {@code count} positions along one axis, both arrays viewed as (outer, dim, inner) blocks:
     * to[o, toStart + j, i] = from[o, fromStart + j, i] for j in [0, count). Slicing, padding and joining are all
     * this copy; each (o) block is contiguous, so it is one arraycopy.
     */
    static void copyAlongAxis(double[] from, int fromDim, int fromStart, double[] to, int toDim, int toStart, int count,
            int outer, int inner) {
        int length = count * inner;
        for (int o = 0; o < outer; o++) {
            System.arraycopy(from, (o * fromDim + fromStart) * inner, to, (o * toDim + toStart) * inner, length);
        }
    }

    /** Row j of the result is row indices[j] of x, each row {@code rowSize} elements long. */
    static double[] gatherRows(double[] x, int rowSize, int[] indices) {
        double[] y = new double[indices.length * rowSize];
        for (int j = 0; j < indices.length; j++) {
            System.arraycopy(x, indices[j] * rowSize, y, j * rowSize, rowSize);
        }
        return y;
    }

    /** Row j of x added into row indices[j] of zeros of {@code size} elements: the adjoint of gatherRows. */
    static double[] scatterAddRows(double[] x, int rowSize, int[] indices, int size) {
        double[] y = new double[size];
        for (int j = 0; j < indices.length; j++) {
            int row = indices[j] * rowSize;
            for (int i = 0; i < rowSize; i++) {
                y[row + i] += x[j * rowSize + i];
            }
        }
        return y;
    }

    /**
     * 1 at the first extreme element of each group that folds into one element of {@code kept} (x's rank, 1 on the
     * reduced axes), in row-major order, 0 elsewhere: the largest when {@code largest}, else the smallest. A NaN
     * beats every number, so that the mark is where max and min, which propagate NaN, take their value.
     */
    static double[] firstExtremeMask(double[] x, Shape shape, Shape kept, boolean largest) {
        int[] first = new int[kept.size()];
        Arrays.fill(first, -1);
        Cursor c = new Cursor(shape, Cursor.broadcastStrides(kept, shape), new int[shape.rank()]);
        for (int i = 0; i < x.length; i++, c.next()) {
            int best = first[c.offsetA];
            if (best < 0 || !Double.isNaN(x[best]) && (Double.isNaN(x[i]) || (largest ? x[i] > x[best] : x[i] < x[best]))) {
                first[c.offsetA] = i;
            }
        }
        double[] mask = new double[x.length];
        for (int position : first) {
            mask[position] = 1.0;
        }
        return mask;
    }

    /**
     * Runs {@code rows} over the rows [0, length / n) of a matrix with rows of length n, shared among threads as
     * {@link Parallelism#share} shares elements: each row is computed on its own, so the results do not depend on
     * the cut.
     */
    private static void sharedRows(int length, int n, Parallelism.Range rows) {
        if (length > 0) {
            Parallelism.share(length / n, Math.max(1, ELEMENTS_PER_SHARE / n), rows);
        }
    }

    /** Softmax of each row of length n, shifted by the row's maximum so that no exponential overflows. */
    static double[] softmaxRows(double[] x, int n) {
        double[] y = new double[x.length];
        sharedRows(x.length, n, (from, to) -> {
            for (int row = from * n; row < to * n; row += n) {
                softmaxRow(x, row, n, rowMax(x, row, n), y);
            }
        });
        return y;
    }

    /** Softmax of the row at {@code row} into y, max being its maximum; returns Σ e^(x − max), added in order. */
    private static double softmaxRow(double[] x, int row, int n, double max, double[] y) {
        double sum = 0.0;
        for (int j = row; j < row + n; j++) {
            y[j] = Math.exp(x[j] - max);
            sum += y[j];
        }
        for (int j = row; j < row + n; j++) {
            y[j] /= sum;
        }
        return sum;
    }

    /** log softmax of each row: x − max − log Σ exp(x − max), finite for any finite input. */
    static double[] logSoftmaxRows(double[] x, int n) {
        double[] y = new double[x.length];
        for (int row = 0; row < x.length; row += n) {
            double logSum = logSumExp(x, row, n);
            for (int j = row; j < row + n; j++) {
                y[j] = x[j] - logSum;
            }
        }
        return y;
    }

    /**
     * −Σ t · log softmax(z) over every row of length n, times {@code scale}: logSoftmaxRows, times t, summed. The
     * rows' log Σ exp, the exponentials, are shared among threads; the sum runs in order on the calling thread.
     * With {@code softmax}, each row's softmax is written there too, from the same exponentials: the bits of
     * {@link #softmaxRows}, and the same log Σ exp.
     */
    static double softmaxCrossEntropy(double[] z, double[] t, int n, double scale, double[] softmax) {
        double[] logSums = new double[n == 0 ? 0 : z.length / n];
        sharedRows(z.length, n, (from, to) -> {
            for (int r = from; r < to; r++) {
                if (softmax == null) {
                    logSums[r] = logSumExp(z, r * n, n);
                } else {
                    double max = rowMax(z, r * n, n);
                    logSums[r] = max + Math.log(softmaxRow(z, r * n, n, max, softmax));
                }
            }
        });
        double sum = 0.0;
        for (int r = 0; r < logSums.length; r++) {
            for (int j = r * n; j < r * n + n; j++) {
                sum += (z[j] - logSums[r]) * t[j];
            }
        }
        return sum * scale;
    }

    /** log Σ exp over the row of length n at {@code row}: max + log Σ exp(x − max), which never overflows. */
    private static double logSumExp(double[] x, int row, int n) {
        double max = rowMax(x, row, n);
        double sum = 0.0;
        for (int j = row; j < row + n; j++) {
            sum += Math.exp(x[j] - max);
        }
        return max + Math.log(sum);
    }

    private static double rowMax(double[] x, int row, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = row; j < row + n; j++) {
            max = Math.max(max, x[j]);
        }
        return max;
    }

    /**
     * σ(x) = 1 / (1 + e^−x) of each element, evaluated so that e^x never overflows: with e = e^−|x|, 1 / (1 + e)
     * for x ≥ 0 and e / (1 + e) below, within 2 ulp of the correctly rounded σ, as with {@code Math.exp}. The
     * exponential is written out ({@link #exponentialsOfMinusAbs}) so that the JIT vectorizes it: {@code Math.exp}
     * is a call per element that it does not, and a sigmoid took 6–9 ns an element with it, 3 without.
     *
     * <p>The vectorized loops only ever run over whole chunks of {@value #CHUNK}: the JIT sizes a loop's
     * unrolling, and so its vectorization, by the trip counts it has seen, and a process whose first sigmoids
     * were of two elements (a 2-2-2 network) went on at 10 ns an element on every larger tensor, against 2.7 to
     * 3.3 otherwise ({@code SigmoidBenchmark}). What is left over, a tensor smaller than a chunk or the end of a
     * thread's part, takes the same steps one element at a time (about 7 ns an element: a 4×4 tensor's sigmoid
     * takes 110 ns against 130–180 in the loops, two elements' 20 against 70). Both round every step alike, so an
     * element's bits depend neither on the path nor on where it falls in the tensor (a NaN's sign and payload
     * aside, which Java leaves to the hardware).
     */
    static double[] sigmoid(double[] x) {
        double[] y = new double[x.length];
        if (x.length < CHUNK) {
            sigmoidsOneByOne(x, y, 0, x.length);
            return y;
        }
        Parallelism.share(x.length, ELEMENTS_PER_SHARE, (from, to) -> {
            double[] xs = new double[CHUNK], e = new double[CHUNK], scratch = new double[CHUNK];
            int c = from;
            for (; c + CHUNK <= to; c += CHUNK) {
                System.arraycopy(x, c, xs, 0, CHUNK); // loops over whole small arrays vectorize; offsets stopped C2
                exponentialsOfMinusAbs(xs, e, scratch);
                for (int i = 0; i < CHUNK; i++) {
                    scratch[i] = sigmoidFrom(xs[i], e[i]);
                }
                System.arraycopy(scratch, 0, y, c, CHUNK);
            }
            sigmoidsOneByOne(x, y, c, to);
        });
        return y;
    }

    private static void sigmoidsOneByOne(double[] x, double[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = sigmoidOfOne(x[i]);
        }
    }

    /**
     * σ(x) for one element: the loops' steps, with branches where the loops use arithmetic to stay branch-free,
     * rounded alike (7 ns an element; 9 with Horner's rule for e^r, 12 with the loops' arithmetic).
     */
    private static double sigmoidOfOne(double x) {
        double a = Math.abs(x) > -LOWEST_EXPONENT ? LOWEST_EXPONENT : -Math.abs(x), sum = shiftedMultipleOfLn2(a);
        double e = times2ToK(taylor13(reduced(a, sum)), scaleOf(sum));
        return (x < 0 ? e : 1.0) / (1.0 + e);
    }

    /**
     * e[i] = e^−|x[i]| for a chunk (0 below e^−746, NaN for NaN), in four loops that each vectorize:
     * −|x| = k·ln 2 + r with k an integer and |r| ≤ ln 2 / 2, e^r by its Taylor polynomial of degree 13 (the next
     * term is under 5·10⁻¹⁸), and 2^k from k's bits in the exponent field. The last scale by 2⁻⁶⁴ lets 2^(k+64)
     * stay a normal number down to e^−746, where the result is below the subnormals.
     */
    private static void exponentialsOfMinusAbs(double[] x, double[] e, double[] scratch) {
        double[] r = e, sums = scratch;
        for (int i = 0; i < CHUNK; i++) {
            double a = exponentArgument(x[i]), sum = shiftedMultipleOfLn2(a);
            r[i] = reduced(a, sum);
            sums[i] = sum;
        }
        for (int i = 0; i < CHUNK; i++) {
            sums[i] = scaleOf(sums[i]);
        }
        for (int i = 0; i < CHUNK; i++) {
            e[i] = taylor13(r[i]);
        }
        for (int i = 0; i < CHUNK; i++) {
            e[i] = times2ToK(e[i], sums[i]);
        }
    }

    /** −|x|, no lower than {@link #LOWEST_EXPONENT}. */
    private static double exponentArgument(double x) {
        return Math.max(-Math.abs(x), LOWEST_EXPONENT);
    }

    /** ROUNDER + k, with k = a / ln 2 rounded to an integer, in the low bits of the sum. */
    private static double shiftedMultipleOfLn2(double a) {
        return a * LOG2_E + ROUNDER;
    }

    /** r = a − k·ln 2, in two steps so that it is exact to the last bits. */
    private static double reduced(double a, double sum) {
        double k = sum - ROUNDER;
        return (a - k * LN2_HI) - k * LN2_LO;
    }

    /** 2^(k+64), from k's bits in the sum, placed in the exponent field. */
    private static double scaleOf(double sum) {
        return Double.longBitsToDouble((Double.doubleToRawLongBits(sum) - ROUNDER_BITS + 1023 + 64) << 52);
    }

    /**
     * e^t = Σ t^j / j!, j ≤ 13, as 1 + t(1 + t·q), where q, the terms of degree 2 to 13 over t², is evaluated by
     * Estrin's scheme (pairs of terms c + c′t, then pairs of those with t², t⁴ and t⁸). Horner's rule chains 26
     * dependent operations, and an element taken on its own waited for them; Estrin's scheme all the way down
     * rounds 1 + t early (σ was 3 ulp off at −23.22, against 2 at worst here as with Horner's rule). Written so
     * that C2 vectorizes it: other groupings of the same terms ran an element at a time.
     */
    private static double taylor13(double t) {
        double t2 = t * t, t4 = t2 * t2;
        double p23 = 0.5 + t * (1.0 / 6.0), p45 = 1.0 / 24.0 + t * (1.0 / 120.0);
        double p67 = 1.0 / 720.0 + t * (1.0 / 5040.0), p89 = 1.0 / 40320.0 + t * (1.0 / 362880.0);
        double p1011 = 1.0 / 3628800.0 + t * (1.0 / 39916800.0);
        double p1213 = 1.0 / 479001600.0 + t * (1.0 / 6227020800.0);
        double q = ((p23 + t2 * p45) + t4 * (p67 + t2 * p89)) + (t4 * t4) * (p1011 + t2 * p1213);
        return (q * t + 1.0) * t + 1.0;
    }

    /** e^r · 2^k, as e^r · 2^(k+64) · 2^−64. */
    private static double times2ToK(double exponentialOfR, double scale) {
        return exponentialOfR * scale * 0x1p-64;
    }

    /** σ(x) from e = e^−|x|: 1/(1+e) or e/(1+e), chosen by arithmetic, as C2 does not vectorize ?:. */
    private static double sigmoidFrom(double x, double e) {
        double negative = Math.min(1.0, Math.max(0.0, -x * 0x1p600 * 0x1p600)); // 1 below 0, else 0
        return (negative * e + (1.0 - negative)) / (1.0 + e);
    }

    /** gy · y · (1 − y), rounded as ((gy · y) · (1 − y)): σ′ from σ's output y, times the upstream gradient. */
    static double[] sigmoidGradient(double[] y, double[] gy) {
        double[] gx = new double[y.length];
        for (int i = 0; i < gx.length; i++) {
            gx[i] = gy[i] * y[i] * (1.0 - y[i]);
        }
        return gx;
    }

    /** gy · (1 − y · y): tanh′ from tanh's output y, times the upstream gradient. */
    static double[] tanhGradient(double[] y, double[] gy) {
        double[] gx = new double[y.length];
        for (int i = 0; i < gx.length; i++) {
            gx[i] = gy[i] * (1.0 - y[i] * y[i]);
        }
        return gx;
    }

    /**
     * ((p · Σ t) − t) · scale in each row of length n, p being softmax(z) and Σ t the row's sum of targets: the
     * gradient of softmax cross-entropy with respect to the logits, rounded as the composed operations round it.
     */
    static double[] softmaxCrossEntropyGradient(double[] p, double[] t, int n, double scale) {
        double[] g = new double[p.length];
        sharedRows(p.length, n, (from, to) -> {
            for (int row = from * n; row < to * n; row += n) {
                double targets = 0.0;
                for (int j = row; j < row + n; j++) {
                    targets += t[j];
                }
                for (int j = row; j < row + n; j++) {
                    g[j] = (p[j] * targets - t[j]) * scale;
                }
            }
        });
        return g;
    }

    /** Adds the row b to every row of x[from, to), rows of b.length elements, in place. */
    static void addToEveryRow(double[] x, int from, int to, double[] b) {
        for (int start = from; start < to; start += b.length) {
            for (int j = 0; j < b.length; j++) {
                x[start + j] += b[j];
            }
        }
    }
}
