package dev.chainrule.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

    /**
     * Aᵀ·B written over elements that hold NaN gives the bits of the product into a new array, on every path:
     * the small loop, the Java kernels on one and two threads, OpenBLAS by rows and by depths (few columns).
     */
    @Test
    void aProductWrittenOverOldElementsHasTheBitsOfANewOne() {
        int[][] shapes = {{3, 4, 2}, {70, 90, 50}, {130, 300, 128}, {257, 400, 25}};
        List<MatMulBackend> backends = new ArrayList<>(List.of(MatMulBackend.JAVA));
        if (MatMulBackend.nativeAvailable()) {
            backends.add(MatMulBackend.NATIVE);
        }
        MatMulBackend before = MatMulBackend.current();
        int threadsBefore = Parallelism.threads();
        try {
            for (MatMulBackend backend : backends) {
                for (int threads : new int[] {1, 2}) {
                    MatMulBackend.use(backend);
                    Parallelism.setThreads(threads);
                    for (int[] s : shapes) {
                        int m = s[0], k = s[1], n = s[2];
                        Tensor a = Tensor.of(Shape.of(k, m), MatMulKernelsTest.uniform(k * m, m));
                        Tensor b = Tensor.of(Shape.of(k, n), MatMulKernelsTest.uniform(k * n, n));
                        WritableTensor into = WritableTensor.zeros(Shape.of(m, n));
                        into.write(elements -> Arrays.fill(elements, Double.NaN));

                        Tensor written = a.matmulTransA(b, into);

                        assertSame(into.tensor(), written);
                        assertEquals(a.matmulTransA(b), written, backend + ", " + threads + " threads, "
                                + Arrays.toString(s));
                    }
                }
            }
        } finally {
            MatMulBackend.use(before);
            Parallelism.setThreads(threadsBefore);
        }
    }

    @Test
    void aProductIsNotWrittenOverOneOfItsOperands() {
        WritableTensor square = WritableTensor.copyOf(Tensor.matrix(new double[] {1, 2}, new double[] {3, 4}));
        Tensor operand = square.tensor();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> operand.matmulTransA(Tensor.ones(2, 2), square));
        assertEquals("matmulTransA: the elements to write hold an operand, which the product would overwrite as it "
                + "reads it", e.getMessage());
        assertEquals(Tensor.matrix(new double[] {1, 2}, new double[] {3, 4}), operand);
    }

    @Test
    void aProductIsNotWrittenOverElementsOfAnotherShape() {
        WritableTensor into = WritableTensor.zeros(Shape.of(2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SOURCE.matmulTransA(SOURCE, into));
        assertEquals("matmulTransA: (2, 3)ᵀ · (2, 3) is (3, 3), but the elements to write are (2, 2)", e.getMessage());
    }
}
