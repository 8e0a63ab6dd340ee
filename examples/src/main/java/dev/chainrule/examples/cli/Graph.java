package dev.chainrule.examples.cli;

import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import dev.chainrule.examples.StepByStep;
import dev.chainrule.examples.plot.GraphPictures;
import dev.chainrule.nn.data.Dataset;
import dev.chainrule.nn.train.Loss;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code chainrule graph}: a network's graph after one forward and backward pass, in DOT, and SVG if it can. */
@Command(name = "graph", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Run a network forward and backward once and write its graph in Graphviz DOT (graph.dot), "
            + "each node with its name, shape, value and gradient; with Graphviz's dot installed, also graph.svg. "
            + "Without --model: the 2-2-2 network of the step-by-step example.")
final class Graph implements Callable<Integer> {
    @ParentCommand
    private Chainrule chainrule;

    @Option(names = "--model", paramLabel = "FILE", description = "A model saved by 'chainrule train': its loss on"
            + " --rows examples, random ones (label 0) unless --data gives them.")
    private Path model;

    @Option(names = "--data", paramLabel = "SOURCE", description = "Examples for --model: " + DataSource.FORMATS
            + "; the first --rows are used.")
    private String data;

    @Mixin
    private CsvOptions csv;

    @Option(names = "--rows", defaultValue = "2", paramLabel = "N",
            description = "How many examples (default: ${DEFAULT-VALUE}).")
    private int rows;

    @Option(names = "--out", defaultValue = "chainrule-out", paramLabel = "FOLDER",
            description = "Where graph.dot and graph.svg go (default: ${DEFAULT-VALUE}).")
    private Path folder;

    @Override
    public Integer call() throws IOException {
        UsageError.require(rows >= 1, "--rows must be at least 1, got " + rows);
        UsageError.require(data == null || model != null, "--data needs --model");
        DataSource source = data == null ? null : csv.source("--data", data);
        Variable loss = model == null ? new StepByStep().error() : mlpLoss(SavedModelOptions.load(model, source));
        Files.createDirectories(folder);
        List<Path> written = GraphPictures.write(GraphPictures.traced(loss), folder, "graph");
        chainrule.out().println("wrote " + String.join(" and ", written.stream().map(Path::toString).toList())
                + (written.size() == 1 ? " (install Graphviz to render it as SVG)" : ""));
        return 0;
    }

    /** The loss of a saved model on the first --rows examples of --data, or on random rows labelled 0. */
    private Variable mlpLoss(SavedModelOptions.Loaded loaded) throws IOException {
        Dataset examples;
        if (loaded.source() == null) {
            int inputs = SavedModelOptions.inputs(loaded.net());
            examples = new Dataset(Tensor.normal(Randoms.seeded(1), 0, 1, Shape.of(rows, inputs)), new int[rows]);
        } else {
            Dataset all = loaded.examples();
            examples = all.subset(IntStream.range(0, Math.min(rows, all.size())).toArray());
        }
        return Loss.softmaxCrossEntropy().of(loaded.net().forward(Variable.constant(examples.features())), examples);
    }
}
