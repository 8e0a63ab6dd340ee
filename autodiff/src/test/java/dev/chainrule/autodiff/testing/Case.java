package dev.chainrule.autodiff.testing;

import dev.chainrule.autodiff.GradCheck;
import dev.chainrule.core.Tensor;
import java.util.Arrays;

/**
 * A generated test case: a graph and the inputs to check it at. Its {@code toString} is what QuickTheories
 * prints for a (shrunk) failing case: the description, then every input's shape and values.
 */
public final class Case {
    private final String description;
    private final GradCheck.Graph graph;
    private final Tensor[] inputs;

    public Case(String description, GradCheck.Graph graph, Tensor... inputs) {
        this.description = description;
        this.graph = graph;
        this.inputs = inputs.clone();
    }

    public GradCheck.Graph graph() {
        return graph;
    }

    public Tensor[] inputs() {
        return inputs.clone();
    }

    public Tensor input(int i) {
        return inputs[i];
    }

    /**
     * A seed drawn from the inputs' shapes and values, for the random parts of a check (GradCheck's upstream
     * gradient and directions): every generated case gets its own, and replaying a case replays its seed.
     *
     * @return the seed
     */
    public long seed() {
        return Arrays.hashCode(inputs);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(description);
        for (int i = 0; i < inputs.length; i++) {
            sb.append("\n  input ").append(i).append(' ').append(inputs[i].shape()).append(": ").append(inputs[i]);
        }
        return sb.toString();
    }

    /** Shapes only, for messages where the values would be noise. */
    public String shapes() {
        return description + " " + Arrays.toString(Arrays.stream(inputs).map(Tensor::shape).toArray());
    }
}
