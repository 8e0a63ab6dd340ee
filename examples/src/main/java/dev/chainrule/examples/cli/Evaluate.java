package dev.chainrule.examples.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code chainrule evaluate}: scores a saved model on labelled data. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Score a model saved by 'chainrule train' on labelled data (for fashion-mnist: its test set):"
                + " accuracy and loss, and with --verbose the confusion matrix with precision, recall and F1 per"
                + " class.")
final class Evaluate implements Callable<Integer> {
    @ParentCommand
    private Chainrule chainrule;

    @Mixin
    private SavedModelOptions input;

    @Override
    public Integer call() throws Exception {
        SavedModelOptions.Loaded model = input.load();
        Scores.print(chainrule.out(), "accuracy", model.net(), model.examples(), chainrule.verbose());
        return 0;
    }
}
