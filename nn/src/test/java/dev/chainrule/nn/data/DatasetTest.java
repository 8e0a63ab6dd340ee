package dev.chainrule.nn.data;

import static dev.chainrule.nn.data.TestData.assertRefused;
import static dev.chainrule.nn.data.TestData.numberedRows;
import static dev.chainrule.nn.data.TestData.originalRows;
import static dev.chainrule.nn.data.TestData.qt;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DatasetTest {
    private static final Tensor TWO_ROWS = Tensor.matrix(new double[] {1, 2}, new double[] {3, 4});

    @Test
    void classesAreTheLargestLabelPlusOneUnlessGiven() {
        assertEquals(3, new Dataset(TWO_ROWS, new int[] {2, 0}).classes());
        assertEquals(10, new Dataset(TWO_ROWS, new int[] {2, 0}, 10).classes());
        assertEquals(0, new Dataset(Tensor.zeros(0, 4), new int[0]).classes());
    }

    @Test
    void constructorRefusesAMismatchInPlainEnglish() {
        assertRefused("Dataset: features (2, 2) have 2 rows but there is 1 label; expected one label per row",
                () -> new Dataset(TWO_ROWS, new int[] {0}));
        assertRefused("Dataset: features (1, 2) have 1 row but there are 2 labels; expected one label per row",
                () -> new Dataset(Tensor.matrix(new double[] {1, 2}), new int[] {0, 1}));
        assertRefused("Dataset: features must be a matrix (rows × features), got shape (2)",
                () -> new Dataset(Tensor.vector(1, 2), new int[] {0, 1}));
    }

    @Test
    void constructorRefusesLabelsOutsideTheClasses() {
        assertRefused("Dataset: label 3 at row 1 is outside [0, 3), the 3 classes",
                () -> new Dataset(TWO_ROWS, new int[] {0, 3}, 3));
        assertRefused("Dataset: label -1 at row 0 is outside [0, 1), the 1 class",
                () -> new Dataset(TWO_ROWS, new int[] {-1, 0}));
    }

    @Test
    void labelsAreCopiedInAndOut() {
        int[] labels = {0, 1};
        Dataset data = new Dataset(TWO_ROWS, labels);
        labels[0] = 1;
        data.labels()[1] = 0;
        assertArrayEquals(new int[] {0, 1}, data.labels());
    }

    @Test
    void subsetTakesTheGivenRowsInTheGivenOrderKeepingTheClasses() {
        Dataset data = numberedRows(5, 3, 4);
        Dataset subset = data.subset(4, 0, 4);
        assertArrayEquals(new int[] {4, 0, 4}, originalRows(subset));
        assertArrayEquals(new int[] {0, 0, 0}, subset.labels());
        assertEquals(4, subset.classes());
        assertEquals(Tensor.matrix(new double[] {4000, 4001, 4002}, new double[] {0, 1, 2},
                new double[] {4000, 4001, 4002}), subset.features());
        assertRefused("Dataset.subset: row 5 at position 1 is outside [0, 5)", () -> data.subset(0, 5));
    }

    @Test
    void oneHotHasAOneInEachRowAtItsLabel() {
        Dataset data = new Dataset(Tensor.zeros(3, 1), new int[] {2, 0, 2}, 4);
        assertEquals(Tensor.matrix(new double[] {0, 0, 1, 0}, new double[] {1, 0, 0, 0}, new double[] {0, 0, 1, 0}),
                data.oneHot());
    }

    @Test
    void splitPartsAreDisjointCoverEveryRowAndKeepTheirOrder() {
        qt().forAll(integers().between(0, 200), doubles().between(0, 1), longs().all())
                .checkAssert((rows, fraction, seed) -> {
                    Dataset data = numberedRows(rows, 2, 3);
                    Dataset.Split split = data.split(fraction, seed);
                    int[] train = originalRows(split.train());
                    int[] validation = originalRows(split.validation());
                    assertEquals(Math.round(fraction * rows), train.length, "training rows");
                    int[] both = IntStream.concat(IntStream.of(train), IntStream.of(validation)).sorted().toArray();
                    assertArrayEquals(IntStream.range(0, rows).toArray(), both, "every row exactly once");
                    assertArrayEquals(IntStream.of(train).sorted().toArray(), train, "training rows in order");
                    assertArrayEquals(IntStream.of(validation).sorted().toArray(), validation,
                            "validation rows in order");
                    assertEquals(3, split.train().classes());
                    assertEquals(3, split.validation().classes());
                    assertArrayEquals(Arrays.stream(train).map(i -> i % 3).toArray(), split.train().labels(),
                            "labels travel with their rows");
                });
    }

    @Test
    void splitIsDeterminedByTheSeed() {
        Dataset data = numberedRows(100, 1, 2);
        assertEquals(data.split(0.7, 42), data.split(0.7, 42));
        assertNotEquals(data.split(0.7, 42).train(), data.split(0.7, 43).train());
    }

    @Test
    void splitRefusesAFractionOutsideZeroToOne() {
        Dataset data = numberedRows(4, 1, 2);
        assertRefused("Dataset.split: training fraction 1.5 is outside [0, 1]", () -> data.split(1.5, 0));
        assertRefused("Dataset.split: training fraction NaN is outside [0, 1]", () -> data.split(Double.NaN, 0));
    }

    @Test
    void toStringGivesTheSizesInEnglish() {
        assertEquals("Dataset(1 row × 2 features, 1 class)",
                new Dataset(Tensor.zeros(1, 2), new int[] {0}).toString());
        assertEquals("Dataset(0 rows × 1 feature, 3 classes)", new Dataset(Tensor.zeros(Shape.of(0, 1)), new int[0], 3)
                .toString());
    }
}
