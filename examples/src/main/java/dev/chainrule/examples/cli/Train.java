package dev.chainrule.examples.cli;

import dev.chainrule.core.Randoms;
import dev.chainrule.examples.plot.Plots;
import dev.chainrule.nn.Init;
import dev.chainrule.nn.MlpSpec;
import dev.chainrule.nn.Module;
import dev.chainrule.nn.Sequential;
import dev.chainrule.nn.data.Dataset;
import dev.chainrule.nn.data.Standardizer;
import dev.chainrule.nn.io.AtomicFiles;
import dev.chainrule.nn.io.Models;
import dev.chainrule.nn.optim.Adam;
import dev.chainrule.nn.optim.ConjugateGradient;
import dev.chainrule.nn.optim.LearningRate;
import dev.chainrule.nn.optim.Optimizer;
import dev.chainrule.nn.optim.Sgd;
import dev.chainrule.nn.train.EpochLog;
import dev.chainrule.nn.train.EpochResult;
import dev.chainrule.nn.train.History;
import dev.chainrule.nn.train.Loss;
import dev.chainrule.nn.train.ProgressBarListener;
import dev.chainrule.nn.train.Trainer;
import dev.chainrule.autodiff.Variable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code chainrule train}: trains a multilayer perceptron on a dataset, scores it, draws its loss, saves it. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Train a multilayer perceptron (standardized inputs, softmax cross-entropy) on --data (for "
            + "fashion-mnist: its training set), print the test accuracy, draw the loss per epoch into --out, and save "
            + "the model with --save.")
final class Train implements Callable<Integer> {
    @ParentCommand
    private Chainrule chainrule;

    @Spec
    private CommandSpec spec;

    /** More classes than this is a mistake in the labels (a stray large number), not a classification problem. */
    private static final int MAX_CLASSES = 10_000;

    @Mixin
    private DataOptions data;

    @Option(names = "--test-data", paramLabel = "SOURCE", description = "A separate test set, in any --data format.")
    private String testData;

    @Option(names = "--test-split", paramLabel = "F",
            description = "Hold out this fraction of --data as the test set (seeded), for data without one.")
    private Double testSplit;

    @Option(names = "--validation", paramLabel = "F",
            description = "Hold out this fraction of the training examples to score after each epoch.")
    private Double validation;

    @Option(names = "--layers", defaultValue = "256,128", split = ",", paramLabel = "WIDTH",
            description = "Hidden layer widths (default: ${DEFAULT-VALUE}).")
    private int[] layers;

    @Option(names = "--activation", defaultValue = "relu", paramLabel = "NAME",
            description = "sigmoid, tanh or relu (default: ${DEFAULT-VALUE}).")
    private String activation;

    @Option(names = "--init", defaultValue = "epsilon", paramLabel = "NAME",
            description = "How weights start: epsilon (uniform in ±√6/√(in + out), the course's), he, or xavier"
                    + " (default: ${DEFAULT-VALUE}).")
    private String init;

    @Option(names = "--dropout", defaultValue = "0", paramLabel = "P[/Q]",
            description = "Dropout of hidden units, or of inputs/hidden units (default: ${DEFAULT-VALUE}).")
    private String dropout;

