package dev.chainrule.examples.cli;

import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Sequential;
import dev.chainrule.nn.train.Evaluation;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code chainrule predict}: one predicted class per example, or the probabilities of every class. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Predict with a model saved by 'chainrule train': one class per line, in the data's order. "
            + "A CSV file holds features only, unless --label-column names a column to leave out.")
final class Predict implements Callable<Integer> {
    @ParentCommand
    private Chainrule chainrule;

    @Mixin
    private SavedModelOptions input;

    @Option(names = "--proba", description = "Print each class's probability instead, comma-separated, to 6"
            + " decimals.")
    private boolean probabilities;

    @Override
    public Integer call() throws Exception {
        SavedModelOptions.Loaded model = input.load();
        Sequential net = model.net();
        Tensor features = model.features();
        PrintStream out = chainrule.out();
        if (probabilities) {
            Tensor p = Evaluation.probabilities(net, features);
            StringBuilder line = new StringBuilder();
            for (int row = 0; row < p.shape().dim(0); row++) {
                line.setLength(0);
                for (int c = 0; c < p.shape().dim(1); c++) {
                    line.append(c == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6f", p.get(row, c)));
                }
                out.println(line);
            }
        } else {
            for (int label : Evaluation.predict(net, features)) {
                out.println(label);
            }
        }
        return 0;
    }
}
