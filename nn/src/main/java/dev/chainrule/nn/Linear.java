package dev.chainrule.nn;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Tensor;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * A fully connected layer, Y = X·W + b, with W (in × out) so that X·W matches the derivation, and b (out).
 * Its backward is Affine's: dX = dY·Wᵀ, dW = Xᵀ·dY, db = column sums of dY.
 */
public final class Linear extends Module {
    private final Variable w;
    private final Variable b;

    /**
     * A layer with weights from {@code init} and zero biases.
     *
     * @param in the number of inputs, at least 1
     * @param out the number of outputs, at least 1
     * @param init how the weights start
     * @param random the source of their randomness
     */
    public Linear(int in, int out, Init init, RandomGenerator random) {
        this(checkNotNull(init, "Linear: init is null").weights(in, out, checkNotNull(random, "Linear: random is null")),
                Tensor.zeros(out));
    }

    /**
     * A layer with given weights and biases, such as the course's debug weights.
     *
     * @param weights W, a matrix (in × out)
     * @param bias b, a vector (out)
     */
    public Linear(Tensor weights, Tensor bias) {
        checkNotNull(weights, "Linear: weights is null");
        checkNotNull(bias, "Linear: bias is null");
        checkArgument(weights.rank() == 2 && bias.rank() == 1 && bias.size() == weights.shape().dim(1),
                "Linear: weights %s and bias %s: W must be (in × out) and b (out)", weights.shape(), bias.shape());
        this.w = addWeight("W", weights);
        this.b = addBias("b", bias);
    }

    /**
     * @param x a batch of rows (m × in)
     * @return X·W + b, (m × out)
     */
    @Override
    public Variable forward(Variable x) {
        return Ops.affine(x, w, b);
    }

    /**
     * @return W, the parameter itself
     */
    public Variable weight() {
        return w;
    }

    /**
     * @return b, the parameter itself
     */
    public Variable bias() {
        return b;
    }
}
