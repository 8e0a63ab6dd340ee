package dev.chainrule.nn;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import java.util.List;

/** Penalties added to a loss. */
public final class Regularization {
    private Regularization() {}

    /**
     * The course's L2 term λ/(2m) Σ Θ² over every weight, never a bias (Θ₀ is not penalized). Its gradient is
     * (λ/m)·W for each weight and nothing for biases, so that the regularized gradient is Δ/m + (λ/m)Θ.
     *
     * @param lambda λ, not negative
     * @param m the number of examples the cost averages over, positive
     * @param parameters the network's parameters; those whose role is {@link Parameter.Role#BIAS} are skipped
     * @return the penalty, a scalar (a constant 0 when λ = 0 or there is no weight)
     */
    public static Variable l2(double lambda, int m, List<Parameter> parameters) {
        checkArgument(lambda >= 0, "l2: λ must not be negative, got %s", lambda);
        checkArgument(m > 0, "l2: m must be positive, got %s", m);
        checkNotNull(parameters, "l2: parameters is null");
        Variable sum = Variable.constant(0.0);
        for (Parameter p : parameters) {
            if (p.isWeight()) {
                sum = Ops.add(sum, Ops.sum(Ops.mul(p.variable(), p.variable())));
            }
        }
        return Ops.mul(sum, lambda / (2.0 * m));
    }
}
