package dev.chainrule.nn.train;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar drawn by me.tongfei's progressbar, with the running loss: one bar per epoch for long epochs, or
 * one for the whole run when epochs take a moment each. {@link #forTerminal()} draws only when the program runs in
 * a terminal, so logs and CI output stay clean.
 */
public final class ProgressBarListener implements TrainingListener {
    private final PrintStream out;
    private final boolean wholeRun;
    private ProgressBar bar;
    private double lossSum;
    private long examples;

    private ProgressBarListener(PrintStream out, boolean wholeRun) {
        this.out = checkNotNull(out, "ProgressBarListener: out is null");
        this.wholeRun = wholeRun;
    }

    /**
     * @return a listener that draws a bar per epoch on standard error when there is a terminal, and does nothing
     *     otherwise
     */
    public static TrainingListener forTerminal() {
        return System.console() == null ? new TrainingListener() {} : new ProgressBarListener(System.err, false);
    }

    /**
     * @return a listener that draws one bar for the whole run, an epoch a step, on standard error when there is a
     *     terminal, and does nothing otherwise
     */
    public static TrainingListener wholeRunForTerminal() {
        return System.console() == null ? new TrainingListener() {} : new ProgressBarListener(System.err, true);
    }

    /**
     * @param out where to draw, whatever it is
     * @return a listener that always draws, a bar per epoch
     */
    public static ProgressBarListener drawingOn(PrintStream out) {
        return new ProgressBarListener(out, false);
    }

    /**
     * @param out where to draw, whatever it is
     * @return a listener that always draws, one bar for the whole run
     */
    public static ProgressBarListener wholeRunDrawingOn(PrintStream out) {
        return new ProgressBarListener(out, true);
    }

    @Override
    public void epochStarted(int epoch, int epochs, int batches) {
        lossSum = 0;
        examples = 0;
        if (!wholeRun) {
            bar = newBar("epoch " + epoch + "/" + epochs, batches);
        } else if (bar == null) {
            bar = newBar("training", epochs);
        }
    }

    private ProgressBar newBar(String task, int steps) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(steps).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(out)).setUpdateIntervalMillis(200).continuousUpdate()
                .build();
    }

    @Override
    public void batchFinished(int epoch, int batch, int count, double loss) {
        lossSum += loss * count;
        examples += count;
        if (!wholeRun) {
            bar.step();
        }
        bar.setExtraMessage(String.format("loss %.4f", lossSum / examples));
    }

    @Override
    public void epochFinished(EpochResult result, double seconds, double examplesPerSecond) {
        if (wholeRun) {
            bar.step();
        } else {
            bar.close();
        }
    }

    @Override
    public void trainingFinished(History history) {
        if (wholeRun && bar != null) {
            bar.close();
            bar = null;
        }
    }
}
