package dev.chainrule.nn.data;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Shuffled mini-batches of a dataset, epoch by epoch. Each epoch visits every row exactly once, in an order
 * drawn from the seed and the epoch number alone: the same seed gives the same batches, and epoch 7 is the same
 * whether or not epochs 0 to 6 ran (a resumed run sees the data in the same order as an uninterrupted one).
 *
 * <pre>{@code
 * Batches batches = new Batches(train, 32, 42);
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     for (Dataset batch : batches.epoch(epoch)) {
 *         // batch.features() is (≤ 32 × features), batch.oneHot() is (≤ 32 × classes)
 *     }
 * }
 * }</pre>
 *
 * <p>When the batch size does not divide the number of rows, the last batch of an epoch is smaller: it is kept,
 * not dropped, so that every row counts in every epoch. Immutable; it shares the dataset, which is immutable
 * too. The seed is a number rather than a generator so that any epoch can be drawn again on its own.
 */
public final class Batches {
    private final Dataset data;
    private final int batchSize;
    private final long seed;

    /**
     * Batches of {@code batchSize} rows of {@code data}, shuffled by {@code seed}.
     *
     * @param data the rows to batch; shared
     * @param batchSize the rows per batch, at least 1; the last batch of an epoch may have fewer
     * @param seed any value; the same seed gives the same batches in every epoch
     * @throws IllegalArgumentException if the batch size is below 1
     */
    public Batches(Dataset data, int batchSize, long seed) {
        checkArgument(batchSize >= 1, "Batches: batch size %s; expected at least 1", batchSize);
        this.data = data;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /**
     * The rows per batch (the last batch of an epoch may have fewer).
     *
     * @return the batch size given
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * The number of batches in each epoch: ⌈rows / batch size⌉.
     *
     * @return the count, 0 for an empty dataset
     */
    public int count() {
        return data.size() / batchSize + (data.size() % batchSize == 0 ? 0 : 1);
    }

    /**
     * The batches of one epoch, in order: together they hold every row of the dataset exactly once, each batch
     * of {@link #batchSize()} rows but the last, which holds the rest.
     *
     * @param epoch the epoch number, at least 0; the order depends only on it and the seed
     * @return an unmodifiable list of {@link #count()} batches; each {@code get} builds a new {@link Dataset}
     *     with the classes of the whole dataset, so iterating does not hold the epoch in memory
     * @throws IllegalArgumentException if the epoch is negative
     */
    public List<Dataset> epoch(int epoch) {
        checkArgument(epoch >= 0, "Batches.epoch: epoch %s; expected at least 0", epoch);
        int[] order = Shuffle.permutation(data.size(), Shuffle.forEpoch(seed, epoch));
        return new AbstractList<>() {
            @Override
            public Dataset get(int index) {
                Objects.checkIndex(index, count());
                int from = index * batchSize;
                return data.subset(Arrays.copyOfRange(order, from, Math.min(from + batchSize, order.length)));
            }

            @Override
            public int size() {
                return count();
            }
        };
    }

    /** The sizes and the seed, e.g. {@code Batches(1875 of 32 rows, seed 42)}. */
    @Override
    public String toString() {
        return "Batches(" + count() + " of " + Messages.count(batchSize, "row") + ", seed " + seed + ")";
    }
}
