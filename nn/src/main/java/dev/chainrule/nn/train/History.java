package dev.chainrule.nn.train;

import java.util.List;

/**
 * What a training run reached, epoch by epoch. Two runs with the same seed and data have equal histories, bit for
 * bit.
 *
 * @param epochs one result per epoch run, in order
 * @param stoppedEarly whether early stopping ended the run before its last epoch
 */
public record History(List<EpochResult> epochs, boolean stoppedEarly) {
    /**
     * @param epochs one result per epoch run, in order (copied)
     * @param stoppedEarly whether early stopping ended the run
     */
    public History {
        epochs = List.copyOf(epochs);
    }

    /**
     * @return the last epoch's result
     * @throws java.util.NoSuchElementException if no epoch ran
     */
    public EpochResult last() {
        return epochs.get(epochs.size() - 1);
    }

    /**
     * @return the training loss of every epoch, in order
     */
    public double[] losses() {
        return epochs.stream().mapToDouble(EpochResult::loss).toArray();
    }
}
