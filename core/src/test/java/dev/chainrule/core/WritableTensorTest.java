package dev.chainrule.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Writable elements start as a copy, and their writes show through their tensor alone. */
class WritableTensorTest {
    private static final Tensor SOURCE = Tensor.matrix(new double[] {1, 2, 3}, new double[] {4, 5, 6});

    @Test
    void writesShowThroughTheTensorAndNeverReachTheSource() {
        WritableTensor writable = WritableTensor.copyOf(SOURCE);
        Tensor tensor = writable.tensor();

        writable.write(elements -> elements[4] = -5);
        writable.write(elements -> elements[0] *= 10);

        assertSame(tensor, writable.tensor(), "the same tensor, written in place");
        assertEquals(Tensor.matrix(new double[] {10, 2, 3}, new double[] {4, -5, 6}), tensor);
        assertEquals(Tensor.matrix(new double[] {1, 2, 3}, new double[] {4, 5, 6}), SOURCE);
        assertFalse(tensor.sharesElementsWith(SOURCE));
        assertEquals(SOURCE.shape(), tensor.shape());
    }

    @Test
    void readLendsTheTensorsOwnElementsInRowMajorOrder() {
        WritableTensor writable = WritableTensor.copyOf(SOURCE);
        double[][] lent = new double[2][];

        writable.tensor().read(elements -> lent[0] = elements);
        writable.write(elements -> lent[1] = elements);

        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, lent[0]);
        assertSame(lent[0], lent[1], "no copy either way");
    }

    @Test
    void aReshapeSharesTheElementsAndAnOperationsResultDoesNot() {
        assertTrue(SOURCE.reshape(3, 2).sharesElementsWith(SOURCE));
        assertTrue(SOURCE.sharesElementsWith(SOURCE));
        assertFalse(SOURCE.add(0.0).sharesElementsWith(SOURCE));
        assertFalse(Tensor.of(SOURCE.shape(), SOURCE.toArray()).sharesElementsWith(SOURCE));
    }
}
