package dev.chainrule.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorCreationTest {

    @Test
    void ofStoresValuesInRowMajorOrder() {
        Tensor t = Tensor.of(Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
        assertEquals(Shape.of(2, 3), t.shape());
        assertEquals(2, t.rank());
        assertEquals(6, t.size());
        assertEquals(1.0, t.get(0, 0));
        assertEquals(3.0, t.get(0, 2));
        assertEquals(4.0, t.get(1, 0));
        assertEquals(6.0, t.get(1, 2));
        assertEquals(5.0, t.getFlat(4));
    }

    @Test
    void ofWithTheWrongNumberOfValuesThrowsNamingTheShape() {
        IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(Shape.of(2, 3), 1, 2, 3, 4, 5));
        assertTrue(tooFew.getMessage().contains("(2, 3)"), tooFew.getMessage());
        assertTrue(tooFew.getMessage().contains("Tensor.of"), tooFew.getMessage());
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(Shape.scalar(), 1, 2));
        assertTrue(tooMany.getMessage().contains("()"), tooMany.getMessage());
    }

    @Test
    void ofSaysHowManyValuesTheShapeNeedsWithTheNounInTheRightNumber() {
        assertEquals("Tensor.of: shape () needs 1 value, got 2",
                assertThrows(IllegalArgumentException.class, () -> Tensor.of(Shape.scalar(), 1, 2)).getMessage());
        assertEquals("Tensor.of: shape (2, 3) needs 6 values, got 5",
                assertThrows(IllegalArgumentException.class,
                        () -> Tensor.of(Shape.of(2, 3), 1, 2, 3, 4, 5)).getMessage());
        assertEquals("Tensor.of: shape (0) needs 0 values, got 1",
                assertThrows(IllegalArgumentException.class, () -> Tensor.of(Shape.of(0), 1)).getMessage());
    }

    @Test
    void adoptHoldsTheValuesItIsHandedAndChecksTheirCount() {
        Tensor t = Tensor.adopt(Shape.of(2, 2), new double[] {1, 2, 3, 4});
        assertEquals(Tensor.matrix(new double[] {1, 2}, new double[] {3, 4}), t);
        assertEquals("Tensor.adopt: shape (2, 2) needs 4 values, got 3",
                assertThrows(IllegalArgumentException.class, () -> Tensor.adopt(Shape.of(2, 2), new double[3]))
                        .getMessage());
    }

    @Test
    void ofCopiesTheValuesArray() {
        double[] values = {1, 2, 3, 4};
        Tensor t = Tensor.of(Shape.of(2, 2), values);
        values[0] = 99;
        assertEquals(1.0, t.get(0, 0));
        double[] v = {1, 2};
        Tensor vector = Tensor.vector(v);
        v[1] = 99;
        assertEquals(2.0, vector.get(1));
        double[] row = {1, 2};
        Tensor matrix = Tensor.matrix(row, new double[] {3, 4});
        row[0] = 99;
        assertEquals(1.0, matrix.get(0, 0));
    }

    @Test
    void vectorMatrixAndScalarHaveTheExpectedShapes() {
        assertEquals(Shape.of(3), Tensor.vector(1, 2, 3).shape());
        Tensor m = Tensor.matrix(new double[] {1, 2, 3}, new double[] {4, 5, 6});
        assertEquals(Shape.of(2, 3), m.shape());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, m.toArray());
        Tensor s = Tensor.scalar(2.5);
        assertEquals(Shape.scalar(), s.shape());
        assertEquals(0, s.rank());
        assertEquals(1, s.size());
        assertEquals(2.5, s.item());
        assertEquals(2.5, s.get());
    }

    @Test
    void matrixWithRaggedRowsThrows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.matrix(new double[] {1, 2}, new double[] {3, 4, 5}));
        assertTrue(e.getMessage().contains("Tensor.matrix"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Tensor.matrix(new double[] {1, 2, 3}, new double[] {4, 5}));
    }

    @Test
    void matrixCountsTheValuesOfARaggedRowWithTheNounInTheRightNumber() {
        assertEquals("Tensor.matrix: row 1 has 1 value but row 0 has 2",
                assertThrows(IllegalArgumentException.class,
                        () -> Tensor.matrix(new double[] {1, 2}, new double[] {3})).getMessage());
        assertEquals("Tensor.matrix: row 1 has 3 values but row 0 has 2",
                assertThrows(IllegalArgumentException.class,
                        () -> Tensor.matrix(new double[] {1, 2}, new double[] {3, 4, 5})).getMessage());
    }

    @Test
    void zerosOnesAndFullFillTheirShape() {
        assertArrayEquals(new double[6], Tensor.zeros(2, 3).toArray());
        assertEquals(Shape.of(2, 3), Tensor.zeros(Shape.of(2, 3)).shape());
        assertArrayEquals(new double[] {1, 1, 1}, Tensor.ones(3).toArray());
        assertEquals(Shape.of(1, 3), Tensor.ones(Shape.of(1, 3)).shape());
        assertArrayEquals(new double[] {7, 7, 7, 7}, Tensor.full(Shape.of(2, 2), 7).toArray());
        assertEquals(Shape.scalar(), Tensor.zeros().shape());
        assertEquals(1, Tensor.zeros().size());
    }

    @Test
    void toArrayReturnsACopy() {
        Tensor t = Tensor.vector(1, 2, 3);
        double[] array = t.toArray();
        array[0] = 99;
        assertEquals(1.0, t.get(0));
        assertArrayEquals(new double[] {1, 2, 3}, t.toArray());
    }

    @Test
    void withFlatReturnsAModifiedCopyAndLeavesTheOriginalUnchanged() {
        Tensor t = Tensor.matrix(new double[] {1, 2}, new double[] {3, 4});
        Tensor u = t.withFlat(2, 30);
        assertArrayEquals(new double[] {1, 2, 3, 4}, t.toArray());
        assertArrayEquals(new double[] {1, 2, 30, 4}, u.toArray());
        assertEquals(t.shape(), u.shape());
        assertThrows(IllegalArgumentException.class, () -> t.withFlat(4, 0));
        assertThrows(IllegalArgumentException.class, () -> t.withFlat(-1, 0));
    }

    @Test
    void getRejectsWrongRankAndOutOfBoundsIndices() {
        Tensor t = Tensor.zeros(2, 3);
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class, () -> t.get(1));
        assertTrue(rank.getMessage().contains("(2, 3)"), rank.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.get(2, 0));
        assertThrows(IllegalArgumentException.class, () -> t.get(0, 3));
        assertThrows(IllegalArgumentException.class, () -> t.get(0, -1));
        assertThrows(IllegalArgumentException.class, () -> t.getFlat(6));
        assertThrows(IllegalArgumentException.class, () -> t.getFlat(-1));
    }

    @Test
    void itemReturnsTheOnlyElementWhateverTheRankAndRejectsLargerTensors() {
        assertEquals(4.0, Tensor.of(Shape.of(1, 1, 1), 4).item());
        assertEquals(4.0, Tensor.vector(4).item());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.vector(1, 2).item());
        assertTrue(e.getMessage().contains("(2)"), e.getMessage());
    }

    @Test
    void toStringPrintsNestedBracketsLikeNumpy() {
        assertEquals("[[1.0, 2.0], [3.0, 4.0]]", Tensor.matrix(new double[] {1, 2}, new double[] {3, 4}).toString());
        assertEquals("[1.0, 2.0, 3.0]", Tensor.vector(1, 2, 3).toString());
        assertEquals("2.5", Tensor.scalar(2.5).toString());
        assertEquals("[[[1.0], [2.0]]]", Tensor.of(Shape.of(1, 2, 1), 1, 2).toString());
        assertEquals("[[1.0, 2.0, 3.0]]", Tensor.of(Shape.of(1, 3), 1, 2, 3).toString());
    }

    @Test
    void toStringElidesLongTensors() {
        Tensor big = Tensor.zeros(2000).withFlat(0, 1).withFlat(1999, 9);
        String s = big.toString();
        assertTrue(s.startsWith("Tensor(2000)"), s);
        assertTrue(s.contains("..."), s);
        assertTrue(s.endsWith("9.0]"), s);
        assertTrue(s.length() < 100, s);
    }

    @Test
    void equalsComparesShapeAndValues() {
        Tensor a = Tensor.of(Shape.of(2, 2), 1, 2, 3, 4);
        assertEquals(a, Tensor.matrix(new double[] {1, 2}, new double[] {3, 4}));
        assertEquals(a.hashCode(), Tensor.matrix(new double[] {1, 2}, new double[] {3, 4}).hashCode());
        assertNotEquals(a, Tensor.vector(1, 2, 3, 4));
        assertNotEquals(a, Tensor.of(Shape.of(2, 2), 1, 2, 3, 5));
        assertNotEquals(a, Tensor.of(Shape.of(4, 1), 1, 2, 3, 4));
    }

    @Test
    void allCloseUsesAbsoluteAndRelativeTolerancesAndRequiresEqualShapes() {
        Tensor a = Tensor.vector(1, 100);
        assertTrue(a.allClose(Tensor.vector(1 + 1e-9, 100), 1e-8, 0));
        assertFalse(a.allClose(Tensor.vector(1 + 1e-7, 100), 1e-8, 0));
        assertTrue(a.allClose(Tensor.vector(1, 100.5), 0, 0.01));
        assertFalse(a.allClose(Tensor.vector(1, 102), 0, 0.01));
        assertFalse(a.allClose(Tensor.of(Shape.of(2, 1), 1, 100), 1, 1));
        Tensor inf = Tensor.vector(Double.POSITIVE_INFINITY);
        assertTrue(inf.allClose(Tensor.vector(Double.POSITIVE_INFINITY), 0, 0));
        assertFalse(Tensor.vector(Double.NaN).allClose(Tensor.vector(Double.NaN), 1, 1));
    }

    @Test
    void viewReadsTheElementsInPlaceAndRefusesWrites() {
        Tensor t = Tensor.matrix(new double[] {1, 2, 3}, new double[] {4, 5, 6});
        java.nio.DoubleBuffer view = t.view();
        assertEquals(6, view.remaining());
        for (int i = 0; i < 6; i++) {
            assertEquals(i + 1.0, view.get(i));
        }
        assertThrows(java.nio.ReadOnlyBufferException.class, () -> view.put(0, 9.0));
        assertEquals(1.0, t.get(0, 0));
    }
}
