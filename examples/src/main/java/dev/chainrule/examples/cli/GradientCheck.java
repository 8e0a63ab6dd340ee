package dev.chainrule.examples.cli;

import dev.chainrule.examples.CheckNNGradients;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code chainrule gradcheck}: the course's gradient-checking exercise; fails if backpropagation disagrees. */
@Command(name = "gradcheck", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "The course's gradient check: a 3-5-3 sigmoid network with deterministic \"debug\" weights, "
            + "m = 5, regularized cross-entropy. Prints backpropagation's and the central differences' gradients side "
            + "by side and their relative difference, and fails (exit 1) unless it is below 1e-9.")
final class GradientCheck implements Callable<Integer> {
    static final double BOUND = 1e-9;

    @ParentCommand
    private Chainrule chainrule;

    @Option(names = "--lambda", split = ",", defaultValue = "0,3", paramLabel = "λ",
            description = "The regularization strengths to check at (default: ${DEFAULT-VALUE}).")
    private double[] lambdas;

    @Override
    public Integer call() {
        for (double lambda : lambdas) {
            UsageError.require(lambda >= 0 && Double.isFinite(lambda), "--lambda must be at least 0, got " + lambda);
        }
        int exitCode = 0;
        for (CheckNNGradients.Result result : CheckNNGradients.print(chainrule.out(), lambdas)) {
            if (!(result.relativeDifference() < BOUND)) {
                chainrule.err().printf("chainrule gradcheck: λ = %s: relative difference %.3e is not below %.0e%n",
                        result.lambda(), result.relativeDifference(), BOUND);
                exitCode = 1;
            }
        }
        return exitCode;
    }
}
