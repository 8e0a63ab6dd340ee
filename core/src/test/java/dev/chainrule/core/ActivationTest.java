package dev.chainrule.core;

import static dev.chainrule.core.TestSupport.EXAMPLES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/** softmax, logSoftmax and sigmoid: values, and stability at extreme inputs. */
class ActivationTest {

    private static final double EXTREME = 1000;

    /** Matrices and higher-rank tensors (rank 1..4, dims 1..5); softmax works along the last axis. */
    private static Gen<Shape> rowShapes() {
        return TestSupport.shapes(1, 4);
    }

    /** Values drawn from {-1000, 1000} and [-1000, 1000], so that rows mix huge and tiny exponents. */
    private static Tensor extremeTensor(Shape shape, long seed) {
        Random random = new Random(seed);
        double[] values = new double[shape.size()];
        for (int i = 0; i < values.length; i++) {
            switch (random.nextInt(3)) {
                case 0 -> values[i] = EXTREME;
                case 1 -> values[i] = -EXTREME;
                default -> values[i] = EXTREME * (2 * random.nextDouble() - 1);
            }
        }
        return Tensor.of(shape, values);
    }

    private static void assertRowsSumToOne(Tensor y) {
        int n = y.shape().dim(-1);
        double[] v = y.toArray();
        for (int row = 0; row < v.length; row += n) {
            double sum = 0;
            for (int j = row; j < row + n; j++) {
                assertTrue(Double.isFinite(v[j]) && v[j] >= 0 && v[j] <= 1, () -> "softmax gave " + y);
                sum += v[j];
            }
            assertEquals(1.0, sum, 1e-12, "row starting at " + row + " of " + y);
        }
    }

    // ---- softmax ----------------------------------------------------------------------------------------------

    @Test
    void softmaxOfAKnownRow() {
        Tensor y = Tensor.vector(1, 2, 3).softmax();
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertEquals(Math.exp(1) / z, y.get(0), 1e-15);
        assertEquals(Math.exp(2) / z, y.get(1), 1e-15);
        assertEquals(Math.exp(3) / z, y.get(2), 1e-15);
    }

    @Test
    void softmaxActsAlongTheLastAxisOnly() {
        Tensor x = Tensor.matrix(new double[] {0, 0}, new double[] {0, Math.log(3)});
        Tensor y = x.softmax();
        assertEquals(Shape.of(2, 2), y.shape());
        assertEquals(0.5, y.get(0, 0), 1e-15);
        assertEquals(0.5, y.get(0, 1), 1e-15);
        assertEquals(0.25, y.get(1, 0), 1e-15);
        assertEquals(0.75, y.get(1, 1), 1e-15);
    }

    @Test
    void softmaxIsFiniteAtPlusAndMinusOneThousand() {
        Tensor y = Tensor.matrix(new double[] {EXTREME, -EXTREME, 0}, new double[] {EXTREME, EXTREME, EXTREME},
                new double[] {-EXTREME, -EXTREME, -EXTREME}).softmax();
        assertEquals(1.0, y.get(0, 0));
        assertEquals(0.0, y.get(0, 1));
        assertEquals(0.0, y.get(0, 2));
        for (int j = 0; j < 3; j++) {
            assertEquals(1.0 / 3, y.get(1, j), 1e-15);
            assertEquals(1.0 / 3, y.get(2, j), 1e-15);
        }
    }

    @Test
    @Tag("property")
    void softmaxRowsArePositiveFiniteAndSumToOneEvenForExtremeInputs() {
        qt().withExamples(EXAMPLES).forAll(rowShapes(), TestSupport.seeds()).checkAssert((shape, seed) -> {
            Tensor x = extremeTensor(shape, seed);
            Tensor y = x.softmax();
            assertEquals(shape, y.shape());
            assertRowsSumToOne(y);
            assertRowsSumToOne(TestSupport.randomTensor(shape, seed, -5, 5).softmax());
        });
    }

    @Test
    @Tag("property")
    void softmaxIsUnchangedByAddingAConstantToEveryElement() {
        qt().withExamples(EXAMPLES)
                .forAll(rowShapes(), TestSupport.seeds(), SourceDSL.doubles().between(-500, 500))
                .checkAssert((shape, seed, shift) -> {
                    Tensor x = TestSupport.randomTensor(shape, seed, -5, 5);
                    TestSupport.assertTensorClose(x.softmax(), x.add(shift).softmax(), 1e-12, 1e-9);
                });
    }

