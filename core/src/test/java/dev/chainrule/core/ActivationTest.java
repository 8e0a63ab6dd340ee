package dev.chainrule.core;

import static dev.chainrule.core.TestSupport.EXAMPLES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import java.util.Random;
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
}
