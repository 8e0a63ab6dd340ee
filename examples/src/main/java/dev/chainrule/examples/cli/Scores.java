package dev.chainrule.examples.cli;

import dev.chainrule.nn.Module;
import dev.chainrule.nn.data.Dataset;
import dev.chainrule.nn.train.Evaluation;
import dev.chainrule.nn.train.Loss;
import java.io.PrintStream;

/** How {@code train} and {@code evaluate} report a model's scores on a dataset. */
final class Scores {
    private static final int BATCH = 1000;

    private Scores() {}

    /**
     * Prints {@code test accuracy 0.9015  loss 0.2873  (10,000 examples)}, and the confusion matrix with precision,
     * recall and F1 per class when verbose.
     *
     * @param label what the figures are, such as {@code test accuracy}
     */
    static void print(PrintStream out, String label, Module model, Dataset data, boolean verbose) {
        Evaluation result = Evaluation.of(model, data, Loss.softmaxCrossEntropy(), BATCH);
        out.printf("%s %.4f  loss %.4f  (%,d examples)%n", label, result.accuracy(), result.loss(), data.size());
        if (verbose) {
            out.println(result.confusion());
        }
    }
}
