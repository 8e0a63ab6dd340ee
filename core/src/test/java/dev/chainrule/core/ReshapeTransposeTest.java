package dev.chainrule.core;

import static dev.chainrule.core.TestSupport.EXAMPLES;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class ReshapeTransposeTest {

    // ---- reshape ----------------------------------------------------------------------------------------------

    @Test
    void reshapeKeepsTheRowMajorOrderOfElements() {
        Tensor t = Tensor.of(Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
        Tensor r = t.reshape(3, 2);
        assertEquals(Shape.of(3, 2), r.shape());
        assertArrayEquals(t.toArray(), r.toArray());
        assertEquals(3.0, r.get(1, 0));
        assertEquals(Shape.of(6), t.reshape(Shape.of(6)).shape());
        assertEquals(Shape.of(1, 2, 1, 3), t.reshape(1, 2, 1, 3).shape());
        assertEquals(Shape.scalar(), Tensor.vector(7).reshape().shape());
        assertEquals(7.0, Tensor.vector(7).reshape().item());
    }

    @Test
    void reshapeToADifferentSizeThrowsNamingBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(2, 3).reshape(4, 2));
        assertTrue(e.getMessage().contains("reshape"), e.getMessage());
        assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("(4, 2)"), e.getMessage());
    }

    @Test
    void reshapeCountsElementsWithTheNounInTheRightNumber() {
        assertEquals("reshape: () has 1 element but (2) has 2",
                assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1).reshape(2)).getMessage());
        assertEquals("reshape: (2, 3) has 6 elements but (4, 2) has 8",
                assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).reshape(4, 2)).getMessage());
    }

    @Test
    @Tag("property")
    void reshapeRoundTripRestoresTheTensor() {
        qt().withExamples(EXAMPLES).forAll(TestSupport.dims(0, 4), TestSupport.seeds()).checkAssert((dims, seed) -> {
            Tensor x = TestSupport.dyadicTensor(Shape.of(dims), seed);
            Tensor flat = x.reshape(x.size());
            assertArrayEquals(x.toArray(), flat.toArray());
            assertTensorEquals(x, flat.reshape(x.shape()));
        });
    }

    // ---- transpose --------------------------------------------------------------------------------------------

    @Test
    void transposeOfAMatrixSwapsRowsAndColumns() {
        Tensor m = Tensor.matrix(new double[] {1, 2, 3}, new double[] {4, 5, 6});
        Tensor t = m.transpose();
        assertTensorEquals(Tensor.matrix(new double[] {1, 4}, new double[] {2, 5}, new double[] {3, 6}), t);
        assertTensorEquals(m, t.transpose());
        assertTensorEquals(t, m.transpose(1, 0));
        assertTensorEquals(m, m.transpose(0, 1));
    }

    @Test
    void transposeWithoutArgumentsReversesAllAxes() {
        Tensor x = TestSupport.dyadicTensor(Shape.of(2, 3, 4), 7);
        Tensor t = x.transpose();
        assertEquals(Shape.of(4, 3, 2), t.shape());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    assertEquals(x.get(i, j, k), t.get(k, j, i));
                }
            }
        }
        assertTensorEquals(Tensor.scalar(3), Tensor.scalar(3).transpose());
        assertTensorEquals(Tensor.vector(1, 2), Tensor.vector(1, 2).transpose());
    }

    @Test
    void transposeRejectsArgumentsThatAreNotAPermutationOfTheAxes() {
        Tensor x = Tensor.zeros(2, 3, 4);
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class, () -> x.transpose(0, 1));
        assertTrue(length.getMessage().contains("(2, 3, 4)"), length.getMessage());
        assertThrows(IllegalArgumentException.class, () -> x.transpose(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> x.transpose(0, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> x.transpose(0, 1, -1));
    }

    @Test
    @Tag("property")
    void transposeByAPermutationMovesEveryElementToItsPermutedIndexAndTheInverseUndoesIt() {
        qt().withExamples(EXAMPLES).forAll(TestSupport.dims(0, 4), TestSupport.seeds()).checkAssert((dims, seed) -> {
            Tensor x = TestSupport.dyadicTensor(Shape.of(dims), seed);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < dims.length; i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(seed));
            int[] perm = order.stream().mapToInt(Integer::intValue).toArray();
            int[] inverse = new int[perm.length];
            for (int i = 0; i < perm.length; i++) {
                inverse[perm[i]] = i;
            }

            Tensor t = x.transpose(perm);
            int[] expectedDims = new int[dims.length];
            for (int i = 0; i < dims.length; i++) {
                expectedDims[i] = dims[perm[i]];
            }
            assertEquals(Shape.of(expectedDims), t.shape(), () -> Arrays.toString(perm));
            for (int flat = 0; flat < t.size(); flat++) {
                int[] index = TestSupport.unravel(flat, expectedDims);
                int[] source = new int[dims.length];
                for (int i = 0; i < dims.length; i++) {
                    source[perm[i]] = index[i];
                }
                assertEquals(x.get(source), t.get(index),
                        () -> "perm " + Arrays.toString(perm) + " at " + Arrays.toString(index));
            }
            assertTensorEquals(x, t.transpose(inverse));
        });
    }
}
