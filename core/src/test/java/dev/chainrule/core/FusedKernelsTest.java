package dev.chainrule.core;

import static dev.chainrule.core.TestSupport.EXAMPLES;
import static dev.chainrule.core.TestSupport.assertTensorEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * The fused kernels (a sigmoid's and tanh's backward, softmax cross-entropy's gradient, a dense layer's forward)
 * against the composed operations they stand for, bit for bit: the composed form is the oracle.
 */
@Tag("property")
class FusedKernelsTest {
    /** Values the kernels must carry through: signed zeros, the ends of [0, 1], huge, tiny, infinite and NaN. */
    private static final double[] EDGES = {0.0, -0.0, 1.0, -1.0, 0.5, 1e-300, -1e-300, 1e300, -1e300, 745, -745,
            Double.MIN_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};

    /** Uniform values in [−range, range), with about one element in four an edge value. */
    private static Tensor withEdges(Shape shape, long seed, double range) {
        Random random = new Random(seed);
        double[] values = new double[shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextInt(4) == 0 ? EDGES[random.nextInt(EDGES.length)]
                    : range * (2 * random.nextDouble() - 1);
        }
        return Tensor.of(shape, values);
    }

    @Test
    void sigmoidGradientIsUpstreamTimesYTimesOneMinusY() {
        qt().withExamples(EXAMPLES).forAll(TestSupport.shapes(0, 4), TestSupport.seeds()).checkAssert((shape, seed) -> {
            Tensor y = withEdges(shape, seed, 1).map(Math::abs);
            Tensor gy = withEdges(shape, ~seed, 3);
            assertTensorEquals(gy.mul(y).mul(Tensor.ones(shape).sub(y)), y.sigmoidGradient(gy));
        });
    }

    @Test
    void tanhGradientIsUpstreamTimesOneMinusYSquared() {
        qt().withExamples(EXAMPLES).forAll(TestSupport.shapes(0, 4), TestSupport.seeds()).checkAssert((shape, seed) -> {
            Tensor y = withEdges(shape, seed, 1);
            Tensor gy = withEdges(shape, ~seed, 3);
            assertTensorEquals(gy.mul(Tensor.ones(shape).sub(y.mul(y))), y.tanhGradient(gy));
        });
    }

    @Test
    void softmaxCrossEntropyGradientIsSoftmaxTimesRowTargetsMinusTargetsScaled() {
        qt().withExamples(EXAMPLES).forAll(TestSupport.shapes(1, 4), TestSupport.seeds(),
                Generate.pick(Arrays.asList(1.0, -2.5, 1.0 / 3, 0.0))).checkAssert((shape, seed, scale) -> {
                    Tensor z = withEdges(shape, seed, 1000);
                    Tensor t = withEdges(shape, ~seed, 1); // any targets: each row's sum matters
                    Tensor p = z.softmax();
                    Tensor composed = p.mul(t.sum(true, -1)).sub(t).mul(scale);
                    assertTensorEquals(composed, p.softmaxCrossEntropyGradientFromSoftmax(t, scale));
                });
    }

    @Test
    void softmaxCrossEntropyIsTheScaledSumOfTargetsTimesLogSoftmax() {
        qt().withExamples(EXAMPLES).forAll(TestSupport.shapes(1, 4), TestSupport.seeds(),
                Generate.pick(Arrays.asList(-1.0, -0.25, 1.0 / 3))).checkAssert((shape, seed, scale) -> {
                    Tensor z = withEdges(shape, seed, 1000);
                    Tensor t = withEdges(shape, ~seed, 1);
                    Tensor composed = z.logSoftmax().mul(t).sum().mul(scale);
                    assertTensorEquals(composed, z.softmaxCrossEntropy(t, scale));
                });
    }

    /** The softmax that the loss writes on the way, for the gradient, is softmax()'s, and the loss unchanged. */
    @Test
    void softmaxCrossEntropyWritesTheSoftmaxOfItsLogits() {
        qt().withExamples(EXAMPLES).forAll(TestSupport.shapes(1, 4), TestSupport.seeds()).checkAssert((shape, seed) -> {
            Tensor z = withEdges(shape, seed, 1000);
            Tensor t = withEdges(shape, ~seed, 1);
            WritableTensor softmax = WritableTensor.copyOf(Tensor.full(shape, Double.NaN));
            assertTensorEquals(z.softmaxCrossEntropy(t, -0.5), z.softmaxCrossEntropy(t, -0.5, softmax));
            assertTensorEquals(z.softmax(), softmax.tensor());
        });
    }

    @Test
    void affineIsTheProductPlusTheBiasRow() {
        qt().withExamples(EXAMPLES).forAll(Generate.range(1, 6), Generate.range(0, 6), Generate.range(1, 6),
                TestSupport.seeds()).checkAssert((m, k, n, seed) -> {
                    Tensor x = withEdges(Shape.of(m, k), seed, 3);
                    Tensor w = withEdges(Shape.of(k, n), ~seed, 3);
                    Tensor b = withEdges(Shape.of(n), seed * 31, 3);
                    assertTensorEquals(x.matmul(w).add(b), x.affine(w, b));
                });
    }

