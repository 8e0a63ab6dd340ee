package dev.chainrule.nn;

import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import java.util.function.UnaryOperator;

/** An element-wise activation (or softmax along the last axis) as a module without parameters. */
public final class Activation extends Module {
    private final String name;
    private final UnaryOperator<Variable> function;

    private Activation(String name, UnaryOperator<Variable> function) {
        this.name = name;
        this.function = function;
    }

    /**
     * @return σ(x) = 1 / (1 + e⁻ˣ)
     */
    public static Activation sigmoid() {
        return new Activation("sigmoid", Ops::sigmoid);
    }

    /**
     * @return tanh x
     */
    public static Activation tanh() {
        return new Activation("tanh", Ops::tanh);
    }

    /**
     * @return max(x, 0)
     */
    public static Activation relu() {
        return new Activation("relu", Ops::relu);
    }

    /**
     * @param alpha the slope below 0
     * @return x for x &gt; 0, αx otherwise
     */
    public static Activation leakyRelu(double alpha) {
        return new Activation("leakyRelu(" + alpha + ")", x -> Ops.leakyRelu(x, alpha));
    }

    /**
     * @return softmax along the last axis
     */
    public static Activation softmax() {
        return new Activation("softmax", Ops::softmax);
    }

    /**
     * @param x any tensor
     * @return the activation of every element (softmax: of every row)
     */
    @Override
    public Variable forward(Variable x) {
        return function.apply(x);
    }

    /**
     * @return the activation's name, such as {@code relu}
     */
    @Override
    public String toString() {
        return name;
    }
}
