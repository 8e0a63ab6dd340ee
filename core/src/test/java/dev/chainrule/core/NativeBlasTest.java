package dev.chainrule.core;

import static dev.chainrule.core.MatMulKernelsTest.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.chainrule.core.MatMulKernelsTest.Form;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The native backend against the Java kernels: within 1e-12 of Σ|A(i,p)·B(p,j)| for every element, the same bits
 * on any thread count, and the Java kernels alone when the native BLAS is absent. The tests that call the native
 * BLAS report themselves skipped on a machine without it (libopenblas0-pthread).
 */
class NativeBlasTest {
    private static final double RELATIVE = 1e-12;

    private static void assumeNative() {
        assumeTrue(MatMulBackend.nativeAvailable(), "no native BLAS: " + MatMulBackend.describe());
    }

    /** C(i, j) = Σ_p |A(i, p)·B(p, j)|: the scale of the rounding errors in element (i, j), in any order. */
    private static double[] magnitudes(Form form, double[] a, double[] b, int m, int k, int n) {
        double[] absA = Arrays.stream(a).map(Math::abs).toArray();
        double[] absB = Arrays.stream(b).map(Math::abs).toArray();
        return form.textbook(absA, absB, m, k, n);
    }

    private static void assertNativeCloseToJava(Form form, int m, int k, int n, long seed) {
        double[] a = uniform(m * k, seed);
        double[] b = uniform(k * n, ~seed);
        double[] java = form.kernel(a, b, m, k, n, 1, MatMulBackend.JAVA);
        double[] scale = magnitudes(form, a, b, m, k, n);
        for (int threads = 1; threads <= 2; threads++) {
            double[] actual = form.kernel(a, b, m, k, n, threads, MatMulBackend.NATIVE);
            for (int e = 0; e < java.length; e++) {
                if (!(Math.abs(actual[e] - java[e]) <= RELATIVE * scale[e])) {
                    fail(form + " (m, k, n) = (" + m + ", " + k + ", " + n + ") on " + threads + " threads, seed "
                            + seed + ": element (" + e / n + ", " + e % n + ") is " + actual[e] + " natively but "
                            + java[e] + " in Java, more than " + RELATIVE + " × Σ|a·b| = " + scale[e] + " apart");
                }
            }
        }
    }

    @Test
    @Tag("property")
    void nativeAgreesWithJavaWithin1e12OfTheSumOfAbsoluteProducts() {
        assumeNative();
        qt().withExamples(60)
                .forAll(Generate.enumValues(Form.class), MatMulKernelsTest.shapes(), TestSupport.seeds())
                .checkAssert((form, s, seed) -> assertNativeCloseToJava(form, s[0], s[1], s[2], seed));
    }

    @Test
    void nativeAgreesWithJavaOnTheBenchmarksShapes() {
        assumeNative();
        int[][] shapes = {{1, 784, 256}, {128, 784, 256}, {32, 256, 128}, {1024, 128, 10}, {5000, 400, 25},
            {256, 1024, 1024}, {2, 2, 2}, {3, 3, 4}, {1, 1, 1000}, {1000, 1, 1}, {1, 1000, 1}};
        for (Form form : Form.values()) {
            for (int[] s : shapes) {
                assertNativeCloseToJava(form, s[0], s[1], s[2], 42);
            }
        }
    }

    @Test
    @Tag("property")
    void nativeGivesTheSameBitsOnOneTwoAndThreeThreads() {
        assumeNative();
        Gen<Integer> rows = Generate.pick(Arrays.asList(1, 2, 3, 5, 17, 33, 65, 257, 300));
        Gen<Integer> sizes = Generate.pick(Arrays.asList(65, 100, 257, 300)); // enough work to share most products
        Gen<int[]> shapes = rows.zip(sizes, sizes, (m, k, n) -> new int[] {m, k, n}).describedAs(Arrays::toString);
        qt().withExamples(40)
                .forAll(Generate.enumValues(Form.class), shapes, TestSupport.seeds())
                .checkAssert((form, s, seed) -> {
                    int m = s[0], k = s[1], n = s[2];
                    double[] a = uniform(m * k, seed);
                    double[] b = uniform(k * n, ~seed);
                    double[] one = form.kernel(a, b, m, k, n, 1, MatMulBackend.NATIVE);
                    for (int threads = 2; threads <= 3; threads++) {
                        double[] more = form.kernel(a, b, m, k, n, threads, MatMulBackend.NATIVE);
                        assertTrue(Arrays.equals(one, more), form + " " + Arrays.toString(s) + " seed " + seed
                                + ": " + threads + " threads differ from 1 thread");
                    }
                });
    }