    @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "NAME",
            description = "sgd, momentum, adam, or cg (full-batch conjugate gradient; --epochs is then its iterations)"
                    + " (default: ${DEFAULT-VALUE}).")
    private String optimizer;

    @Option(names = "--epochs", defaultValue = "10", paramLabel = "N",
            description = "Passes over the data (default: ${DEFAULT-VALUE}).")
    private int epochs;

    @Option(names = "--batch", defaultValue = "128", paramLabel = "N",
            description = "Examples per step (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "Learning rate (default: 0.1 for sgd, 0.05 for momentum, 0.001 for adam).")
    private Double learningRate;

    @Option(names = "--lambda", defaultValue = "0", paramLabel = "λ",
            description = "L2 regularization λ/(2m) ΣΘ² over the weights, biases excluded"
                    + " (default: ${DEFAULT-VALUE}).")
    private double lambda;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "Seeds the weights, the batches, the splits and"
            + " dropout: the same seed gives the same run (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--save", paramLabel = "FILE", description = "Save the trained model here, atomically: an"
            + " interrupted run leaves the previous file whole.")
    private Path save;

    @Option(names = "--out", defaultValue = "chainrule-out", paramLabel = "FOLDER",
            description = "Where the loss curve (loss.png) goes (default: ${DEFAULT-VALUE}).")
    private Path folder;

    @Override
    public Integer call() throws IOException {
        checkOptions();
        DataSource source = data.source();
        DataSource testSource = testData == null ? null : data.source("--test-data", testData);
        Dataset examples = source.examples();
        Dataset test = testSource == null ? source.testSet().orElse(null) : testSource.scored();
        if (testSplit != null) {
            Dataset.Split split = split(examples, testSplit, seed, "--test-split");
            examples = split.train();
            test = split.validation();
        }
        Dataset train = examples;
        Dataset held = null;
        if (validation != null) {
            Dataset.Split split = split(examples, validation, seed + 1, "--validation");
            train = split.train();
            held = split.validation();
        }
        int classes = classes(source, train, testSource, test);
        MlpSpec mlp = mlpSpec(train.featureCount(), classes);
        Sequential net = mlp.build(initializer(), Randoms.seeded(seed), Standardizer.fit(train).asModule());
        Files.createDirectories(folder);
        chainrule.out().printf("training %s on %,d examples%n", mlp, train.size());

        Loss loss = Loss.softmaxCrossEntropy().plusL2(lambda, train.size(), net.parameters());
        double[] trainingLoss;
        double[] validationLoss = null;
        if (optimizer.equals("cg")) {
            trainingLoss = minimizeByConjugateGradient(net, train, loss);
        } else {
            Trainer trainer = Trainer.of(net, optimizer(net, train), loss).epochs(epochs).batchSize(batch).seed(seed)
                    .listener(ProgressBarListener.forTerminal()).listener(new EpochLog(chainrule.out()));
            if (held != null) {
                trainer.validation(held);
            }
            History history = trainer.fit(train);
            trainingLoss = history.losses();
            validationLoss = held == null ? null
                    : history.epochs().stream().mapToDouble(EpochResult::validationLoss).toArray();
        }
        Path picture = folder.resolve("loss.png");
        Plots.savePng(Plots.lossCurve(optimizer.equals("cg") ? "evaluation" : "epoch", trainingLoss,
                validationLoss), picture);
        chainrule.out().println("wrote " + picture);

        if (test != null) {
            Scores.print(chainrule.out(), "test accuracy", net, test, chainrule.verbose());
        } else {
            chainrule.out().println("no test set: give --test-data or --test-split to score the model on unseen data");
        }
        if (save != null) {
            Models.save(save, net, mlp.toString());
            chainrule.out().println("saved the model to " + save);
        }
        return 0;
    }

    /** Everything that can be checked before reading data, so that a mistake costs no time. */
    private void checkOptions() throws IOException {
        UsageError.require(epochs >= 1, "--epochs must be at least 1, got " + epochs);
        UsageError.require(batch >= 1, "--batch must be at least 1, got " + batch);
        UsageError.require(lambda >= 0 && Double.isFinite(lambda), "--lambda must be at least 0, got " + lambda);
        UsageError.require(learningRate == null || learningRate > 0 && Double.isFinite(learningRate),
                "--lr must be positive, got " + learningRate);
        UsageError.require(List.of("sgd", "momentum", "adam", "cg").contains(optimizer),
                "--optimizer must be sgd, momentum, adam or cg, got " + optimizer);
        UsageError.require(List.of("epsilon", "he", "xavier").contains(init),
                "--init must be epsilon, he or xavier, got " + init);
        UsageError.require(List.of("sigmoid", "tanh", "relu").contains(activation),
                "--activation must be sigmoid, tanh or relu, got " + activation);
        UsageError.require(testData == null || testSplit == null, "--test-data and --test-split cannot both be given");
        UsageError.require(testSplit == null || testSplit > 0 && testSplit < 1,
                "--test-split must be in (0, 1), got " + testSplit);
        UsageError.require(validation == null || validation > 0 && validation < 1,
                "--validation must be in (0, 1), got " + validation);
        UsageError.require(Arrays.stream(layers).allMatch(w -> w > 0),
                "--layers must be positive widths, got " + Arrays.toString(layers));
        double[] rates = dropoutRates();
        if (optimizer.equals("cg")) {
            ParseResult given = spec.commandLine().getParseResult();
            for (String option : List.of("--batch", "--lr", "--validation", "--dropout")) {
                UsageError.require(!given.hasMatchedOption(option) || option.equals("--dropout")
                        && rates[0] == 0 && rates[1] == 0, "--optimizer cg minimizes the full-batch cost with line"
                        + " searches: " + option + " does not apply");
            }
        }
        if (save != null) {
            AtomicFiles.checkTarget(save);      // a model file that cannot be written is found now, not after training
        }
    }

    /** {@code P} or {@code P/Q} as (input, hidden) rates, each in [0, 1). */
    private double[] dropoutRates() {
        String[] parts = dropout.split("/", -1);
        String expected = "--dropout " + dropout + ": expected P (hidden units) or P/Q (inputs/hidden units), each"
                + " a number in [0, 1)";
        UsageError.require(parts.length <= 2, expected);
        double[] rates = new double[2];
        for (int i = 0; i < parts.length; i++) {
            try {
                rates[parts.length == 1 ? 1 : i] = Double.parseDouble(parts[i]);
            } catch (NumberFormatException e) {
                throw new UsageError(expected);
            }
        }
        UsageError.require(Arrays.stream(rates).allMatch(r -> r >= 0 && r < 1), expected);
        return rates;
    }

    /** A split whose two parts both hold examples. */
    private static Dataset.Split split(Dataset examples, double fraction, long seed, String option) {
        Dataset.Split split = examples.split(1 - fraction, seed);
        UsageError.require(split.train().size() > 0 && split.validation().size() > 0, option + " " + fraction
                + " of " + examples.size() + " examples leaves " + split.train().size() + " to train on and "
                + split.validation().size() + " held out; both need at least one");
        return split;
    }

    /** The classes the network scores: every label of the training and test data, at least two. */
    private static int classes(DataSource source, Dataset train, DataSource testSource, Dataset test) {
        if (test != null && test.featureCount() != train.featureCount()) {
            throw new IllegalArgumentException((testSource == null ? source : testSource) + " has "
                    + test.featureCount() + " features per example, but the training data has " + train.featureCount());
        }
        int classes = Math.max(train.classes(), test == null ? 0 : test.classes());
        if (classes < 2 || classes > MAX_CLASSES) {
            throw new IllegalArgumentException(source + (testSource == null ? "" : " and " + testSource)
                    + ": the labels run from 0 to " + (classes - 1) + "; expected 2 to " + MAX_CLASSES
                    + " classes, labels from 0");
        }
        return classes;
    }

    /** The network the options describe: inputs, the hidden layers, one output per class. */
    private MlpSpec mlpSpec(int inputs, int classes) {
        int[] widths = IntStream.concat(IntStream.concat(IntStream.of(inputs), Arrays.stream(layers)),
                IntStream.of(classes)).toArray();
        double[] rates = dropoutRates();
        return new MlpSpec(widths, activation, rates[0], rates[1], true);
    }

    private Init initializer() {
        return switch (init) {
            case "he" -> Init.he();
            case "xavier" -> Init.xavierNormal();
            default -> Init.epsilonUniform();
        };
    }

    private Optimizer optimizer(Module net, Dataset train) {
        return switch (optimizer) {
            case "sgd" -> Sgd.plain(net.parameters(), LearningRate.constant(rate(0.1)));
            case "momentum" -> Sgd.momentum(net.parameters(), LearningRate.constant(rate(0.05)), 0.9);
            default -> Adam.adam(net.parameters(), LearningRate.cosine(rate(1e-3), 0,
                    epochs * ((train.size() + batch - 1) / batch)));
        };
    }

    private double rate(double fallback) {
        return learningRate == null ? fallback : learningRate;
    }

    /** Full-batch conjugate gradient through the unrolled parameters; returns the cost at every evaluation. */
    private double[] minimizeByConjugateGradient(Module net, Dataset train, Loss loss) {
        List<Double> costs = new ArrayList<>();
        Variable features = Variable.constant(train.features());
        ConjugateGradient.Result result = ConjugateGradient.minimize(net.parameters(), () -> {
            Variable cost = loss.of(net.forward(features), train);
            costs.add(cost.item());
            return cost;
        }, epochs);
        chainrule.out().printf("conjugate gradient: cost %.6f after %d iterations (%d evaluations)%n", result.cost(),
                result.iterations(), result.evaluations());
        return costs.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