    @Test
    void softmaxAndLogSoftmaxOfAScalarAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1).softmax());
        assertTrue(e.getMessage().contains("softmax") && e.getMessage().contains("()"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1).logSoftmax());
    }

    // ---- logSoftmax -------------------------------------------------------------------------------------------

    @Test
    @Tag("property")
    void logSoftmaxEqualsTheLogOfSoftmaxOnModerateInputs() {
        qt().withExamples(EXAMPLES).forAll(rowShapes(), TestSupport.seeds()).checkAssert((shape, seed) -> {
            Tensor x = TestSupport.randomTensor(shape, seed, -10, 10);
            TestSupport.assertTensorClose(x.softmax().log(), x.logSoftmax(), 1e-12, 1e-10);
        });
    }

    @Test
    void logSoftmaxIsFiniteAndExactAtExtremes() {
        Tensor y = Tensor.vector(EXTREME, -EXTREME).logSoftmax();
        assertEquals(0.0, y.get(0), 1e-12);
        assertEquals(-2 * EXTREME, y.get(1), 1e-9);
        Tensor same = Tensor.vector(-EXTREME, -EXTREME).logSoftmax();
        assertEquals(-Math.log(2), same.get(0), 1e-12);
        assertEquals(-Math.log(2), same.get(1), 1e-12);
    }

    @Test
    @Tag("property")
    void logSoftmaxIsFiniteAndNonPositiveForExtremeInputs() {
        qt().withExamples(EXAMPLES).forAll(rowShapes(), TestSupport.seeds()).checkAssert((shape, seed) -> {
            Tensor y = extremeTensor(shape, seed).logSoftmax();
            for (int i = 0; i < y.size(); i++) {
                double v = y.getFlat(i);
                assertTrue(Double.isFinite(v) && v <= 0, () -> "logSoftmax gave " + y);
            }
            // exp(logSoftmax) is a probability distribution along each row.
            assertRowsSumToOne(y.exp());
        });
    }

    // ---- sigmoid ----------------------------------------------------------------------------------------------

    @Test
    void sigmoidIsFiniteAndInTheUnitIntervalAtPlusAndMinusOneThousand() {
        Tensor y = Tensor.vector(EXTREME, -EXTREME, 0, 745, -745, Double.MAX_VALUE, -Double.MAX_VALUE).sigmoid();
        for (int i = 0; i < y.size(); i++) {
            double v = y.getFlat(i);
            assertTrue(Double.isFinite(v) && v >= 0 && v <= 1, () -> "sigmoid gave " + y);
        }
        assertEquals(1.0, y.get(0));
        assertEquals(0.0, y.get(1), 1e-300);
        assertEquals(0.5, y.get(2));
    }

    @Test
    @Tag("property")
    void sigmoidMatchesTheTextbookFormulaOnModerateInputs() {
        qt().withExamples(EXAMPLES).forAll(SourceDSL.doubles().between(-30, 30)).checkAssert(x -> {
            double expected = 1 / (1 + Math.exp(-x));
            double actual = Tensor.scalar(x).sigmoid().item();
            assertEquals(expected, actual, 1e-15 + 1e-12 * expected, () -> "sigmoid(" + x + ")");
        });
    }

    @Test
    @Tag("property")
    void sigmoidIsSymmetricAboutOneHalf() {
        qt().withExamples(EXAMPLES).forAll(SourceDSL.doubles().between(-50, 50)).checkAssert(x -> {
            double s = Tensor.scalar(x).sigmoid().item();
            double t = Tensor.scalar(-x).sigmoid().item();
            assertEquals(1.0, s + t, 1e-15, () -> "sigmoid(" + x + ") + sigmoid(" + -x + ")");
        });
    }

    /**
     * σ(x) to 60 digits, rounded to the nearest double: e^−|x| by its Taylor series at −|x| / 2¹², squared twelve
     * times, then 1 / (1 + e) or e / (1 + e). An oracle that shares nothing with the kernel.
     */
    static double exactSigmoid(double x) {
        MathContext digits = new MathContext(60);
        BigDecimal r = new BigDecimal(-Math.abs(x)).divide(BigDecimal.valueOf(4096), digits);
        BigDecimal term = BigDecimal.ONE, e = BigDecimal.ONE;
        for (int n = 1; n < 40; n++) {
            term = term.multiply(r, digits).divide(BigDecimal.valueOf(n), digits);
            e = e.add(term, digits);
        }
        for (int i = 0; i < 12; i++) {
            e = e.multiply(e, digits);
        }
        BigDecimal denominator = BigDecimal.ONE.add(e, digits);
        return (x >= 0 ? BigDecimal.ONE : e).divide(denominator, digits).doubleValue();
    }

    /** The largest distance of the sigmoid from the correctly rounded σ, in units in its last place. */
    private static double worstUlps(double[] xs, DoubleUnaryOperator sigmoid) {
        double worst = 0;
        for (double x : xs) {
            double exact = exactSigmoid(x);
            worst = Math.max(worst, Math.abs(sigmoid.applyAsDouble(x) - exact) / Math.ulp(exact));
        }
        return worst;
    }

    /** 3000 seeded points from five scales, down to where e^−|x| is subnormal and past where it is 0. */
    private static double[] pointsAcrossTheRange() {
        Random random = new Random(11);
        double[] scales = {1e-3, 0.7, 5, 40, 746};
        double[] xs = new double[3000];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = scales[i % scales.length] * (2 * random.nextDouble() - 1);
        }
        return xs;
    }

    /**
     * Both of the kernel's paths: whole chunks of {@value Kernels#CHUNK} in vectorized loops, and what is left
     * over (here the last 184 points, and every point on its own) one element at a time.
     */
    @Test
    void sigmoidIsWithinTwoUlpOfTheCorrectlyRoundedValueAcrossItsRange() {
        double[] xs = pointsAcrossTheRange();
        double[] ys = Tensor.vector(xs).sigmoid().toArray();
        int[] index = {0};
        double inChunks = worstUlps(xs, x -> ys[index[0]++]);
        assertTrue(inChunks <= 2, "worst " + inChunks + " ulp in a tensor of " + xs.length);
        double alone = worstUlps(xs, x -> Tensor.scalar(x).sigmoid().item());
        assertTrue(alone <= 2, "worst " + alone + " ulp, each point on its own");
    }

    /** Negative control: a sigmoid three ulp off fails the check above. */
    @Test
    void theUlpCheckSeesASigmoidThreeUlpOff() {
        double[] xs = pointsAcrossTheRange();
        double worst = worstUlps(xs, x -> {
            double y = Tensor.scalar(x).sigmoid().item();
            return y == 0 ? y : Math.nextUp(Math.nextUp(Math.nextUp(y)));
        });
        assertTrue(worst >= 3, "worst " + worst + " ulp");
    }

    /** The edges at the start of a whole chunk, and again in what is left over after it. */
    @Test
    void sigmoidTakesItsValuesAtTheEdgesExactly() {
        double[] xs = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 40, 1e300, -746, -1e300,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
        double[] expected = {0.5, 0.5, 0.5, 0.5, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, Double.NaN};
        double[] both = new double[Kernels.CHUNK + xs.length];
        System.arraycopy(xs, 0, both, 0, xs.length);
        System.arraycopy(xs, 0, both, Kernels.CHUNK, xs.length);
        double[] actual = Tensor.vector(both).sigmoid().toArray();
        for (int start : new int[] {0, Kernels.CHUNK}) {
            for (int i = 0; i < xs.length; i++) {
                assertEquals(expected[i], actual[start + i], 0.0, "sigmoid(" + xs[i] + ") at " + (start + i));
            }
        }
    }

    /**
     * The kernel works in chunks of 256 elements, one element at a time on what is left over, and shares large
     * tensors among threads: an element's sigmoid is the same bits wherever it falls, and on any number of
     * threads. Each thread's part here ends in five elements left over.
     */
    @Test
    void sigmoidDoesNotDependOnWhereAnElementFallsOrOnTheThreads() {
        Tensor x = Tensor.normal(Randoms.seeded(5), 0, 10, Shape.of(3, Kernels.ELEMENTS_PER_SHARE + 5));
        int before = Parallelism.threads();
        try {
            Parallelism.setThreads(1);
            Tensor one = x.sigmoid();
            Parallelism.setThreads(3);
            TestSupport.assertTensorEquals(one, x.sigmoid());
            for (int i = 0; i < x.size(); i += 97) {
                assertEquals(Tensor.scalar(x.getFlat(i)).sigmoid().item(), one.getFlat(i), 0.0, "element " + i);
            }
        } finally {
            Parallelism.setThreads(before);
        }
    }

    /**
     * Softmax, softmax cross-entropy and its gradient share a matrix's rows among threads: the same bits on 1 and
     * 3 threads (in shares of unequal rows), and every row as a matrix of that row alone gives it.
     */
    @Test
    void softmaxAndItsCrossEntropyDoNotDependOnTheThreads() {
        int classes = 7, rows = 3 * Kernels.ELEMENTS_PER_SHARE / classes + 4; // 7025: shares of 2341 and 2342
        Tensor z = Tensor.normal(Randoms.seeded(8), 0, 10, Shape.of(rows, classes));
        Tensor t = Tensor.uniform(Randoms.seeded(9), 0, 1, Shape.of(rows, classes));
        int before = Parallelism.threads();
        try {
            Parallelism.setThreads(1);
            Tensor softmax = z.softmax(), gradient = softmax.softmaxCrossEntropyGradientFromSoftmax(t, 0.375);
            double loss = z.softmaxCrossEntropy(t, -0.25).item();
            Parallelism.setThreads(3);
            WritableTensor softmaxOnTheWay = WritableTensor.zeros(z.shape());
            assertEquals(loss, z.softmaxCrossEntropy(t, -0.25, softmaxOnTheWay).item(), 0.0, "loss");
            TestSupport.assertTensorEquals(softmax, softmaxOnTheWay.tensor());
            TestSupport.assertTensorEquals(softmax, z.softmax());
            TestSupport.assertTensorEquals(gradient, softmax.softmaxCrossEntropyGradientFromSoftmax(t, 0.375));
            for (int r = 0; r < rows; r += 97) {
                Tensor softmaxRow = row(z, r).softmax();
                TestSupport.assertTensorEquals(softmaxRow, row(softmax, r));
                TestSupport.assertTensorEquals(softmaxRow.softmaxCrossEntropyGradientFromSoftmax(row(t, r), 0.375),
                        row(gradient, r));
            }
        } finally {
            Parallelism.setThreads(before);
        }
    }

    /** A row longer than a thread's share of elements is one share; a last axis of size 0 has no rows at all. */
    @Test
    void softmaxAndItsCrossEntropyTakeRowsOfAnyLength() {
        int n = Kernels.ELEMENTS_PER_SHARE + 3616;
        Tensor wide = Tensor.zeros(1, n);
        double[] oneHot = new double[n];
        oneHot[0] = 1.0;
        Tensor t = Tensor.of(Shape.of(1, n), oneHot);
        WritableTensor softmax = WritableTensor.zeros(wide.shape());
        assertEquals(Math.log(n), wide.softmaxCrossEntropy(t, -1.0, softmax).item(), 0.0);
        assertEquals(1.0 / n, softmax.tensor().getFlat(n - 1), 0.0);
        TestSupport.assertTensorEquals(wide.softmax(), softmax.tensor());
        assertEquals(1.0 / n - 1.0, softmax.tensor().softmaxCrossEntropyGradientFromSoftmax(t, 1.0).getFlat(0), 0.0);
        Tensor empty = Tensor.zeros(2, 0);
        assertEquals(Shape.of(2, 0), empty.softmax().shape());
        assertEquals(0.0, empty.softmaxCrossEntropy(empty, -1.0, WritableTensor.zeros(empty.shape())).item(), 0.0);
        assertEquals(Shape.of(2, 0), empty.softmaxCrossEntropyGradientFromSoftmax(empty, 1.0).shape());
    }

    /**
     * Both paths of the sigmoid, the same bits from where e^−|x| underflows to where σ rounds to 1: 8192 points,
     * whole chunks in one tensor, and each point on its own.
     */
    @Test
    void sigmoidPathsAgreeAcrossTheWholeRange() {
        double[] xs = new double[32 * Kernels.CHUNK];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = -750 + 1500.0 * i / (xs.length - 1);
        }
        double[] inChunks = Tensor.vector(xs).sigmoid().toArray();
        for (int i = 0; i < xs.length; i++) {
            assertEquals(Tensor.scalar(xs[i]).sigmoid().item(), inChunks[i], 0.0, "sigmoid(" + xs[i] + ")");
        }
    }

    private static Tensor row(Tensor matrix, int r) {
        int n = matrix.shape().dim(1);
        return Tensor.of(Shape.of(1, n), Arrays.copyOfRange(matrix.toArray(), r * n, r * n + n));
    }
}
