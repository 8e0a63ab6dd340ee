package dev.chainrule.core;

import static dev.chainrule.core.TestSupport.EXAMPLES;
import static dev.chainrule.core.TestSupport.assertTensorClose;
import static dev.chainrule.core.TestSupport.assertTensorEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class ReductionTest {

    /** A shape, the axes to reduce (empty: all), whether to keep them, and a seed for the values. */
    record ReduceCase(Shape shape, int[] axes, boolean keepDims, long seed) {
        @Override
        public String toString() {
            return "ReduceCase[shape=" + shape + ", axes=" + Arrays.toString(axes) + ", keepDims=" + keepDims
                    + ", seed=" + seed + "]";
        }
    }

    /**
     * Each axis is left alone, reduced and named by its positive number, or reduced and named by its negative
     * alias; the axes are then listed in a shuffled order.
     */
    private static Gen<ReduceCase> reduceCases() {
        Gen<int[]> choices = Generate.intArrays(Generate.constant(4), Generate.range(0, 2));
        return TestSupport.dims(0, 4).zip(choices, Generate.booleans(), TestSupport.seeds(), (dims, choice, keep, seed) -> {
            List<Integer> axes = new ArrayList<>();
            for (int i = 0; i < dims.length; i++) {
                if (choice[i] == 1) {
                    axes.add(i);
                } else if (choice[i] == 2) {
                    axes.add(i - dims.length);
                }
            }
            Collections.shuffle(axes, new Random(seed));
            return new ReduceCase(Shape.of(dims), axes.stream().mapToInt(Integer::intValue).toArray(), keep, seed);
        });
    }

    private static boolean[] reducedAxes(int rank, int[] axes) {
        boolean[] reduced = new boolean[rank];
        if (axes.length == 0) {
            Arrays.fill(reduced, true);
        }
        for (int a : axes) {
            reduced[a < 0 ? a + rank : a] = true;
        }
        return reduced;
    }

    /** The reduced shape, written out independently of Shape.reduce. */
    private static Shape reducedShape(Shape shape, boolean[] reduced, boolean keepDims) {
        int[] dims = shape.dims();
        int[] out = new int[dims.length];
        int n = 0;
        for (int i = 0; i < dims.length; i++) {
            if (!reduced[i]) {
                out[n++] = dims[i];
            } else if (keepDims) {
                out[n++] = 1;
            }
        }
        return Shape.of(Arrays.copyOf(out, n));
    }

    /** Folds each input element into its output element, visiting the input in row-major order. */
    private static Tensor naiveFold(Tensor x, int[] axes, boolean keepDims, double initial, DoubleBinaryOperator f) {
        boolean[] reduced = reducedAxes(x.rank(), axes);
        Shape kept = reducedShape(x.shape(), reduced, true);
        int[] keptDims = kept.dims();
        double[] out = new double[kept.size()];
        Arrays.fill(out, initial);
        for (int flat = 0; flat < x.size(); flat++) {
            int[] index = TestSupport.unravel(flat, x.shape());
            for (int i = 0; i < index.length; i++) {
                if (reduced[i]) {
                    index[i] = 0;
                }
            }
            int o = TestSupport.ravel(index, keptDims);
            out[o] = f.applyAsDouble(out[o], x.getFlat(flat));
        }
        return Tensor.of(reducedShape(x.shape(), reduced, keepDims), out);
    }

    private static int reducedCount(Shape shape, int[] axes) {
        boolean[] reduced = reducedAxes(shape.rank(), axes);
        int count = 1;
        for (int i = 0; i < reduced.length; i++) {
            count *= reduced[i] ? shape.dim(i) : 1;
        }
        return count;
    }

    @Test
    @Tag("property")
    void sumOverAxesMatchesTheNaiveReference() {
        qt().withExamples(EXAMPLES).forAll(reduceCases()).checkAssert(c -> {
            Tensor x = TestSupport.randomTensor(c.shape(), c.seed(), -10, 10);
            Tensor expected = naiveFold(x, c.axes(), c.keepDims(), 0.0, Double::sum);
            assertTensorClose(expected, x.sum(c.keepDims(), c.axes()), 1e-12, 1e-12);
        });
    }

    @Test
    @Tag("property")
    void meanOverAxesIsTheSumDividedByTheReducedCount() {
        qt().withExamples(EXAMPLES).forAll(reduceCases()).checkAssert(c -> {
            Tensor x = TestSupport.randomTensor(c.shape(), c.seed(), -10, 10);
            int count = reducedCount(c.shape(), c.axes());
            Tensor expected = naiveFold(x, c.axes(), c.keepDims(), 0.0, Double::sum).map(s -> s / count);
            assertTensorClose(expected, x.mean(c.keepDims(), c.axes()), 1e-12, 1e-12);
        });
    }

    @Test
    @Tag("property")
    void maxOverAxesMatchesTheNaiveReference() {
        qt().withExamples(EXAMPLES).forAll(reduceCases()).checkAssert(c -> {
            Tensor x = TestSupport.randomTensor(c.shape(), c.seed(), -10, -1);
            Tensor expected = naiveFold(x, c.axes(), c.keepDims(), Double.NEGATIVE_INFINITY, Math::max);
            assertTensorEquals(expected, x.max(c.keepDims(), c.axes()));
        });
    }

    @Test
    void sumMeanAndMaxOfAMatrixAlongEachAxis() {
        Tensor m = Tensor.matrix(new double[] {1, 5, 3}, new double[] {4, 2, 6});
        assertTensorEquals(Tensor.vector(5, 7, 9), m.sum(false, 0));
        assertTensorEquals(Tensor.of(Shape.of(2, 1), 9, 12), m.sum(true, 1));
        assertTensorEquals(Tensor.vector(9, 12), m.sum(false, -1));
        assertTensorEquals(Tensor.vector(2.5, 3.5, 4.5), m.mean(false, 0));
        assertTensorEquals(Tensor.of(Shape.of(2, 1), 3, 4), m.mean(true, 1));
        assertTensorEquals(Tensor.vector(4, 5, 6), m.max(false, 0));
        assertTensorEquals(Tensor.of(Shape.of(2, 1), 5, 6), m.max(true, -1));
        assertTensorEquals(Tensor.of(Shape.of(1, 1), 21), m.sum(true, 0, 1));
    }

    @Test
    void reductionsOverAllAxesGiveAScalar() {
        Tensor t = Tensor.of(Shape.of(2, 1, 3), 1, -2, 3, 4, 5, -6);
        assertEquals(Shape.scalar(), t.sum().shape());
        assertEquals(5.0, t.sum().item());
        assertEquals(Shape.scalar(), t.sum(false).shape());
        assertEquals(Shape.scalar(), t.sum(false, 0, 1, 2).shape());
        assertEquals(Shape.scalar(), t.mean(false).shape());
        assertEquals(5.0 / 6, t.mean(false).item(), 1e-15);
        assertEquals(Shape.scalar(), t.max(false).shape());
        assertEquals(5.0, t.max(false).item());
        assertEquals(Shape.of(1, 1, 1), t.sum(true).shape());
        assertEquals(Shape.of(1, 1, 1), t.max(true, 2, 0, 1).shape());
        Tensor s = Tensor.scalar(3);
        assertTensorEquals(s, s.sum());
        assertTensorEquals(s, s.mean(false));
        assertTensorEquals(s, s.max(true));
    }

    @Test
    void maxOfAllNegativeValuesIsNotZero() {
        Tensor t = Tensor.vector(-3, -1, -2);
        assertEquals(-1.0, t.max(false).item());
    }

    @Test
    void reductionsRejectRepeatedAndOutOfRangeAxes() {
        Tensor t = Tensor.zeros(2, 3);
        assertThrows(IllegalArgumentException.class, () -> t.sum(false, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> t.sum(false, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> t.mean(false, 2));
        assertThrows(IllegalArgumentException.class, () -> t.max(false, -3));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(0).max(false));
        assertTrue(empty.getMessage().contains("(0)"), empty.getMessage());
    }

    // ---- argmax -----------------------------------------------------------------------------------------------

    @Test
    void argmaxPicksTheFirstOfTiedMaxima() {
        assertEquals(1.0, Tensor.vector(0, 3, 1, 3, 3).argmax(0).item());
        assertEquals(0.0, Tensor.vector(2, 2, 2).argmax(0).item());
        assertEquals(Shape.scalar(), Tensor.vector(1, 2).argmax(0).shape());
        Tensor m = Tensor.matrix(new double[] {1, 7, 7}, new double[] {7, 7, 1});
        assertTensorEquals(Tensor.vector(1, 0), m.argmax(1));
        assertTensorEquals(Tensor.vector(1, 0), m.argmax(-1));
        assertTensorEquals(Tensor.vector(1, 0, 0), m.argmax(0));
    }

    @Test
    void argmaxRejectsAnAxisOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).argmax(2));
        assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1).argmax(0));
    }

    @Test
    @Tag("property")
    void argmaxAlongAnyAxisMatchesTheNaiveFirstMaximum() {
        qt().withExamples(EXAMPLES)
                .forAll(TestSupport.dims(1, 4), Generate.range(-4, 3), TestSupport.seeds())
                .checkAssert((dims, axisChoice, seed) -> {
                    Shape shape = Shape.of(dims);
                    int axis = Math.floorMod(axisChoice, dims.length);
                    int asGiven = axisChoice < 0 ? axis - dims.length : axis;
                    // Few distinct values, so that ties are common.
                    Random random = new Random(seed);
                    double[] values = new double[shape.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = random.nextInt(3);
                    }
                    Tensor x = Tensor.of(shape, values);
                    Tensor arg = x.argmax(asGiven);

                    int[] outDims = new int[dims.length - 1];
                    for (int i = 0, j = 0; i < dims.length; i++) {
                        if (i != axis) {
                            outDims[j++] = dims[i];
                        }
                    }
                    assertEquals(Shape.of(outDims), arg.shape());
                    for (int o = 0; o < arg.size(); o++) {
                        int[] outIndex = TestSupport.unravel(o, outDims);
                        int[] index = new int[dims.length];
                        for (int i = 0, j = 0; i < dims.length; i++) {
                            index[i] = i == axis ? 0 : outIndex[j++];
                        }
                        int best = 0;
                        double bestValue = x.get(index);
                        for (int k = 1; k < dims[axis]; k++) {
                            index[axis] = k;
                            if (x.get(index) > bestValue) {
                                best = k;
                                bestValue = x.get(index);
                            }
                        }
                        assertEquals(best, arg.getFlat(o), () -> "at " + Arrays.toString(outIndex) + " of " + x);
                    }
                });
    }

    @Test
    void reductionsDoNotChangeTheirOperand() {
        Tensor t = Tensor.matrix(new double[] {1, 2}, new double[] {3, 4});
        t.sum(true, 0);
        t.mean(false, 1);
        t.max(false);
        t.argmax(0);
        assertArrayEquals(new double[] {1, 2, 3, 4}, t.toArray());
    }

    /**
     * sum over axis 0 of a matrix has a path of its own (bias gradients): the same bits as the general fold, and
     * as adding the rows one after the other from zero (row counts around the kernel's runs of four rows).
     */
    @Test
    void columnSumsOfAMatrixAddTheRowsInOrder() {
        int[][] shapes = {{0, 3}, {3, 0}, {1, 1}, {1, 7}, {7, 1}, {5, 4}, {4, 3}, {8, 2}, {9, 5}, {64, 33}, {67, 10}};
        for (int[] d : shapes) {
            Tensor m = TestSupport.randomTensor(Shape.of(d), 17, -3, 3);
            double[] rowByRow = new double[d[1]];
            for (int i = 0; i < d[0]; i++) {
                for (int j = 0; j < d[1]; j++) {
                    rowByRow[j] += m.get(i, j);
                }
            }
            assertTensorEquals(Tensor.vector(rowByRow), m.sum(false, 0));
            assertTensorEquals(Tensor.vector(rowByRow), m.sum(false, -2));
            assertTensorEquals(Tensor.vector(rowByRow), m.sum(true, 0).reshape(d[1])); // keepDims: the general fold
        }
    }
}
