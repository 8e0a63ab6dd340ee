package dev.chainrule.core;

import static dev.chainrule.core.TestSupport.EXAMPLES;
import static dev.chainrule.core.TestSupport.assertTensorClose;
import static dev.chainrule.core.TestSupport.assertTensorEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Joining, slicing, padding and gathering, against naive element-by-element references. */
class SliceConcatGatherTest {

    /** A shape of rank 1 to 4, an axis of it (non-negative), and a seed for everything else. */
    record AxisCase(Shape shape, int axis, long seed) {}

    private static Gen<AxisCase> axisCases() {
        return TestSupport.dims(1, 4).flatMap(dims -> Generate.range(0, dims.length - 1)
                .zip(TestSupport.seeds(), (axis, seed) -> new AxisCase(Shape.of(dims), axis, seed)));
    }

    /** A copy of {@code dims} with {@code dims[axis]} replaced. */
    private static int[] with(int[] dims, int axis, int size) {
        int[] copy = dims.clone();
        copy[axis] = size;
        return copy;
    }

    // ---- concat and stack -----------------------------------------------------------------------------------

    @Test
    @Tag("property")
    void concatPutsEachPartsElementsAtItsOffsetAlongTheAxis() {
        qt().withExamples(EXAMPLES).forAll(axisCases()).checkAssert(c -> {
            Random random = new Random(c.seed());
            int[] dims = c.shape().dims();
            Tensor[] parts = new Tensor[1 + random.nextInt(3)];
            int[] start = new int[parts.length + 1];
            for (int p = 0; p < parts.length; p++) {
                parts[p] = TestSupport.randomTensor(Shape.of(with(dims, c.axis(), random.nextInt(4))), random.nextLong(), -5, 5);
                start[p + 1] = start[p] + parts[p].shape().dim(c.axis());
            }
            int[] outDims = with(dims, c.axis(), start[parts.length]);
            double[] expected = new double[TestSupport.product(outDims)];
            for (int flat = 0; flat < expected.length; flat++) {
                int[] index = TestSupport.unravel(flat, outDims);
                int p = 0;
                while (index[c.axis()] >= start[p + 1]) {
                    p++;
                }
                index[c.axis()] -= start[p];
                expected[flat] = parts[p].get(index);
            }
            int axis = random.nextBoolean() ? c.axis() : c.axis() - dims.length;
            assertTensorEquals(Tensor.of(Shape.of(outDims), expected), Tensor.concat(axis, parts));
        });
    }

    @Test
    @Tag("property")
    void stackPutsPartIAtPositionIOfTheNewAxis() {
        qt().withExamples(EXAMPLES).forAll(TestSupport.dims(0, 3), TestSupport.seeds()).checkAssert((dims, seed) -> {
            Random random = new Random(seed);
            Tensor[] parts = new Tensor[1 + random.nextInt(3)];
            for (int p = 0; p < parts.length; p++) {
                parts[p] = TestSupport.randomTensor(Shape.of(dims), random.nextLong(), -5, 5);
            }
            int axis = random.nextInt(dims.length + 1);
            Tensor stacked = Tensor.stack(random.nextBoolean() ? axis : axis - dims.length - 1, parts);
            int[] outDims = new int[dims.length + 1];
            for (int i = 0, j = 0; i < outDims.length; i++) {
                outDims[i] = i == axis ? parts.length : dims[j++];
            }
            assertEquals(Shape.of(outDims), stacked.shape());
            for (int flat = 0; flat < stacked.size(); flat++) {
                int[] index = TestSupport.unravel(flat, outDims);
                int[] within = new int[dims.length];
                for (int i = 0, j = 0; i < index.length; i++) {
                    if (i != axis) {
                        within[j++] = index[i];
                    }
                }
                assertEquals(parts[index[axis]].get(within), stacked.getFlat(flat), "at " + Arrays.toString(index));
            }
        });
    }

