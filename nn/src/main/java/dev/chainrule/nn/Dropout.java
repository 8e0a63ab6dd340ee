package dev.chainrule.nn;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Inverted dropout: in training mode each element is zeroed with probability p and the rest scaled by 1/(1 − p),
 * a new mask for every forward pass drawn from the module's own generator; in evaluation mode the identity.
 */
public final class Dropout extends Module {
    private final double p;
    private final RandomGenerator random;

    /**
     * @param p the probability of dropping an element, in [0, 1)
     * @param random the source of the masks (seeded, for runs that repeat)
     */
    public Dropout(double p, RandomGenerator random) {
        checkArgument(p >= 0 && p < 1, "Dropout: p must be in [0, 1), got %s", p);
        this.p = p;
        this.random = checkNotNull(random, "Dropout: random is null");
    }

    /**
     * @param x any tensor
     * @return x with elements dropped and the rest scaled, in training mode; x itself in evaluation mode
     */
    @Override
    public Variable forward(Variable x) {
        return isTraining() && p > 0 ? Ops.dropout(x, p, random) : x;
    }

    /**
     * @return like {@code dropout(0.2)}
     */
    @Override
    public String toString() {
        return "dropout(" + p + ")";
    }
}
