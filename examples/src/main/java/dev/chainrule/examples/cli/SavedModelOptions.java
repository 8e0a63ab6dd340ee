package dev.chainrule.examples.cli;

import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Parameter;
import dev.chainrule.nn.Sequential;
import dev.chainrule.nn.data.Dataset;
import dev.chainrule.nn.io.Models;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What {@code evaluate}, {@code predict} and {@code graph} read: a model that {@code train} saved, and data for it,
 * checked against each other before the model runs, so that a mismatch is said in the user's terms.
 */
final class SavedModelOptions {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model saved by 'chainrule"
            + " train'.")
    private Path file;

    @Mixin
    private DataOptions data;

    /** The model and the data it was given. */
    record Loaded(Path file, Sequential net, DataSource source) {
        /** @return the labelled examples of the source, refused unless the model takes their features and labels */
        Dataset examples() throws IOException {
            Dataset examples = source.scored();
            requireWidth(examples.featureCount());
            int classes = outputs(net);
            if (examples.classes() > classes) {
                throw new IllegalArgumentException(source + " has labels up to " + (examples.classes() - 1)
                        + ", but the model " + file + " scores " + classes + " classes, 0 to " + (classes - 1));
            }
            return examples;
        }

        /** @return the features of the source, refused unless the model takes as many */
        Tensor features() throws IOException {
            Tensor features = source.features();
            requireWidth(features.shape().dim(1));
            return features;
        }

        private void requireWidth(int columns) {
            int inputs = inputs(net);
            if (columns != inputs) {
                boolean labelAmongThem = source.kind().equals("csv") && source.labelColumn() == null
                        && columns == inputs + 1;
                throw new IllegalArgumentException(source + " has " + columns + " features per example, but the model "
                        + file + " takes " + inputs + (labelAmongThem ? " (is one of them the label? name its column"
                                + " with --label-column)" : ""));
            }
        }
    }

    /** @return the model, loaded, with its data source; the data is read later, by {@link Loaded} */
    Loaded load() throws IOException {
        return load(file, data.source());
    }

    /**
     * @param file a model saved by {@code train}
     * @param source its data, or null
     * @return the model, loaded, with that data source
     */
    static Loaded load(Path file, DataSource source) throws IOException {
        return new Loaded(file, Models.loadMlp(DataSource.file(file)), source);
    }

    /** The inputs a saved MLP takes: the rows of its first weight matrix (parameters come layer by layer, W then b). */
    static int inputs(Sequential net) {
        return net.parameters().get(0).variable().shape().dim(0);
    }

    /** The classes it scores: the length of its last bias. */
    static int outputs(Sequential net) {
        List<Parameter> parameters = net.parameters();
        return parameters.get(parameters.size() - 1).variable().shape().dim(0);
    }
}
