package dev.chainrule.autodiff.testing;

import dev.chainrule.autodiff.GradCheck;
import dev.chainrule.core.Tensor;
import java.util.Arrays;

/**
 * A generated test case: a graph and the inputs to check it at. Its {@code toString} is what QuickTheories
 * prints for a (shrunk) failing case: the description, then every input's shape and values. Immutable.
 */
public final class Case {
    private final String description;
    private final GradCheck.Graph graph;
    private final Tensor[] inputs;

    /**
     * A case to check with {@link Properties#assertGradientsMatch} and its siblings.
     *
     * @param description what is checked, printed first on failure, such as {@code "sigmoid"}; not null
     * @param graph the graph under test, receiving one variable per input; not null
     * @param inputs the point to check at, one tensor per input of the graph; the array is copied
     */
    public Case(String description, GradCheck.Graph graph, Tensor... inputs) {
        this.description = description;
        this.graph = graph;
        this.inputs = inputs.clone();
    }

    /**
     * The graph under test.
     *
     * @return the graph given to the constructor
     */
    public GradCheck.Graph graph() {
        return graph;
    }

    /**
     * The point to check at.
     *
     * @return a new array of the inputs, in order, which the caller owns
     */
    public Tensor[] inputs() {
        return inputs.clone();
    }

    /**
     * One input, for properties that need its value or shape.
     *
     * @param i the input's index, in the order given to the constructor
     * @return that input
     * @throws ArrayIndexOutOfBoundsException if {@code i} is not in [0, number of inputs)
     */
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

    /**
     * Shapes only, for messages where the values would be noise.
     *
     * @return the description and the inputs' shapes, like {@code affine [(2, 3), (3, 4), (4)]}
     */
    public String shapes() {
        return description + " " + Arrays.toString(Arrays.stream(inputs).map(Tensor::shape).toArray());
    }
}
