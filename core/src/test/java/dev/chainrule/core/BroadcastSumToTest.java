package dev.chainrule.core;

import static dev.chainrule.core.TestSupport.EXAMPLES;
import static dev.chainrule.core.TestSupport.assertTensorClose;
import static dev.chainrule.core.TestSupport.assertTensorEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class BroadcastSumToTest {

    @Test
    void broadcastToRepeatsAVectorAlongNewLeadingAxes() {
        Tensor v = Tensor.vector(1, 2, 3);
        Tensor b = v.broadcastTo(Shape.of(2, 3));
        assertTensorEquals(Tensor.matrix(new double[] {1, 2, 3}, new double[] {1, 2, 3}), b);
    }

    @Test
    void broadcastToRepeatsAColumnAlongItsUnitAxis() {
        Tensor column = Tensor.of(Shape.of(2, 1), 5, 7);
        assertTensorEquals(Tensor.matrix(new double[] {5, 5, 5}, new double[] {7, 7, 7}),
                column.broadcastTo(Shape.of(2, 3)));
        assertTensorEquals(Tensor.full(Shape.of(2, 2), 4), Tensor.scalar(4).broadcastTo(Shape.of(2, 2)));
    }

    @Test
    void sumToSumsOverBroadcastAxes() {
        Tensor m = Tensor.matrix(new double[] {1, 2, 3}, new double[] {4, 5, 6});
        assertTensorEquals(Tensor.vector(5, 7, 9), m.sumTo(Shape.of(3)));
        assertTensorEquals(Tensor.of(Shape.of(1, 3), 5, 7, 9), m.sumTo(Shape.of(1, 3)));
        assertTensorEquals(Tensor.of(Shape.of(2, 1), 6, 15), m.sumTo(Shape.of(2, 1)));
        assertTensorEquals(Tensor.scalar(21), m.sumTo(Shape.scalar()));
        assertTensorEquals(Tensor.of(Shape.of(1, 1), 21), m.sumTo(Shape.of(1, 1)));
        assertTensorEquals(m, m.sumTo(Shape.of(2, 3)));
    }

    @Test
    void broadcastToAnIncompatibleShapeThrowsNamingBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(2, 3).broadcastTo(Shape.of(3, 3)));
        assertTrue(e.getMessage().contains("broadcastTo"), e.getMessage());
        assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("(3, 3)"), e.getMessage());
        // Broadcasting never shrinks: a larger tensor does not broadcast to a smaller shape.
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).broadcastTo(Shape.of(3)));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(1).broadcastTo(Shape.scalar()));
    }

    @Test
    void sumToAShapeThatDoesNotBroadcastBackThrowsNamingBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(2, 3).sumTo(Shape.of(2)));
        assertTrue(e.getMessage().contains("sumTo"), e.getMessage());
        assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("(2)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).sumTo(Shape.of(2, 3)));
    }

    @Test
    @Tag("property")
    void broadcastToReadsEachElementFromItsBroadcastSourceIndex() {
        qt().withExamples(EXAMPLES).forAll(TestSupport.shapeAndPartner(), TestSupport.seeds()).checkAssert((c, seed) -> {
            Tensor x = TestSupport.dyadicTensor(c.partner(), seed);
            Tensor b = x.broadcastTo(c.shape());
            assertEquals(c.shape(), b.shape());
            for (int flat = 0; flat < b.size(); flat++) {
                int[] index = TestSupport.unravel(flat, c.shape());
                assertEquals(x.get(TestSupport.broadcastSourceIndex(index, x.shape())), b.getFlat(flat), c::toString);
            }
        });
    }

    @Test
    @Tag("property")
    void sumToOfBroadcastToMultipliesByTheRepeatFactor() {
        qt().withExamples(EXAMPLES).forAll(TestSupport.shapeAndPartner(), TestSupport.seeds()).checkAssert((c, seed) -> {
            // Quarter-integers: every partial sum is exact, so the comparison can be exact.
            Tensor x = TestSupport.dyadicTensor(c.partner(), seed);
            double factor = (double) c.shape().size() / c.partner().size();
            Tensor roundTrip = x.broadcastTo(c.shape()).sumTo(c.partner());
            assertTensorEquals(x.mul(factor), roundTrip);
        });
    }

    @Test
    @Tag("property")
    void sumToIsTheAdjointOfBroadcastTo() {
        qt().withExamples(EXAMPLES).forAll(TestSupport.shapeAndPartner(), TestSupport.seeds()).checkAssert((c, seed) -> {
            Tensor x = TestSupport.randomTensor(c.partner(), seed, -1, 1);
            Tensor y = TestSupport.randomTensor(c.shape(), ~seed, -1, 1);
            Tensor sumToY = y.sumTo(c.partner());
            assertEquals(c.partner(), sumToY.shape());
            double left = TestSupport.dot(x.broadcastTo(c.shape()), y);
            double right = TestSupport.dot(x, sumToY);
            double scale = TestSupport.absDot(x.broadcastTo(c.shape()), y);
            assertEquals(left, right, 1e-9 * Math.max(scale, Double.MIN_NORMAL), c::toString);
        });
    }

    @Test
    @Tag("property")
    void sumToMatchesANaiveAccumulationOverBroadcastSourceIndices() {
        qt().withExamples(EXAMPLES).forAll(TestSupport.shapeAndPartner(), TestSupport.seeds()).checkAssert((c, seed) -> {
            Tensor y = TestSupport.dyadicTensor(c.shape(), seed);
            double[] expected = new double[c.partner().size()];
            int[] partnerDims = c.partner().dims();
            for (int flat = 0; flat < y.size(); flat++) {
                int[] source = TestSupport.broadcastSourceIndex(TestSupport.unravel(flat, c.shape()), c.partner());
                expected[TestSupport.ravel(source, partnerDims)] += y.getFlat(flat);
            }
            assertTensorEquals(Tensor.of(c.partner(), expected), y.sumTo(c.partner()));
        });
    }

    @Test
    void hundredThousandElementBroadcastsAndSumsComplete() {
        int rows = 1000;
        int cols = 100;
        double[] columnValues = new double[rows];
        for (int i = 0; i < rows; i++) {
            columnValues[i] = i;
        }
        Tensor column = Tensor.of(Shape.of(rows, 1), columnValues);
        Tensor row = Tensor.ones(1, cols);

        Tensor big = column.add(row);
        assertEquals(100_000, big.size());
        assertEquals(1000.0, big.get(999, 99));

        Tensor broadcast = column.broadcastTo(Shape.of(rows, cols));
        assertTensorEquals(big.sub(row), broadcast);

        // Row sums are i * cols, column sums are 0 + 1 + ... + 999.
        Tensor rowSums = broadcast.sumTo(Shape.of(rows, 1));
        assertTensorEquals(column.mul(cols), rowSums);
        Tensor columnSums = broadcast.sum(false, 0);
        assertTensorEquals(Tensor.full(Shape.of(cols), rows * (rows - 1) / 2.0), columnSums);
        assertEquals(rows * (rows - 1) / 2.0 * cols, broadcast.sum().item());

        Tensor flat = Tensor.full(Shape.of(100_000), 0.5);
        Tensor shifted = flat.add(Tensor.scalar(1.5));
        assertEquals(200_000.0, shifted.sum().item());
        Tensor deep = Tensor.ones(10, 10, 10, 10, 10).mul(Tensor.vector(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        assertEquals(45.0 * 10_000, deep.sum().item());
        assertArrayEquals(new double[] {0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000, 80_000, 90_000},
                deep.sumTo(Shape.of(10)).toArray());
        assertTensorClose(Tensor.full(Shape.of(10, 10, 10, 10), 45), deep.sum(false, -1), 0, 0);
    }
}
