package dev.chainrule.nn.io;

import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.nn.Init;
import dev.chainrule.nn.MlpSpec;
import dev.chainrule.nn.Module;
import dev.chainrule.nn.Sequential;
import dev.chainrule.autodiff.GradMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saves a trained module's parameters and buffers (such as a standardization's μ and σ), by their hierarchical
 * names, to one model file ({@link ModelFile}), with a line that describes its architecture, and loads them back:
 * into a module you build yourself, or, for an {@link MlpSpec} network, into a network rebuilt from the file alone.
 */
public final class Models {
    /** The metadata key of the architecture line. */
    public static final String ARCHITECTURE = "architecture";

    private Models() {}

    /**
     * Writes every parameter and buffer of {@code model} to {@code file}, atomically: a crash leaves the previous
     * file whole.
     *
     * @param file the model file
     * @param model the trained module
     * @param architecture a line describing the module, checked again when loading (an {@link MlpSpec}'s
     *     {@code toString()}, or your own)
     * @throws IOException if the file cannot be written
     */
    public static void save(Path file, Module model, String architecture) throws IOException {
        checkNotNull(model, "Models.save: model is null");
        checkNotNull(architecture, "Models.save: architecture is null");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        state(model).forEach((name, variable) -> tensors.put(name, variable.value()));
        ModelFile.write(file, tensors, Map.of(ARCHITECTURE, architecture));
    }

    /**
     * Loads a model file into a module of the same architecture; the module keeps its parameter and buffer objects
     * and takes their values. Nothing changes unless the whole file matches.
     *
     * @param file the model file
     * @param model the module to fill
     * @param architecture the line the module's architecture was saved with
     * @throws ModelFileException if the file is damaged, or describes another architecture, or its tensors are not
     *     exactly the module's parameters and buffers by name and shape
     * @throws IOException if the file cannot be read
     */
    public static void loadInto(Path file, Module model, String architecture) throws IOException {
        checkNotNull(model, "Models.loadInto: model is null");
        checkNotNull(architecture, "Models.loadInto: architecture is null");
        assign(ModelFile.read(file), model, architecture);
    }

    /** Checks the contents against the module, then gives the module their values. */
    private static void assign(ModelFile.Contents contents, Module model, String architecture) throws ModelFileException {
        Map<String, Variable> state = state(model);
        Map<String, Shape> shapes = new LinkedHashMap<>();
        state.forEach((name, variable) -> shapes.put(name, variable.shape()));
        contents.requireMetadata(ARCHITECTURE, architecture).requireShapes(shapes);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            state.forEach((name, variable) -> variable.assign(contents.tensors().get(name)));
        }
    }

    /**
     * What a model file holds of a module: its parameters, then its buffers, by name. The names cannot collide:
     * parameters, buffers and children share one namespace in each module, and a name is the path to its module.
     */
    private static Map<String, Variable> state(Module model) {
        Map<String, Variable> state = new LinkedHashMap<>();
        model.parameters().forEach(p -> state.put(p.name(), p.variable()));
        model.buffers().forEach(b -> state.put(b.name(), b.variable()));
        return state;
    }

    /**
     * Rebuilds a multilayer perceptron from its model file alone: the architecture line, then the weights and, for
     * a standardized one, μ and σ.
     *
     * @param file a file saved from an {@link MlpSpec} network
     * @return the network, in evaluation mode
     * @throws ModelFileException if the file is damaged, has no MLP architecture line, or does not match it
     * @throws IOException if the file cannot be read
     */
    public static Sequential loadMlp(Path file) throws IOException {
        ModelFile.Contents contents = ModelFile.read(file);
        String line = contents.metadata().get(ARCHITECTURE);
        MlpSpec spec;
        try {
            spec = MlpSpec.parse(line == null ? "" : line);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "the architecture is not a multilayer perceptron: " + e.getMessage());
        }
        Sequential net = spec.build(Init.zeros(), Randoms.seeded(0));
        assign(contents, net, spec.toString());
        net.eval();
        return net;
    }
}
