package dev.chainrule.nn;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * A multilayer perceptron described in one line, such as {@code mlp 784-256-128-10 relu dropout 0.1/0.2}: the
 * layer widths from inputs to outputs, the hidden layers' activation, and the dropout on the input and after each
 * hidden layer. A trailing {@code standardized} puts a {@link Standardize} layer first, whose μ and σ are saved
 * with the weights, so that the network takes raw inputs. A model file stores this line, so that one file rebuilds
 * the network ({@link #build}) before its weights and buffers are loaded.
 *
 * @param widths the number of inputs, then each layer's outputs; at least two, each positive
 * @param activation one of {@code sigmoid}, {@code tanh}, {@code relu}
 * @param inputDropout the probability of dropping an input, in [0, 1)
 * @param hiddenDropout the probability of dropping a hidden unit, in [0, 1)
 * @param standardized whether a {@link Standardize} layer comes first
 */
public record MlpSpec(int[] widths, String activation, double inputDropout, double hiddenDropout,
        boolean standardized) {
    private static final List<String> ACTIVATIONS = List.of("sigmoid", "tanh", "relu");
    private static final String STANDARDIZED = "standardized";
    private static final String EXAMPLE = "mlp 784-256-128-10 relu dropout 0.1/0.2, optionally followed by "
            + STANDARDIZED;

    /**
     * @param widths the number of inputs, then each layer's outputs (copied)
     * @param activation one of {@code sigmoid}, {@code tanh}, {@code relu}
     * @param inputDropout the probability of dropping an input
     * @param hiddenDropout the probability of dropping a hidden unit
     * @param standardized whether a {@link Standardize} layer comes first
     */
    public MlpSpec {
        checkNotNull(widths, "MlpSpec: widths is null");
        checkArgument(widths.length >= 2 && Arrays.stream(widths).allMatch(w -> w > 0),
                "MlpSpec: widths %s: needs inputs and at least one layer, each width positive", Arrays.toString(widths));
        checkArgument(ACTIVATIONS.contains(activation), "MlpSpec: activation %s is not one of %s", activation, ACTIVATIONS);
        checkArgument(inputDropout >= 0 && inputDropout < 1 && hiddenDropout >= 0 && hiddenDropout < 1,
                "MlpSpec: dropout %s/%s must be in [0, 1)", inputDropout, hiddenDropout);
        widths = widths.clone();
    }

    /**
     * @return the widths, copied
     */
    @Override
    public int[] widths() {
        return widths.clone();
    }

    /**
     * Reads a line written by {@link #toString()}.
     *
     * @param line like {@code mlp 784-256-128-10 relu dropout 0.1/0.2} or
     *     {@code mlp 784-256-128-10 relu dropout 0.1/0.2 standardized}
     * @return the spec
     * @throws IllegalArgumentException naming what part of the line is wrong and what was expected
     */
    public static MlpSpec parse(String line) {
        checkNotNull(line, "MlpSpec.parse: line is null");
        String[] words = line.strip().split("\\s+");
        checkArgument((words.length == 5 || words.length == 6) && words[0].equals("mlp") && words[3].equals("dropout"),
                "MlpSpec: \"%s\" is not like \"%s\"", line, EXAMPLE);
        checkArgument(words.length == 5 || words[5].equals(STANDARDIZED),
                "MlpSpec: \"%s\": \"%s\" after the dropout must be \"%s\" or nothing", line, words[words.length - 1],
                STANDARDIZED);
        int[] widths;
        double[] dropout;
        try {
            widths = Arrays.stream(words[1].split("-")).mapToInt(Integer::parseInt).toArray();
            dropout = Arrays.stream(words[4].split("/")).mapToDouble(Double::parseDouble).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("MlpSpec: \"" + line + "\": " + e.getMessage() + " is not a number", e);
        }
        checkArgument(dropout.length == 2, "MlpSpec: \"%s\": dropout needs input/hidden, like 0.1/0.2", line);
        return new MlpSpec(widths, words[2], dropout[0], dropout[1], words.length == 6);
    }

    /**
     * Builds the network: a standardization with μ = 0 and σ = 1 if the spec asks for one (loading a model file
     * fills in μ and σ), then for each layer a {@link Linear} (weights from {@code init}, zero biases), the
     * activation after every hidden one, and dropout where asked. The last layer's outputs are logits, with no
     * activation.
     *
     * @param init how weights start
     * @param random the source of the weights and of the dropout masks
     * @return a new network whose parameters are named {@code layerK.W} and {@code layerK.b}, and the
     *     standardization's buffers {@code layer1.mean} and {@code layer1.std}
     */
    public Sequential build(Init init, RandomGenerator random) {
        return build(init, random, standardized ? List.of(Standardize.identity(widths[0])) : List.of());
    }

    /**
     * Builds a standardized network, as {@link #build(Init, RandomGenerator)} does, with a fitted standardization
     * (such as {@code Standardizer.asModule()}) as its first layer.
     *
     * @param init how weights start
     * @param random the source of the weights and of the dropout masks
     * @param standardize the first layer, with one column per input
     * @return a new network whose first layer is {@code standardize}
     * @throws IllegalArgumentException if this spec is not standardized, or {@code standardize} has another
     *     number of columns than the network has inputs
     */
    public Sequential build(Init init, RandomGenerator random, Standardize standardize) {
        checkNotNull(standardize, "MlpSpec.build: standardize is null");
        checkArgument(standardized, "MlpSpec.build: \"%s\" has no standardization; end it with \"%s\" to put a "
                + "Standardize layer first", this, STANDARDIZED);
        checkArgument(standardize.features() == widths[0],
                "MlpSpec.build: \"%s\" has %s inputs, but the Standardize layer standardizes %s columns", this,
                widths[0], standardize.features());
        return build(init, random, List.of(standardize));
    }

    private Sequential build(Init init, RandomGenerator random, List<Module> first) {
        List<Module> layers = new ArrayList<>(first);
        if (inputDropout > 0) {
            layers.add(new Dropout(inputDropout, random));
        }
        for (int i = 0; i + 1 < widths.length; i++) {
            layers.add(new Linear(widths[i], widths[i + 1], init, random));
            if (i + 2 < widths.length) {
                layers.add(activationModule());
                if (hiddenDropout > 0) {
                    layers.add(new Dropout(hiddenDropout, random));
                }
            }
        }
        return new Sequential(layers.toArray(new Module[0]));
    }

    private Activation activationModule() {
        switch (activation) {
            case "sigmoid": return Activation.sigmoid();
            case "tanh": return Activation.tanh();
            default: return Activation.relu();
        }
    }

    /**
     * @return like {@code mlp 784-256-128-10 relu dropout 0.1/0.2}, with {@code standardized} at the end if it is,
     *     which {@link #parse} reads back
     */
    @Override
    public String toString() {
        return "mlp " + Arrays.stream(widths).mapToObj(Integer::toString).collect(Collectors.joining("-")) + " "
                + activation + " dropout " + inputDropout + "/" + hiddenDropout
                + (standardized ? " " + STANDARDIZED : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MlpSpec s && Arrays.equals(widths, s.widths) && activation.equals(s.activation)
                && Double.compare(inputDropout, s.inputDropout) == 0
                && Double.compare(hiddenDropout, s.hiddenDropout) == 0 && standardized == s.standardized;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(widths) * 31 + toString().hashCode();
    }
}
