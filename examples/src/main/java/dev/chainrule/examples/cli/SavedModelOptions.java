package dev.chainrule.examples.cli;

import dev.chainrule.nn.Sequential;
import dev.chainrule.nn.io.Models;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What {@code evaluate} and {@code predict} read: a model that {@code train} saved, and the data to run it on. */
final class SavedModelOptions {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The model file.")
    private Path model;

    @Mixin
    private DataOptions data;

    /** @return the network the file describes, in evaluation mode */
    Sequential load() throws IOException {
        return Models.loadMlp(model);
    }

    /** @return the data source, or a usage error */
    DataSource source() {
        return data.source();
    }
}
