package dev.chainrule.nn.optim;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.autodiff.GradMode;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Parameter;
import java.util.List;

/**
 * All parameters unrolled into one vector, and back: the course's unrolling of Θ⁽¹⁾, Θ⁽²⁾, … into one column,
 * which an off-the-shelf optimizer (conjugate gradient, L-BFGS) works on. Parameters follow in the given order,
 * each in row-major order.
 */
public final class ParameterVector {
    private final List<Parameter> parameters;
    private final int size;

    private ParameterVector(List<Parameter> parameters) {
        this.parameters = List.copyOf(parameters);
        this.size = this.parameters.stream().mapToInt(p -> p.variable().value().size()).sum();
    }

    /**
     * @param parameters the parameters, in the order to unroll them
     * @return their vector view
     */
    public static ParameterVector of(List<Parameter> parameters) {
        checkNotNull(parameters, "ParameterVector: parameters is null");
        parameters.forEach(p -> checkNotNull(p, "ParameterVector: a parameter is null"));
        return new ParameterVector(parameters);
    }

    /**
     * @return the number of elements of all parameters together
     */
    public int size() {
        return size;
    }

    /**
     * @return every parameter's values, unrolled into a new array the caller owns
     */
    public double[] values() {
        double[] all = new double[size];
        int offset = 0;
        for (Parameter p : parameters) {
            double[] values = p.variable().value().toArray();
            System.arraycopy(values, 0, all, offset, values.length);
            offset += values.length;
        }
        return all;
    }

    /**
     * @return every parameter's gradient, unrolled like {@link #values()}; zeros for a parameter without one
     */
    public double[] gradients() {
        double[] all = new double[size];
        int offset = 0;
        for (Parameter p : parameters) {
            Variable v = p.variable();
            int n = v.value().size();
            if (v.hasGrad()) {
                System.arraycopy(v.grad().value().toArray(), 0, all, offset, n);
            }
            offset += n;
        }
        return all;
    }

    /**
     * Rolls a vector back into the parameters, in place (under no-grad), as an optimizer's step does.
     *
     * @param values as many values as {@link #size()}, in the order {@link #values()} gives them (copied)
     * @throws IllegalArgumentException if the length differs
     */
    public void assign(double[] values) {
        checkNotNull(values, "ParameterVector.assign: values is null");
        checkArgument(values.length == size, "ParameterVector.assign: %s values for %s parameter elements",
                values.length, size);
        int offset = 0;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (Parameter p : parameters) {
                Tensor current = p.variable().value();
                double[] part = new double[current.size()];
                System.arraycopy(values, offset, part, 0, part.length);
                p.variable().assign(Tensor.of(current.shape(), part));
                offset += part.length;
            }
        }
    }
}
