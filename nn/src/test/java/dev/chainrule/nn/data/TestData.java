package dev.chainrule.nn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.util.Random;
import org.junit.jupiter.api.function.Executable;
import org.quicktheories.QuickTheory;

/** Helpers shared by the data tests; random values come from {@link java.util.Random}, not the code under test. */
final class TestData {
    private TestData() {}

    /** QuickTheories with a small number of examples, so that the suite stays fast. */
    static QuickTheory qt() {
        return QuickTheory.qt().withExamples(Integer.getInteger("chainrule.examples", 200));
    }

    /**
     * Rows that say who they are: row i's features are i·1000 + j for column j, and its label is i mod classes.
     * Wherever a row ends up (a subset, a split, a batch), its first feature gives its original index.
     */
    static Dataset numberedRows(int rows, int features, int classes) {
        double[] values = new double[rows * features];
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < features; j++) {
                values[i * features + j] = i * 1000.0 + j;
            }
            labels[i] = i % classes;
        }
        return new Dataset(Tensor.of(Shape.of(rows, features), values), labels, classes);
    }

    /** The original index of each row of a dataset built by {@link #numberedRows}, in order. */
    static int[] originalRows(Dataset data) {
        int[] rows = new int[data.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (int) (data.features().get(i, 0) / 1000);
        }
        return rows;
    }

    /** A (rows × features) matrix of standard normal values from {@code random}. */
    static Tensor normalMatrix(Random random, int rows, int features, double mean, double std) {
        double[] values = new double[rows * features];
        for (int i = 0; i < values.length; i++) {
            values[i] = mean + std * random.nextGaussian();
        }
        return Tensor.of(Shape.of(rows, features), values);
    }

    /** Asserts that {@code call} throws an IllegalArgumentException whose message is exactly {@code message}. */
    static void assertRefused(String message, Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}
