package dev.chainrule.examples.cli;

import dev.chainrule.examples.StepByStep;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code chainrule explain}: the step-by-step 2-2-2 example, every factor from the engine's own trace. */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Build the 2-2-2 network of the \"step by step backpropagation\" example, run it forward and "
            + "backward, and print each weight's gradient as the chain rule's factors, as the engine's trace "
            + "recorded them; then the weights after one step of gradient descent, and the error after --steps.")
final class Explain implements Callable<Integer> {
    @ParentCommand
    private Chainrule chainrule;

    @Option(names = "--steps", defaultValue = "1", paramLabel = "N",
            description = "Steps of gradient descent to train before printing the error (default: ${DEFAULT-VALUE}).")
    private int steps;

    @Override
    public Integer call() {
        UsageError.require(steps >= 1, "--steps must be at least 1, got " + steps);
        StepByStep.explain(chainrule.out(), steps);
        return 0;
    }
}
