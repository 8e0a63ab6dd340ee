package dev.chainrule.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The blocked kernels against the textbook triple loop. They promise the triple loop's summation order on any
 * number of threads, so the comparison is bit for bit, not within a tolerance.
 */
class MatMulKernelsTest {
    /** Sizes around the kernels' edges: empty, tiny, odd, one past a 4-depth step, one past a 256 block. */
    private static final Gen<Integer> SIZES = Generate.pick(Arrays.asList(0, 1, 2, 3, 4, 5, 17, 33, 64, 257, 300));

    /** (m, k, n) with each dimension one of {@link #SIZES}. */
    static Gen<int[]> shapes() {
        return SIZES.zip(SIZES, SIZES, (m, k, n) -> new int[] {m, k, n}).describedAs(Arrays::toString);
    }

    /** The three forms, each with how its operands are stored and read. */
    enum Form {
        MULT, TRANS_A, TRANS_B;

        double[] kernel(double[] a, double[] b, int m, int k, int n, int threads) {
            return kernel(a, b, m, k, n, threads, MatMulBackend.JAVA);
        }

        double[] kernel(double[] a, double[] b, int m, int k, int n, int threads, MatMulBackend backend) {
            switch (this) {
                case TRANS_A: return MatMulKernels.multTransA(a, b, m, k, n, threads, backend);
                case TRANS_B: return MatMulKernels.multTransB(a, b, m, k, n, threads, backend);
                default: return MatMulKernels.mult(a, b, m, k, n, threads, backend);
            }
        }

        /** C(i, j) = Σ_p A(i, p)·B(p, j), summed from 0 in increasing p, reading A and B as the form stores them. */
        double[] textbook(double[] a, double[] b, int m, int k, int n) {
            double[] c = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) {
                        double aip = this == TRANS_A ? a[p * m + i] : a[i * k + p];
                        double bpj = this == TRANS_B ? b[j * k + p] : b[p * n + j];
                        sum += aip * bpj;
                    }
                    c[i * n + j] = sum;
                }
            }
            return c;
        }
    }

    static double[] uniform(int size, long seed) {
        Random random = new Random(seed);
        double[] x = new double[size];
        for (int i = 0; i < size; i++) {
            x[i] = 2 * random.nextDouble() - 1;
        }
        return x;
    }

    private static void assertSameAsTextbook(Form form, int m, int k, int n, long seed, int threads) {
        double[] a = uniform(m * k, seed);
        double[] b = uniform(k * n, ~seed);
        assertSameAsTextbook(form, a, b, m, k, n, threads, "seed " + seed);
    }

    private static void assertSameAsTextbook(Form form, double[] a, double[] b, int m, int k, int n, int threads,
            String inputs) {
        double[] expected = form.textbook(a, b, m, k, n);
        double[] actual = form.kernel(a, b, m, k, n, threads);
        assertEquals(m * n, actual.length, "length");
        for (int e = 0; e < expected.length; e++) {
            if (Double.doubleToRawLongBits(expected[e]) != Double.doubleToRawLongBits(actual[e])) {
                fail(form + " (m, k, n) = (" + m + ", " + k + ", " + n + ") on " + threads + " threads, " + inputs
                        + ": element (" + e / n + ", " + e % n + ") is " + actual[e] + " but the triple loop gives "
                        + expected[e]);
            }
        }
    }

    @Test
    @Tag("property")
    void everyFormEqualsTheTripleLoopBitForBit() {
        qt().withExamples(60)
                .forAll(Generate.enumValues(Form.class), shapes(), TestSupport.seeds())
                .checkAssert((form, s, seed) -> assertSameAsTextbook(form, s[0], s[1], s[2], seed, 1));
    }

    @Test
    @Tag("property")
    void oneTwoAndThreeThreadsGiveTheSameBitsAsTheTripleLoop() {
        Gen<Integer> rows = Generate.pick(Arrays.asList(1, 2, 3, 5, 17, 33, 65, 257));
        Gen<Integer> sizes = Generate.pick(Arrays.asList(65, 100, 257, 300)); // enough work to share most products
        Gen<int[]> shapes = rows.zip(sizes, sizes, (m, k, n) -> new int[] {m, k, n}).describedAs(Arrays::toString);
        qt().withExamples(40)
                .forAll(Generate.enumValues(Form.class), shapes, TestSupport.seeds())
                .checkAssert((form, s, seed) -> {
                    for (int threads = 1; threads <= 3; threads++) {
                        assertSameAsTextbook(form, s[0], s[1], s[2], seed, threads);
                    }
                });
    }

    @Test
    void largeProductsAreSharedByRowsAndSmallOnesStayOnOneThread() {
        long perShare = MatMulKernels.WORK_PER_SHARE;
        assertEquals(3, MatMulKernels.shares(257, 257, 257, 3, perShare));
        assertEquals(2, MatMulKernels.shares(1024, 1024, 1024, 2, perShare));
        assertEquals(2, MatMulKernels.shares(2, 1024, 1024, 8, perShare), "no more shares than rows");
        assertEquals(1, MatMulKernels.shares(1, 1024, 1024, 8, perShare), "one row");
        assertEquals(1, MatMulKernels.shares(64, 64, 64, 8, perShare), "too little work");
        assertEquals(1, MatMulKernels.shares(0, 1024, 1024, 8, perShare), "nothing to do");
        assertEquals(1, MatMulKernels.shares(1024, 1024, 1024, 1, perShare));
    }

    @Test
    void emptyAndDegenerateShapesInEveryForm() {
        int[][] shapes = {{0, 0, 0}, {0, 3, 2}, {3, 0, 2}, {3, 2, 0}, {1, 1, 1}, {1, 600, 1}, {600, 1, 1},
            {1, 1, 600}, {1000, 3, 2}, {2, 1000, 3}, {3, 2, 1000}, {7, 513, 259}};
        for (Form form : Form.values()) {
            for (int[] s : shapes) {
                for (int threads = 1; threads <= 2; threads++) {
                    assertSameAsTextbook(form, s[0], s[1], s[2], 42, threads);
                }
            }
        }
    }

    @Test
    void zeroDepthGivesZeros() {
        for (Form form : Form.values()) {
            double[] c = form.kernel(new double[0], new double[0], 2, 0, 3, 2);
            assertEquals(Arrays.toString(new double[6]), Arrays.toString(c), form.toString());
        }
    }

    @Test
    void infinitiesAndNaNsPropagateAsInTheTripleLoop() {
        int m = 5, k = 9, n = 6;
        double[] a = uniform(m * k, 7);
        double[] b = uniform(k * n, 8);
        a[3] = Double.POSITIVE_INFINITY;
        a[20] = Double.NaN;
        b[0] = 0.0;
        b[13] = Double.NEGATIVE_INFINITY;
        for (Form form : Form.values()) {
            assertSameAsTextbook(form, a, b, m, k, n, 1, "A and B holding ±∞, NaN and 0");
        }
    }
}
