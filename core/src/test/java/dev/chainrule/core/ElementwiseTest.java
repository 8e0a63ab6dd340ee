package dev.chainrule.core;

import static dev.chainrule.core.TestSupport.EXAMPLES;
import static dev.chainrule.core.TestSupport.assertTensorClose;
import static dev.chainrule.core.TestSupport.assertTensorEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import java.util.function.BiFunction;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class ElementwiseTest {

    /** Each output element computed on its own from multi-indices, with the broadcast rule written out. */
    private static Tensor naiveZip(Tensor a, Tensor b, DoubleBinaryOperator f) {
        Shape out = TestSupport.naiveBroadcast(a.shape(), b.shape());
        double[] values = new double[out.size()];
        for (int flat = 0; flat < values.length; flat++) {
            int[] index = TestSupport.unravel(flat, out);
            double x = a.get(TestSupport.broadcastSourceIndex(index, a.shape()));
            double y = b.get(TestSupport.broadcastSourceIndex(index, b.shape()));
            values[flat] = f.applyAsDouble(x, y);
        }
        return Tensor.of(out, values);
    }

    private static void checkAgainstReference(String name, BiFunction<Tensor, Tensor, Tensor> op,
            DoubleBinaryOperator f) {
        qt().withExamples(EXAMPLES).forAll(TestSupport.compatiblePairs()).checkAssert(c -> {
            Tensor a = TestSupport.dyadicTensor(c.a(), c.seed());
            Tensor b = TestSupport.dyadicTensor(c.b(), c.seed() ^ 0x5DEECE66DL);
            double[] aBefore = a.toArray();
            double[] bBefore = b.toArray();
            Tensor expected = naiveZip(a, b, f);
            Tensor actual = op.apply(a, b);
            // The same IEEE operation on the same pair of numbers: the results must agree bit for bit.
            assertTensorEquals(expected, actual);
            assertTensorEquals(naiveZip(b, a, f), op.apply(b, a));
            // Operands of one shape take each operation's own loop: the same bits as the reference too.
            Tensor twin = TestSupport.dyadicTensor(c.a(), c.seed() ^ 0x9E3779B97F4A7C15L);
            assertTensorEquals(naiveZip(a, twin, f), op.apply(a, twin));
            assertArrayEquals(aBefore, a.toArray(), name + " changed its left operand");
            assertArrayEquals(bBefore, b.toArray(), name + " changed its right operand");
        });
    }

    @Test
    @Tag("property")
    void addOfBroadcastCompatibleTensorsMatchesTheNaiveReference() {
        checkAgainstReference("add", Tensor::add, (x, y) -> x + y);
    }

    @Test
    @Tag("property")
    void subOfBroadcastCompatibleTensorsMatchesTheNaiveReference() {
        checkAgainstReference("sub", Tensor::sub, (x, y) -> x - y);
    }

    @Test
    @Tag("property")
    void mulOfBroadcastCompatibleTensorsMatchesTheNaiveReference() {
        checkAgainstReference("mul", Tensor::mul, (x, y) -> x * y);
    }

    @Test
    @Tag("property")
    void divOfBroadcastCompatibleTensorsMatchesTheNaiveReference() {
        checkAgainstReference("div", Tensor::div, (x, y) -> x / y);
    }

    @Test
    void columnPlusRowBroadcastsToAMatrix() {
        Tensor column = Tensor.of(Shape.of(3, 1), 10, 20, 30);
        Tensor row = Tensor.of(Shape.of(1, 4), 1, 2, 3, 4);
        Tensor sum = column.add(row);
        assertEquals(Shape.of(3, 4), sum.shape());
        assertArrayEquals(new double[] {11, 12, 13, 14, 21, 22, 23, 24, 31, 32, 33, 34}, sum.toArray());
        assertArrayEquals(new double[] {-9, -8, -7, -6, -19, -18, -17, -16, -29, -28, -27, -26},
                row.sub(column).toArray());
    }

    @Test
    void scalarOperandsBroadcastOnEitherSide() {
        Tensor m = Tensor.matrix(new double[] {1, 2}, new double[] {4, 8});
        Tensor two = Tensor.scalar(2);
        assertTensorEquals(Tensor.matrix(new double[] {0.5, 1}, new double[] {2, 4}), m.div(two));
        assertTensorEquals(Tensor.matrix(new double[] {2, 1}, new double[] {0.5, 0.25}), two.div(m));
        assertTensorEquals(Tensor.matrix(new double[] {-1, 0}, new double[] {2, 6}), m.sub(two));
        assertTensorEquals(Tensor.matrix(new double[] {1, 0}, new double[] {-2, -6}), two.sub(m));
        assertTensorEquals(Tensor.scalar(6), two.mul(Tensor.scalar(3)));
        assertEquals(Shape.scalar(), two.add(two).shape());
    }

    @Test
    void sizeOneOperandOfHigherRankRaisesTheResultRank() {
        Tensor v = Tensor.vector(1, 2, 3);
        Tensor one = Tensor.of(Shape.of(1, 1), 10);
        Tensor sum = v.add(one);
        assertEquals(Shape.of(1, 3), sum.shape());
        assertArrayEquals(new double[] {11, 12, 13}, sum.toArray());
        assertEquals(Shape.of(1, 3), one.sub(v).shape());
        assertArrayEquals(new double[] {9, 8, 7}, one.sub(v).toArray());
    }

    @Test
    void incompatibleOperandsThrowNamingTheOperationAndBothShapes() {
        Tensor a = Tensor.zeros(2, 3);
        Tensor b = Tensor.zeros(4, 3);
        IllegalArgumentException add = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(add.getMessage().contains("add: (2, 3) and (4, 3) do not broadcast"), add.getMessage());
        IllegalArgumentException sub = assertThrows(IllegalArgumentException.class, () -> a.sub(b));
        assertTrue(sub.getMessage().contains("sub: (2, 3) and (4, 3)"), sub.getMessage());
        IllegalArgumentException mul = assertThrows(IllegalArgumentException.class, () -> b.mul(a));
        assertTrue(mul.getMessage().contains("mul: (4, 3) and (2, 3)"), mul.getMessage());
        IllegalArgumentException div = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(3).div(Tensor.zeros(2)));
        assertTrue(div.getMessage().contains("div: (3) and (2)"), div.getMessage());
    }

    @Test
    void zipAppliesTheGivenFunctionAndNamesTheGivenOperation() {
        Tensor a = Tensor.vector(1, 5, 3);
        Tensor b = Tensor.vector(4, 2, 3);
        assertArrayEquals(new double[] {4, 5, 3}, a.zip("max", b, Math::max).toArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.zip("hypot", Tensor.zeros(2), Math::hypot));
        assertTrue(e.getMessage().startsWith("hypot: (3) and (2)"), e.getMessage());
    }

    @Test
    void unaryMapsApplyTheirFunctionToEveryElement() {
        Tensor x = Tensor.vector(-2, -0.5, 0, 1.5);
        assertArrayEquals(new double[] {1, 2.5, 3, 4.5}, x.add(3).toArray());
        assertArrayEquals(new double[] {-4, -1, 0, 3}, x.mul(2).toArray());
        assertArrayEquals(new double[] {2, 0.5, -0.0, -1.5}, x.neg().toArray());
        assertArrayEquals(new double[] {4, 0.25, 0, 2.25}, x.pow(2).toArray());
        assertArrayEquals(new double[] {-8, -0.125, 0, 3.375}, x.pow(3).toArray(), 1e-15);
        assertArrayEquals(new double[] {0, 0, 0, 1.5}, x.maximum(0).toArray());
        assertArrayEquals(new double[] {-2, -0.5, 0, 1}, x.minimum(1).toArray());
        for (int i = 0; i < 4; i++) {
            double v = x.getFlat(i);
            assertEquals(Math.exp(v), x.exp().getFlat(i));
            assertEquals(Math.tanh(v), x.tanh().getFlat(i));
        }
        Tensor positive = Tensor.vector(1, Math.E, 10);
        assertArrayEquals(new double[] {0, 1, Math.log(10)}, positive.log().toArray(), 1e-15);
        assertArrayEquals(new double[] {1, Math.sqrt(Math.E), Math.sqrt(10)}, positive.pow(0.5).toArray(), 1e-15);
        assertEquals(Shape.of(4), x.exp().shape());
        assertArrayEquals(new double[] {-2, -0.5, 0, 1.5}, x.toArray(), "maps must not change their operand");
    }

    @Test
    @Tag("property")
    void unaryMapsPreserveShapeAndActElementByElement() {
        qt().withExamples(EXAMPLES).forAll(TestSupport.shapes(0, 4), TestSupport.seeds()).checkAssert((shape, seed) -> {
            Tensor x = TestSupport.randomTensor(shape, seed, -3, 3);
            Tensor y = x.map(v -> v * v - 1);
            assertEquals(shape, y.shape());
            for (int i = 0; i < x.size(); i++) {
                double v = x.getFlat(i);
                assertEquals(v * v - 1, y.getFlat(i));
            }
            assertTensorClose(x.add(x), x.mul(2), 0, 0);
        });
    }

    @Test
    void addScaledGivesTheBitsOfSubtractingTheScaledTensor() {
        qt().withExamples(EXAMPLES).forAll(TestSupport.shapes(0, 4), TestSupport.seeds()).checkAssert((shape, seed) -> {
            Tensor w = TestSupport.randomTensor(shape, seed, -3, 3);
            Tensor g = TestSupport.randomTensor(shape, seed ^ 0x5DEECE66DL, -3, 3);
            assertTensorEquals(w.sub(g.mul(0.1)), w.addScaled(g, -0.1));
            assertTensorEquals(g.mul(0.9).add(w), w.addScaled(g, 0.9));
        });
    }

    @Test
    void addScaledRefusesTensorsOfDifferentShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(2, 3).addScaled(Tensor.zeros(3), 1.0));
        assertEquals("addScaled: (2, 3) and (3) differ: the shapes must be equal", e.getMessage());
    }
}
