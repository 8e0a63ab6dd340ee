package dev.chainrule.nn.train;

/**
 * Sees a training run as it goes: a progress bar, a line per epoch, a plot. Every method does nothing by default.
 */
public interface TrainingListener {
    /**
     * @param epoch the epoch about to run, from 1
     * @param epochs the number of epochs planned
     * @param batches the number of batches in it
     */
    default void epochStarted(int epoch, int epochs, int batches) {}

    /**
     * @param epoch the epoch, from 1
     * @param batch the batch just trained on, from 1
     * @param examples how many examples that batch held
     * @param loss its loss before the update
     */
    default void batchFinished(int epoch, int batch, int examples, double loss) {}

    /**
     * @param result the epoch's figures
     * @param seconds how long the epoch took, validation included
     * @param examplesPerSecond training examples per second
     */
    default void epochFinished(EpochResult result, double seconds, double examplesPerSecond) {}

    /**
     * @param history the whole run
     */
    default void trainingFinished(History history) {}
}
