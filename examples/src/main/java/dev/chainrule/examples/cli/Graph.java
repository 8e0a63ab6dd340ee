package dev.chainrule.examples.cli;

import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import dev.chainrule.examples.StepByStep;
import dev.chainrule.examples.plot.GraphPictures;
import dev.chainrule.nn.Sequential;
import dev.chainrule.nn.data.Dataset;
import dev.chainrule.nn.io.Models;
import dev.chainrule.nn.train.Loss;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code chainrule graph}: a network's graph after one forward and backward pass, in DOT, and SVG if it can. */
@Command(name = "graph", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Run a network forward and backward once and write its graph in Graphviz DOT (graph.dot), "
            + "each node with its name, shape, value and gradient; with Graphviz's dot installed, also graph.svg. "
            + "Without --model: the 2-2-2 network of the step-by-step example.")
final class Graph implements Callable<Integer> {
    @ParentCommand
    private Chainrule chainrule;

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", description = "A model saved by 'chainrule train': its loss on"
            + " --rows examples, random ones (label 0) unless --data gives them.")
    private Path model;

    @Option(names = "--data", paramLabel = "SOURCE", description = "Examples for --model: " + DataSource.FORMATS
            + "; the first --rows are used.")
    private String data;

    @Option(names = "--rows", defaultValue = "2", description = "How many examples (default: ${DEFAULT-VALUE}).")
    private int rows;

    @Option(names = "--out", defaultValue = "chainrule-out", paramLabel = "FOLDER",
            description = "Where graph.dot and graph.svg go (default: ${DEFAULT-VALUE}).")
    private Path folder;

    @Override
    public Integer call() throws IOException {
        if (rows < 1) {
            throw new ParameterException(spec.commandLine(), "--rows must be at least 1, got " + rows);
        }
        if (data != null && model == null) {
            throw new ParameterException(spec.commandLine(), "--data needs --model");
        }
        DataSource source = data == null ? null : dataSource();
        Files.createDirectories(folder);
        Variable loss = model == null ? new StepByStep().error() : mlpLoss(Models.loadMlp(model), source);
        List<Path> written = GraphPictures.write(GraphPictures.traced(loss), folder, "graph");
        chainrule.out().println("wrote " + String.join(" and ", written.stream().map(Path::toString).toList())
                + (written.size() == 1 ? " (install Graphviz to render it as SVG)" : ""));
        return 0;
    }

    private DataSource dataSource() {
        try {
            return DataSource.parse(data, null, false);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--data " + e.getMessage());
        }
    }

    private Variable mlpLoss(Sequential net, DataSource source) throws IOException {
        int inputs = net.parameters().get(0).variable().shape().dim(0);
        Dataset examples;
        if (source == null) {
            Tensor x = Tensor.normal(Randoms.seeded(1), 0, 1, Shape.of(rows, inputs));
            examples = new Dataset(x, new int[rows]);
        } else {
            Dataset all = source.scored();
            examples = all.subset(java.util.stream.IntStream.range(0, Math.min(rows, all.size())).toArray());
        }
        return Loss.softmaxCrossEntropy().of(net.forward(Variable.constant(examples.features())), examples);
    }
}
