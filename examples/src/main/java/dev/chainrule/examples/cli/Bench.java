package dev.chainrule.examples.cli;

import com.google.gson.GsonBuilder;
import dev.chainrule.core.Parallelism;
import dev.chainrule.examples.bench.TrainingBenchmark;
import dev.chainrule.examples.bench.TrainingBenchmark.Case;
import dev.chainrule.examples.bench.TrainingBenchmark.Report;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code chainrule bench}: times training steps and matrix products, as {@code bench/pytorch_bench.py} does. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Time whole training steps (forward, softmax cross-entropy, backward, SGD with η = 0.1, in "
            + "float64) and matrix products after a warm-up, and print one line per case: µs per step, and samples/s "
            + "or GFLOP/s. The cases, step counts and lines are those of bench/pytorch_bench.py; bench/vs-pytorch.sh "
            + "runs both and compares them.")
final class Bench implements Callable<Integer> {
    @ParentCommand
    private Chainrule chainrule;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for the matrix products (default: the system property "
                    + Parallelism.THREADS_PROPERTY + " if set, else the number of processors).")
    private Integer threads;

    @Option(names = "--case", paramLabel = "NAME",
            description = "Run only this case (repeatable; quote the name, as in --case 'mlp-784-256-128-10 b32'). "
                    + "Default: all, in order.")
    private List<String> names = new ArrayList<>();

    @Option(names = "--steps", paramLabel = "N",
            description = "Time N steps of every case (default: PyTorch's script's rule, about 2·10⁹ / flops "
                    + "steps for training, at least 20).")
    private Integer steps;

    @Option(names = "--json", description = "Print one JSON document instead of lines.")
    private boolean json;

    @Override
    public Integer call() {
        UsageError.require(threads == null || threads >= 1, "--threads must be at least 1, got " + threads);
        UsageError.require(steps == null || steps >= 1, "--steps must be at least 1, got " + steps);
        List<Case> cases = new ArrayList<>();
        for (String name : names) {
            cases.add(TrainingBenchmark.named(name).orElseThrow(() -> new UsageError(
                    "no case named '" + name + "'; the cases are " + TrainingBenchmark.quotedNames())));
        }
        int before = Parallelism.threads();
        try {
            if (threads != null) {
                Parallelism.setThreads(threads);
            }
            String setting = threads != null ? "--threads" : "default: " + Parallelism.THREADS_PROPERTY
                    + " or the processors";
            Report report = TrainingBenchmark.run(cases.isEmpty() ? TrainingBenchmark.cases() : cases, steps, setting,
                    json ? line -> { } : chainrule.out()::println);
            if (json) {
                chainrule.out().println(new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(report));
            }
        } finally {
            if (threads != null) {
                Parallelism.setThreads(before);   // in a test's JVM, the next command finds the count as it was
            }
        }
        return 0;
    }
}