    /**
     * Large products are computed in blocks of rows, and each block adds the bias to its own rows: every block's
     * rows, on each backend and thread count, get the bias once and after the product (bits of the product, then
     * + b). Shapes: two shares of the Java kernel; two native blocks of rows; two native blocks computed column-major.
     */
    @Test
    void affineAddsTheBiasOnceToEveryBlockOfALargeProduct() {
        int[][] shapes = {{512, 64, 64}, {256, 256, 128}, {512, 256, 16}};
        List<MatMulBackend> backends = MatMulBackend.nativeAvailable()
                ? List.of(MatMulBackend.JAVA, MatMulBackend.NATIVE) : List.of(MatMulBackend.JAVA);
        for (MatMulBackend backend : backends) {
            for (int[] shape : shapes) {
                int m = shape[0], k = shape[1], n = shape[2];
                double[] x = MatMulKernelsTest.uniform(m * k, m), w = MatMulKernelsTest.uniform(k * n, n);
                double[] b = MatMulKernelsTest.uniform(n, k);
                double[] expected = MatMulKernels.mult(x, w, m, k, n, 1, backend);
                for (int e = 0; e < expected.length; e++) {
                    expected[e] += b[e % n];
                }
                for (int threads = 1; threads <= 2; threads++) {
                    assertTrue(Arrays.equals(expected, MatMulKernels.affine(x, w, b, m, k, n, threads, backend)),
                            backend + " " + Arrays.toString(shape) + " on " + threads + " thread(s)");
                }
            }
        }
    }

    /** Negative control: the bit comparison above sees a mere reordering of the same three factors. */
    @Test
    void aReassociatedSigmoidGradientWouldFailTheComparison() {
        Shape shape = Shape.of(64);
        Tensor y = withEdges(shape, 7, 1).map(Math::abs);
        Tensor gy = withEdges(shape, 8, 3);
        Tensor reassociated = gy.mul(y.mul(Tensor.ones(shape).sub(y)));
        assertTrue(!Arrays.equals(reassociated.toArray(), y.sigmoidGradient(gy).toArray()),
                "gy·(y·(1 − y)) rounds differently from (gy·y)·(1 − y) somewhere in 64 random elements");
    }

    @Test
    void fusedKernelsRefuseOperandsOfAnotherShape() {
        Tensor y = Tensor.zeros(2, 3);
        assertEquals("sigmoidGradient: (2, 3) and (3) differ: the shapes must be equal",
                assertThrows(IllegalArgumentException.class, () -> y.sigmoidGradient(Tensor.zeros(3))).getMessage());
        assertEquals("tanhGradient: (2, 3) and (3, 2) differ: the shapes must be equal",
                assertThrows(IllegalArgumentException.class, () -> y.tanhGradient(Tensor.zeros(3, 2))).getMessage());
        assertEquals("softmaxCrossEntropyGradientFromSoftmax: (2, 3) and (1, 3) differ: the shapes must be equal",
                assertThrows(IllegalArgumentException.class,
                        () -> y.softmaxCrossEntropyGradientFromSoftmax(Tensor.zeros(1, 3), 1.0)).getMessage());
        assertEquals("softmaxCrossEntropyGradientFromSoftmax: needs at least one axis, got shape ()",
                assertThrows(IllegalArgumentException.class,
                        () -> Tensor.scalar(1).softmaxCrossEntropyGradientFromSoftmax(Tensor.scalar(1), 1.0)).getMessage());
        assertEquals("softmaxCrossEntropy: (2, 3) and (2, 1) differ: the shapes must be equal",
                assertThrows(IllegalArgumentException.class,
                        () -> y.softmaxCrossEntropy(Tensor.zeros(2, 1), -1.0)).getMessage());
        assertEquals("softmaxCrossEntropy: (2, 3) and (3, 2) differ: the shapes must be equal",
                assertThrows(IllegalArgumentException.class, () -> y.softmaxCrossEntropy(Tensor.zeros(2, 3), -1.0,
                        WritableTensor.zeros(Shape.of(3, 2)))).getMessage());
        WritableTensor logits = WritableTensor.copyOf(Tensor.zeros(2, 3));
        assertEquals("softmaxCrossEntropy: the elements to write the softmax into hold the logits or the targets, "
                + "which the loss reads after writing them", assertThrows(IllegalArgumentException.class,
                        () -> logits.tensor().softmaxCrossEntropy(y, -1.0, logits)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> y.softmaxCrossEntropy(logits.tensor(), -1.0, logits));
        assertEquals("affine: W is (3, 4) but b is (1, 4): b must be a vector with one entry per column of W",
                assertThrows(IllegalArgumentException.class,
                        () -> y.affine(Tensor.zeros(3, 4), Tensor.zeros(1, 4))).getMessage());
    }
}
