package dev.chainrule.nn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * How a layer's weights start. Every initializer draws from the generator it is given, so the same seed gives the
 * same network. Random weights break the symmetry between the units of a layer: started equal (all zeros, say),
 * they receive equal gradients and stay equal however long they train.
 */
@FunctionalInterface
public interface Init {
    /**
     * Draws the weights of a layer with {@code fanIn} inputs and {@code fanOut} outputs.
     *
     * @param fanIn the number of inputs, rows of W
     * @param fanOut the number of outputs, columns of W
     * @param random the source of randomness
     * @return a new (fanIn × fanOut) tensor
     */
    Tensor weights(int fanIn, int fanOut, RandomGenerator random);

    /**
     * Uniform in [−ε, ε] with ε = √6 / √(fan_in + fan_out): the course's choice (also Glorot and Bengio's
     * "Xavier uniform").
     *
     * @return the initializer
     */
    static Init epsilonUniform() {
        return (fanIn, fanOut, random) -> {
            double epsilon = Math.sqrt(6) / Math.sqrt(fanIn + fanOut);
            return Tensor.uniform(random, -epsilon, epsilon, shape(fanIn, fanOut));
        };
    }

    /**
     * N(0, 1) · scale: small random weights, the course's other choice with a scale of 0.01.
     *
     * @param scale the standard deviation, positive
     * @return the initializer
     */
    static Init normal(double scale) {
        checkArgument(scale > 0, "Init.normal: the scale must be positive, got %s", scale);
        return (fanIn, fanOut, random) -> Tensor.normal(random, 0, scale, shape(fanIn, fanOut));
    }

    /**
     * Xavier/Glorot normal: N(0, 2 / (fan_in + fan_out)), which keeps the variance of activations and gradients
     * about equal across tanh and sigmoid layers.
     *
     * @return the initializer
     */
    static Init xavierNormal() {
        return (fanIn, fanOut, random) -> Tensor.normal(random, 0, Math.sqrt(2.0 / (fanIn + fanOut)), shape(fanIn, fanOut));
    }

    /**
     * He (Kaiming) normal: N(0, 2 / fan_in), for ReLU layers, which zero half their inputs.
     *
     * @return the initializer
     */
    static Init he() {
        return (fanIn, fanOut, random) -> Tensor.normal(random, 0, Math.sqrt(2.0 / fanIn), shape(fanIn, fanOut));
    }

    /**
     * All zeros: the symmetric start that random initialization exists to avoid (every unit of a layer then learns
     * the same thing). For demonstrations and tests.
     *
     * @return the initializer
     */
    static Init zeros() {
        return (fanIn, fanOut, random) -> Tensor.zeros(shape(fanIn, fanOut));
    }

    private static Shape shape(int fanIn, int fanOut) {
        checkArgument(fanIn > 0 && fanOut > 0, "Init: a layer needs at least one input and one output, got %s × %s",
                fanIn, fanOut);
        return Shape.of(fanIn, fanOut);
    }
}
