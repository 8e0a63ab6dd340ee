package dev.chainrule.nn.train;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar for each epoch, with the running loss, drawn by me.tongfei's progressbar. {@link #forTerminal()}
 * draws it only when the program runs in a terminal, so logs and CI output stay clean.
 */
public final class ProgressBarListener implements TrainingListener {
    private final PrintStream out;
    private ProgressBar bar;
    private double lossSum;
    private long examples;

    private ProgressBarListener(PrintStream out) {
        this.out = out;
    }

    /**
     * @return a listener that draws on standard error when there is a terminal, and does nothing otherwise
     */
    public static TrainingListener forTerminal() {
        return System.console() == null ? new TrainingListener() {} : new ProgressBarListener(System.err);
    }

    /**
     * @param out where to draw, whatever it is
     * @return a listener that always draws
     */
    public static ProgressBarListener drawingOn(PrintStream out) {
        return new ProgressBarListener(checkNotNull(out, "ProgressBarListener: out is null"));
    }

    @Override
    public void epochStarted(int epoch, int epochs, int batches) {
        lossSum = 0;
        examples = 0;
        bar = new ProgressBarBuilder().setTaskName("epoch " + epoch + "/" + epochs).setInitialMax(batches)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(out))
                .setUpdateIntervalMillis(200).continuousUpdate().build();
    }

    @Override
    public void batchFinished(int epoch, int batch, int count, double loss) {
        lossSum += loss * count;
        examples += count;
        bar.step();
        bar.setExtraMessage(String.format("loss %.4f", lossSum / examples));
    }

    @Override
    public void epochFinished(EpochResult result, double seconds, double examplesPerSecond) {
        bar.close();
    }
}
