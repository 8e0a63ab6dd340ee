package dev.chainrule.examples.cli;

import dev.chainrule.core.MatMulBackend;
import dev.chainrule.examples.TwoSpirals;
import dev.chainrule.nn.train.ProgressBarListener;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * The {@code chainrule} command line. Without a subcommand it runs the main job: a network learns two spirals
 * and draws what it learned. Exit codes: 0 done, 1 a failure (a missing or damaged file, bad data), 2 a usage
 * error (a wrong option).
 */
@Command(name = "chainrule", mixinStandardHelpOptions = true, versionProvider = Chainrule.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Automatic differentiation for neural networks, in plain Java.",
            "Without a subcommand: train a network on two interleaved spirals, print its accuracy, and draw its loss"
                    + " curve and decision regions (PNG) and its graph (DOT, and SVG with Graphviz) into --out."},
        subcommands = {Train.class, Evaluate.class, Predict.class, Explain.class, GradientCheck.class, Graph.class,
            Bench.class, CommandLine.HelpCommand.class})
public final class Chainrule implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;
    private boolean verbose;

    @Option(names = "--out", defaultValue = "chainrule-out", paramLabel = "FOLDER",
            description = "Where the pictures go (default: ${DEFAULT-VALUE}).")
    private Path folder;

    @Option(names = "--epochs", defaultValue = "100", paramLabel = "N",
            description = "Passes over the training points (default: "
            + "${DEFAULT-VALUE}).")
    private int epochs;

    /**
     * @param out where results go
     * @param err where progress, errors and usage go
     */
    public Chainrule(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /**
     * Runs a command line as the {@code chainrule} program would, without exiting.
     *
     * @param out standard output
     * @param err standard error
     * @param args the arguments
     * @return the exit code: 0, 1 for a failure, 2 for a usage error
     */
    public static int run(PrintStream out, PrintStream err, String... args) {
        Chainrule chainrule = new Chainrule(out, err);
        Failures failures = new Failures(err, () -> chainrule.verbose);
        try {
            return new CommandLine(chainrule)
                    .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                    .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
                    .setParameterExceptionHandler(failures)
                    .setExecutionExceptionHandler(failures)
                    .setExecutionStrategy(Chainrule::mainJobOptionsOnlyAlone)
                    .execute(args);
        } catch (OutOfMemoryError e) {
            err.println("chainrule: out of memory (" + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MB): give Java more with -Xmx, or the model or the data less");
            return CommandLine.ExitCode.SOFTWARE;
        }
    }

    /**
     * The main job's options before a subcommand would be silently ignored: say so instead, then run; with
     * {@code --verbose}, first say which code computes the matrix products.
     */
    private static int mainJobOptionsOnlyAlone(ParseResult parsed) {
        Chainrule chainrule = parsed.commandSpec().commandLine().getCommand();
        if (chainrule.verbose) {
            chainrule.err.println("chainrule: matrix products: " + MatMulBackend.describe());
        }
        if (parsed.hasSubcommand()) {
            for (String option : List.of("--out", "--epochs")) {
                if (parsed.hasMatchedOption(option)) {
                    throw new ParameterException(parsed.commandSpec().commandLine(), option + " belongs to the main"
                            + " job; give a subcommand's options after its name");
                }
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Say more: the full details of results, and the stack trace of a failure.")
    void setVerbose(boolean verbose) {
        this.verbose = verbose;
    }

    /** @return whether {@code --verbose} was given, to this command or a subcommand */
    boolean verbose() {
        return verbose;
    }

    /** @return standard output */
    PrintStream out() {
        return out;
    }

    /** @return standard error, for progress */
    PrintStream err() {
        return err;
    }

    @Override
    public Integer call() throws Exception {
        UsageError.require(epochs >= 1, "--epochs must be at least 1, got " + epochs);
        TwoSpirals.run(folder, epochs, ProgressBarListener.wholeRunForTerminal(), out);
        return 0;
    }

    /** The version the jar's manifest names. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Chainrule.class.getPackage().getImplementationVersion();
            return new String[] {"chainrule " + (version == null ? "(development build)" : version)};
        }
    }
}