    @Test
    void nativeBlocksDependOnTheShapeAloneAndComeInEvenCounts() {
        assertEquals(4, MatMulKernels.nativeBlocks(1024, 1024, 1024, 4));
        assertEquals(2, MatMulKernels.nativeBlocks(1024, 1024, 1024, 2), "no more than the machine allows");
        assertEquals(1, MatMulKernels.nativeBlocks(128, 64, 64, 4), "512K multiply-adds");
        assertEquals(2, MatMulKernels.nativeBlocks(5000, 25, 10, 4), "1.25M: two blocks of 512K or more");
        assertEquals(2, MatMulKernels.nativeBlocks(128, 256, 128, 4), "4.2M: two blocks of 64 rows");
        assertEquals(2, MatMulKernels.nativeBlocks(128, 784, 256, 4), "25.7M, but 64 rows a block at least");
        assertEquals(4, MatMulKernels.nativeBlocks(784, 128, 256, 4), "25.7M: twelve of 2M, at most 4");
        assertEquals(1, MatMulKernels.nativeBlocks(32, 784, 256, 4), "6.4M in 32 rows: one block");
        assertEquals(2, MatMulKernels.nativeBlocks(191, 4096, 4096, 4), "two blocks of 64 rows or more, made even");
        assertEquals(1, MatMulKernels.nativeBlocks(1, 4096, 4096, 4), "one row");
        int processors = Runtime.getRuntime().availableProcessors();
        assertEquals(Math.max(2, processors - processors % 2), MatMulKernels.NATIVE_MAX_BLOCKS);
    }

    /**
     * Products with few columns and a long inner dimension, which OpenBLAS computes as the column-major C: by
     * blocks of rows of A, or for Aᵀ·B by blocks of depths whose parts are added in order.
     */
    @Test
    void columnMajorProductsAgreeWithJavaAndGiveTheSameBitsOnAnyThreadCount() {
        assumeNative();
        int[][] shapes = {{5000, 400, 25}, {2000, 1000, 5}, {1024, 256, 63}, {300, 400, 17}, {4, 300, 1}}; // the first three: 2-4 blocks
        for (int[] s : shapes) {
            int m = s[0], k = s[1], n = s[2];
            assertTrue(NativeBlas.columnMajorFaster(m, k, n), Arrays.toString(s));
            for (Form form : Form.values()) {
                assertNativeCloseToJava(form, m, k, n, 11);
                double[] a = uniform(m * k, 12);
                double[] b = uniform(k * n, 13);
                double[] one = form.kernel(a, b, m, k, n, 1, MatMulBackend.NATIVE);
                for (int threads = 2; threads <= 3; threads++) {
                    assertTrue(Arrays.equals(one, form.kernel(a, b, m, k, n, threads, MatMulBackend.NATIVE)),
                            form + " " + Arrays.toString(s) + ": " + threads + " threads differ from 1 thread");
                }
            }
        }
        assertTrue(!NativeBlas.columnMajorFaster(128, 784, 256) && !NativeBlas.columnMajorFaster(5000, 25, 10)
                && !NativeBlas.columnMajorFaster(90, 400, 25), "a wide C, a short inner dimension, few rows");
    }

