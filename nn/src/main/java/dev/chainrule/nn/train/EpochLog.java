package dev.chainrule.nn.train;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.PrintStream;

/**
 * A line per epoch: {@code epoch 3/20  loss 0.3121  accuracy 0.8874  validation loss 0.3402  accuracy 0.8790
 * 21 334 examples/s  2.8 s}.
 */
public final class EpochLog implements TrainingListener {
    private final PrintStream out;
    private int epochs;

    /**
     * @param out where to print
     */
    public EpochLog(PrintStream out) {
        this.out = checkNotNull(out, "EpochLog: out is null");
    }

    @Override
    public void epochStarted(int epoch, int epochs, int batches) {
        this.epochs = epochs;
    }

    @Override
    public void epochFinished(EpochResult r, double seconds, double examplesPerSecond) {
        StringBuilder line = new StringBuilder(String.format("epoch %d/%d  loss %.4f  accuracy %.4f", r.epoch(), epochs,
                r.loss(), r.accuracy()));
        if (r.hasValidation()) {
            line.append(String.format("  validation loss %.4f  accuracy %.4f", r.validationLoss(),
                    r.validationAccuracy()));
        }
        out.println(line.append(String.format("  %,.0f examples/s  %.1f s", examplesPerSecond, seconds)));
    }
}
