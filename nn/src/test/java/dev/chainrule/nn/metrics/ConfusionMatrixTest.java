package dev.chainrule.nn.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.core.Tensor;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {
    // true:      0 0 0 1 1 2 2 2 2
    // predicted: 0 0 1 1 2 2 2 0 2
    private static final ConfusionMatrix M = ConfusionMatrix.of(new int[] {0, 0, 0, 1, 1, 2, 2, 2, 2},
            new int[] {0, 0, 1, 1, 2, 2, 2, 0, 2}, 3);

    @Test
    void countsAndMetricsMatchTheirDefinitionsByHand() {
        assertEquals(2, M.count(0, 0));
        assertEquals(1, M.count(0, 1));
        assertEquals(1, M.count(2, 0));
        assertEquals(6.0 / 9, M.accuracy(), 1e-15);
        assertEquals(2.0 / 3, M.precision(0), 1e-15); // predicted 0: examples 0, 1 (right) and 7 (a 2)
        assertEquals(2.0 / 3, M.recall(0), 1e-15);    // true 0: predicted 0, 0, 1
        assertEquals(0.5, M.precision(1), 1e-15);
        assertEquals(0.5, M.recall(1), 1e-15);
        assertEquals(3.0 / 4, M.precision(2), 1e-15);
        assertEquals(3.0 / 4, M.recall(2), 1e-15);
        assertEquals(2 * 0.75 * 0.75 / 1.5, M.f1(2), 1e-15);
    }

    @Test
    void aClassNeverPredictedHasNaNPrecisionAndZeroF1() {
        ConfusionMatrix m = ConfusionMatrix.of(new int[] {0, 1}, new int[] {0, 0}, 2);
        assertTrue(Double.isNaN(m.precision(1)));
        assertEquals(0.0, m.recall(1));
        assertEquals(0.0, m.f1(1));
    }

    @Test
    void predictionsAreTheFirstHighestScoreOfEachRow() {
        Tensor scores = Tensor.matrix(new double[] {0.1, 0.7, 0.2}, new double[] {2, 2, -1}, new double[] {-3, -2, -1});
        assertArrayEquals(new int[] {1, 0, 2}, ConfusionMatrix.predictions(scores));
    }

    @Test
    void theTableShowsCountsAndMetrics() {
        String table = M.toString();
        assertTrue(table.contains("accuracy 0.6667 over 9 examples"), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("\\s+2\\s+1\\s+0\\s+3\\s+0\\.7500\\s+0\\.7500\\s+0\\.7500")), table);
    }

    @Test
    void badInputIsRefusedNamingTheExample() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.of(new int[] {0, 3}, new int[] {0, 1}, 3));
        assertEquals("ConfusionMatrix: example 1 has true class 3 and prediction 1, outside [0, 3)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new int[] {0}, new int[] {0, 1}, 3));
    }
}