    @Test
    void concatAndStackRefuseMismatchedShapesNamingBoth() {
        String concat = assertThrows(IllegalArgumentException.class,
                () -> Tensor.concat(0, Tensor.zeros(2, 3), Tensor.zeros(1, 4))).getMessage();
        assertTrue(concat.contains("(2, 3)") && concat.contains("(1, 4)") && concat.contains("axis 0"), concat);
        String rank = assertThrows(IllegalArgumentException.class,
                () -> Tensor.concat(-1, Tensor.zeros(2, 3), Tensor.zeros(3))).getMessage();
        assertTrue(rank.contains("(2, 3)") && rank.contains("(3)"), rank);
        String stack = assertThrows(IllegalArgumentException.class,
                () -> Tensor.stack(0, Tensor.zeros(2), Tensor.zeros(3))).getMessage();
        assertTrue(stack.contains("(2)") && stack.contains("(3)"), stack);
        assertThrows(IllegalArgumentException.class, () -> Tensor.concat(0));
        assertThrows(IllegalArgumentException.class, () -> Tensor.concat(0, Tensor.scalar(1)));
        assertThrows(IllegalArgumentException.class, () -> Tensor.concat(2, Tensor.zeros(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> Tensor.stack(2, Tensor.zeros(2)));
        assertThrows(IllegalArgumentException.class, () -> Tensor.stack(-3, Tensor.zeros(2)));
    }

    @Test
    void stackOfScalarsIsAVectorAndEmptyPartsJoin() {
        assertTensorEquals(Tensor.vector(1, 2, 3), Tensor.stack(0, Tensor.scalar(1), Tensor.scalar(2), Tensor.scalar(3)));
        assertTensorEquals(Tensor.vector(4, 5), Tensor.concat(0, Tensor.zeros(0), Tensor.vector(4, 5), Tensor.zeros(0)));
        assertEquals(Shape.of(0, 5), Tensor.concat(1, Tensor.zeros(0, 2), Tensor.zeros(0, 3)).shape());
    }

    // ---- slice, pad, index ----------------------------------------------------------------------------------

    @Test
    @Tag("property")
    void sliceKeepsPositionsFromToAndPadPutsZerosAroundThem() {
        qt().withExamples(EXAMPLES).forAll(axisCases()).checkAssert(c -> {
            Random random = new Random(c.seed());
            Tensor x = TestSupport.randomTensor(c.shape(), random.nextLong(), -5, 5);
            int n = c.shape().dim(c.axis());
            int from = random.nextInt(n + 1), to = from + random.nextInt(n - from + 1);
            Tensor sliced = x.slice(c.axis() - (random.nextBoolean() ? 0 : x.rank()), from, to);
            int[] slicedDims = with(c.shape().dims(), c.axis(), to - from);
            assertEquals(Shape.of(slicedDims), sliced.shape());
            for (int flat = 0; flat < sliced.size(); flat++) {
                int[] index = TestSupport.unravel(flat, slicedDims);
                int[] source = index.clone();
                source[c.axis()] += from;
                assertEquals(x.get(source), sliced.getFlat(flat));
            }
            int before = random.nextInt(3), after = random.nextInt(3);
            Tensor padded = x.pad(c.axis(), before, after);
            int[] paddedDims = with(c.shape().dims(), c.axis(), before + n + after);
            assertEquals(Shape.of(paddedDims), padded.shape());
            for (int flat = 0; flat < padded.size(); flat++) {
                int[] index = TestSupport.unravel(flat, paddedDims);
                int position = index[c.axis()] - before;
                index[c.axis()] = position;
                double expected = position >= 0 && position < n ? x.get(index) : 0.0;
                assertEquals(expected, padded.getFlat(flat));
            }
            assertTensorEquals(x, padded.slice(c.axis(), before, before + n));
        });
    }

    /** ⟨slice(x), y⟩ = ⟨x, pad(y)⟩: Pad is Slice's adjoint, which is why each is the other's backward. */
    @Test
    @Tag("property")
    void padIsTheAdjointOfSlice() {
        qt().withExamples(EXAMPLES).forAll(axisCases()).checkAssert(c -> {
            Random random = new Random(c.seed());
            int n = c.shape().dim(c.axis());
            int from = random.nextInt(n + 1), to = from + random.nextInt(n - from + 1);
            Tensor x = TestSupport.dyadicTensor(c.shape(), random.nextLong());
            Tensor y = TestSupport.dyadicTensor(Shape.of(with(c.shape().dims(), c.axis(), to - from)), random.nextLong());
            assertEquals(TestSupport.dot(x.slice(c.axis(), from, to), y),
                    TestSupport.dot(x, y.pad(c.axis(), from, n - to)), 1e-12);
        });
    }

    @Test
    void indexTakesOnePositionAndDropsTheAxis() {
        Tensor m = Tensor.matrix(new double[] {1, 2, 3}, new double[] {4, 5, 6});
        assertTensorEquals(Tensor.vector(4, 5, 6), m.index(0, 1));
        assertTensorEquals(Tensor.vector(3, 6), m.index(-1, 2));
        assertTensorEquals(Tensor.scalar(7), Tensor.vector(7, 8).index(0, 0));
        String message = assertThrows(IllegalArgumentException.class, () -> m.index(1, 3)).getMessage();
        assertTrue(message.contains("3") && message.contains("(2, 3)"), message);
        assertThrows(IllegalArgumentException.class, () -> m.index(0, -1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1).index(0, 0));
    }

    @Test
    void sliceAndPadRefuseRangesAndCountsOutsideTheAxis() {
        Tensor x = Tensor.zeros(2, 3);
        for (int[] range : new int[][] {{-1, 2}, {2, 1}, {0, 4}, {4, 4}}) {
            String message = assertThrows(IllegalArgumentException.class, () -> x.slice(1, range[0], range[1])).getMessage();
            assertTrue(message.contains("[" + range[0] + ", " + range[1] + ")") && message.contains("(2, 3)"), message);
        }
        assertEquals(Shape.of(2, 0), x.slice(1, 3, 3).shape());
        assertThrows(IllegalArgumentException.class, () -> x.slice(2, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> x.pad(0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> x.pad(0, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1).pad(0, 1, 1));
    }

    // ---- gather and scatter-add -----------------------------------------------------------------------------

    @Test
    @Tag("property")
    void gatherRowsCopiesTheIndexedRowsAndScatterAddRowsSumsThemBack() {
        qt().withExamples(EXAMPLES).forAll(TestSupport.dims(1, 3), TestSupport.seeds()).checkAssert((dims, seed) -> {
            Random random = new Random(seed);
            Tensor table = TestSupport.dyadicTensor(Shape.of(dims), random.nextLong());
            int[] indices = random.ints(random.nextInt(6), 0, dims[0]).toArray();
            Tensor rows = table.gatherRows(indices);
            int[] outDims = with(dims, 0, indices.length);
            assertEquals(Shape.of(outDims), rows.shape());
            double[] summed = new double[table.size()];
            Tensor y = TestSupport.dyadicTensor(rows.shape(), random.nextLong());
            for (int flat = 0; flat < rows.size(); flat++) {
                int[] index = TestSupport.unravel(flat, outDims);
                int[] source = index.clone();
                source[0] = indices[index[0]];
                assertEquals(table.get(source), rows.getFlat(flat));
                summed[TestSupport.ravel(source, dims)] += y.getFlat(flat);
            }
            assertTensorClose(Tensor.of(table.shape(), summed), y.scatterAddRows(dims[0], indices), 1e-12, 0);
            assertEquals(TestSupport.dot(rows, y), TestSupport.dot(table, y.scatterAddRows(dims[0], indices)), 1e-12);
        });
    }

    @Test
    void repeatedIndicesAccumulate() {
        Tensor dy = Tensor.matrix(new double[] {1, 2}, new double[] {10, 20}, new double[] {100, 200});
        assertTensorEquals(Tensor.matrix(new double[] {0, 0}, new double[] {101, 202}, new double[] {10, 20}),
                dy.scatterAddRows(3, 1, 2, 1));
        assertTensorEquals(Tensor.vector(5, 5, 6), Tensor.vector(5, 6).gatherRows(0, 0, 1));
        assertEquals(Shape.of(0, 2), Tensor.zeros(3, 2).gatherRows().shape());
    }

    @Test
    void anIndexOutOfRangeIsRefusedNamingItItsPositionAndTheRowCount() {
        String gather = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(5, 3).gatherRows(0, 4, 7)).getMessage();
        assertEquals("gatherRows: index 7 at position 2 is out of range: x (5, 3) has 5 rows", gather);
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(5, 3).gatherRows(-1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1).gatherRows(0));
        String scatter = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(2, 3).scatterAddRows(4, 1, 4)).getMessage();
        assertTrue(scatter.contains("index 4 at position 1") && scatter.contains("4 rows"), scatter);
        String count = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(2, 3).scatterAddRows(4, 1)).getMessage();
        assertTrue(count.contains("(2, 3) has 2 rows but 1 index was given"), count);
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0, 3).scatterAddRows(-1));
    }
}