    /**
     * Aᵀ·B with a long inner dimension and a C at least twice as tall as wide, as a dense layer's dW = Xᵀ·dY at a
     * large batch, goes by blocks of depths too; a column count that is not a multiple of four exercises the
     * transpose's last columns.
     */
    @Test
    void tallTransAProductsWithALongInnerDimensionGoByDepthsAndGiveTheSameBitsOnAnyThreadCount() {
        assumeNative();
        int[][] shapes = {{300, 600, 101}, {512, 512, 256}, {130, 1100, 9}, {784, 1024, 256}}; // the last: b1024's dW
        for (int[] s : shapes) {
            int m = s[0], k = s[1], n = s[2];
            assertTrue(NativeBlas.transAByDepthsFaster(m, k, n), Arrays.toString(s));
            assertNativeCloseToJava(Form.TRANS_A, m, k, n, 17);
            double[] a = uniform(k * m, 18);
            double[] b = uniform(k * n, 19);
            double[] one = Form.TRANS_A.kernel(a, b, m, k, n, 1, MatMulBackend.NATIVE);
            for (int threads = 2; threads <= 3; threads++) {
                assertTrue(Arrays.equals(one, Form.TRANS_A.kernel(a, b, m, k, n, threads, MatMulBackend.NATIVE)),
                        Arrays.toString(s) + ": " + threads + " threads differ from 1 thread");
            }
        }
        assertTrue(!NativeBlas.transAByDepthsFaster(784, 512, 256) && !NativeBlas.transAByDepthsFaster(1024, 1024, 1024)
                && !NativeBlas.transAByDepthsFaster(256, 256, 128),
                "an inner dimension shorter than C, a square C, an inner dimension under 512");
    }

    @Test
    void smallProductsRunTheTripleLoopOnTheNativeBackendToo() {
        int[][] shapes = {{1, 1, 1}, {2, 2, 2}, {4, 2, 4}, {4, 4, 8}, {1, 128, 1}, {8, 4, 4}};
        for (Form form : Form.values()) {
            for (int[] s : shapes) {
                int m = s[0], k = s[1], n = s[2];
                double[] a = uniform(m * k, 3);
                double[] b = uniform(k * n, 4);
                assertTrue(Arrays.equals(form.textbook(a, b, m, k, n), form.kernel(a, b, m, k, n, 2,
                        MatMulBackend.NATIVE)), form + " " + Arrays.toString(s));
            }
        }
    }

    @Test
    void infinitiesAndNaNsLandWhereTheJavaKernelsPutThem() {
        assumeNative();
        int m = 5, k = 9, n = 6;
        double[] a = uniform(m * k, 7);
        double[] b = uniform(k * n, 8);
        a[3] = Double.POSITIVE_INFINITY;
        a[20] = Double.NaN;
        b[13] = Double.NEGATIVE_INFINITY;
        for (Form form : Form.values()) {
            double[] java = form.kernel(a, b, m, k, n, 1, MatMulBackend.JAVA);
            double[] actual = form.kernel(a, b, m, k, n, 1, MatMulBackend.NATIVE);
            for (int e = 0; e < java.length; e++) {
                if (!Double.isFinite(java[e]) || !Double.isFinite(actual[e])) {
                    assertEquals(java[e], actual[e], form + " element (" + e / n + ", " + e % n + ")");
                }
            }
        }
    }

    @Test
    void tensorProductsFollowTheBackendInUse() {
        assumeNative();
        Tensor x = Tensor.of(Shape.of(40, 30), uniform(1200, 1));
        Tensor w = Tensor.of(Shape.of(30, 20), uniform(600, 2));
        MatMulBackend before = MatMulBackend.current();
        try {
            MatMulBackend.use(MatMulBackend.JAVA);
            Tensor java = x.matmul(w);
            MatMulBackend.use(MatMulBackend.NATIVE);
            Tensor actual = x.matmul(w);
            assertTrue(actual.allClose(java, 1e-13, 1e-12), "native " + actual + " but Java " + java);
            assertNotEquals(java, actual, "fused multiply-adds round differently somewhere in 800 elements");
            assertTrue(MatMulBackend.describe().startsWith("native"), MatMulBackend.describe());
        } finally {
            MatMulBackend.use(before);
        }
    }

    @Test
    void withoutTheNativeLibraryTheJavaKernelsDoEverything() {
        assumeTrue(!MatMulBackend.nativeAvailable(), "the native BLAS is present here");
        assertEquals(MatMulBackend.JAVA, MatMulBackend.current());
        assertTrue(MatMulBackend.describe().startsWith("java (no native BLAS"), MatMulBackend.describe());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MatMulBackend.use(MatMulBackend.NATIVE));
        assertTrue(e.getMessage().contains("libopenblas0-pthread"), e.getMessage());
    }
}
