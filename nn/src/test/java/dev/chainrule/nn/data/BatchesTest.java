package dev.chainrule.nn.data;

import static dev.chainrule.nn.data.TestData.assertRefused;
import static dev.chainrule.nn.data.TestData.numberedRows;
import static dev.chainrule.nn.data.TestData.originalRows;
import static dev.chainrule.nn.data.TestData.qt;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchesTest {
    /** The original rows of an epoch's batches, in the order they come. */
    private static int[] order(List<Dataset> epoch) {
        return epoch.stream().flatMapToInt(batch -> IntStream.of(originalRows(batch))).toArray();
    }

    @Test
    void everyEpochVisitsEveryRowExactlyOnceInFullBatchesAndOneSmallerLastBatch() {
        qt().forAll(integers().between(0, 100), integers().between(1, 40), longs().all(), integers().between(0, 1000))
                .checkAssert((rows, batchSize, seed, epoch) -> {
                    List<Dataset> batches = new Batches(numberedRows(rows, 2, 3), batchSize, seed).epoch(epoch);
                    assertEquals((rows + batchSize - 1) / batchSize, batches.size(), "number of batches");
                    for (int i = 0; i < batches.size(); i++) {
                        int expected = i < batches.size() - 1 ? batchSize : rows - i * batchSize;
                        assertEquals(expected, batches.get(i).size(), "rows in batch " + i);
                        assertEquals(3, batches.get(i).classes(), "classes of batch " + i);
                    }
                    assertArrayEquals(IntStream.range(0, rows).toArray(), IntStream.of(order(batches)).sorted()
                            .toArray(), "every row exactly once");
                });
    }

    @Test
    void theLastBatchIsSmallerNotDropped() {
        List<Dataset> batches = new Batches(numberedRows(10, 1, 2), 4, 7).epoch(0);
        assertEquals(List.of(4, 4, 2), batches.stream().map(Dataset::size).toList());
    }

    @Test
    void theSameSeedAndEpochGiveTheSameBatchesWhateverRanBefore() {
        Dataset data = numberedRows(50, 2, 5);
        Batches batches = new Batches(data, 8, 42);
        for (int epoch = 0; epoch < 5; epoch++) {
            order(batches.epoch(epoch));
        }
        assertArrayEquals(order(new Batches(data, 8, 42).epoch(5)), order(batches.epoch(5)));
        assertEquals(batches.epoch(3), batches.epoch(3));
    }

    @Test
    void epochsAndSeedsReshuffle() {
        Dataset data = numberedRows(50, 1, 2);
        int[] first = order(new Batches(data, 8, 42).epoch(0));
        assertNotEquals(IntStream.range(0, 50).boxed().toList(), IntStream.of(first).boxed().toList(), "shuffled");
        for (int epoch = 1; epoch < 20; epoch++) {
            assertNotEquals(IntStream.of(first).boxed().toList(),
                    IntStream.of(order(new Batches(data, 8, 42).epoch(epoch))).boxed().toList(), "epoch " + epoch);
        }
        assertNotEquals(IntStream.of(first).boxed().toList(),
                IntStream.of(order(new Batches(data, 8, 43).epoch(0))).boxed().toList(), "seed 43");
    }

    @Test
    void refusesABatchSizeBelowOneAndANegativeEpoch() {
        Dataset data = numberedRows(3, 1, 2);
        assertRefused("Batches: batch size 0; expected at least 1", () -> new Batches(data, 0, 1));
        assertRefused("Batches.epoch: epoch -1; expected at least 0", () -> new Batches(data, 2, 1).epoch(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> new Batches(data, 2, 1).epoch(0).get(2));
        assertThrows(UnsupportedOperationException.class, () -> new Batches(data, 2, 1).epoch(0).remove(0));
    }

    @Test
    void aHugeBatchSizeGivesOneBatch() {
        assertEquals(1, new Batches(numberedRows(3, 1, 2), Integer.MAX_VALUE, 1).count());
        assertEquals("Batches(2 of 2 rows, seed 1)", new Batches(numberedRows(3, 1, 2), 2, 1).toString());
    }
}
