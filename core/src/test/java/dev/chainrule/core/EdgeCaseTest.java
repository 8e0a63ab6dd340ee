package dev.chainrule.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Edge cases that once went wrong: empty axes, non-finite values, rounding at an interval's end. */
class EdgeCaseTest {
    @Test
    void argmaxOverAnAxisBeforeAnEmptyOneGivesAnEmptyResult() {
        assertEquals(Shape.of(0), Tensor.zeros(3, 0).argmax(0).shape());
    }

    @Test
    void argmaxPicksTheFirstNaNAsMaxDoes() {
        assertEquals(1.0, Tensor.vector(1, Double.NaN, 2, Double.NaN).argmax(0).item());
        assertTrue(Double.isNaN(Tensor.vector(1, Double.NaN, 2).max(false).item()));
    }

    @Test
    void everyMatrixProductPropagatesInfinityTimesZeroAsNaN() {
        Tensor a = Tensor.matrix(new double[] {0, 1});
        Tensor b = Tensor.matrix(new double[] {Double.POSITIVE_INFINITY}, new double[] {1});
        assertTrue(Double.isNaN(a.matmul(b).item()));
        assertTrue(Double.isNaN(a.transpose().matmulTransA(b).item()));
        assertTrue(Double.isNaN(a.matmulTransB(b.transpose()).item()));
    }

    @Test
    void uniformStaysBelowHighWhenTheIntervalIsTinyNextToLow() {
        Tensor t = Tensor.uniform(Randoms.seeded(0), 1e16, 1e16 + 2, Shape.of(50));
        for (double v : t.toArray()) {
            assertTrue(v >= 1e16 && v < 1e16 + 2, "value " + v);
        }
    }

    @Test
    void anEmptyShapeWithHugeOtherDimensionsHasSizeZero() {
        assertEquals(0, Shape.of(65536, 65536, 0).size());
    }

    @Test
    void wholeTensorReductionsReadAcrossEveryAxis() {
        Tensor t = Tensor.matrix(new double[] {1, 7, 3}, new double[] {7, -2, 0});
        assertEquals(1, t.argmax()); // the first of the two 7s, in row-major order
        assertEquals(7.0, t.max().item());
        assertEquals(16.0 / 6, t.mean().item(), 1e-15);
        assertEquals(Shape.scalar(), t.mean().shape());
    }

    @Test
    void reductionErrorsNameTheOperation() {
        Tensor t = Tensor.ones(2, 3);
        assertEquals("sum: axis 5 is out of range for shape (2, 3)",
                assertThrows(IllegalArgumentException.class, () -> t.sum(false, 5)).getMessage());
        assertEquals("argmax: axis 2 is out of range for shape (2, 3)",
                assertThrows(IllegalArgumentException.class, () -> t.argmax(2)).getMessage());
        assertEquals("mean: axis -1 is repeated in [1, -1]",
                assertThrows(IllegalArgumentException.class, () -> t.mean(true, 1, -1)).getMessage());
    }

    @Test
    void reshapeSharesNothingAnyoneCanChange() {
        Tensor t = Tensor.vector(1, 2, 3, 4);
        Tensor r = t.reshape(2, 2);
        double[] copy = r.toArray();
        copy[0] = 99;
        assertEquals(1.0, t.getFlat(0));
        assertEquals(1.0, r.get(0, 0));
    }
}
