package dev.chainrule.nn;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Tensor;

/**
 * (x − μ) / σ for each column, with μ and σ fixed (measured on training data, not trained): standardization as the
 * first layer of a network, so that each batch is standardized as it passes instead of the whole dataset being
 * copied. {@code Standardizer.asModule()} makes one.
 *
 * <p>μ and σ are buffers named {@code mean} and {@code std}: a model file saves them with the weights, and loading
 * the file restores them, so that a reloaded network takes raw inputs as the trained one did.
 */
public final class Standardize extends Module {
    private final Variable mean;
    private final Variable std;

    /**
     * @param mean μ, a vector with one entry per feature
     * @param std σ, a vector of the same shape, every entry positive
     */
    public Standardize(Tensor mean, Tensor std) {
        checkNotNull(mean, "Standardize: mean is null");
        checkNotNull(std, "Standardize: std is null");
        checkArgument(mean.rank() == 1 && std.shape().equals(mean.shape()),
                "Standardize: mean %s and std %s must be vectors of one shape", mean.shape(), std.shape());
        for (int j = 0; j < std.size(); j++) {
            double sigma = std.getFlat(j);
            checkArgument(sigma > 0 && Double.isFinite(sigma) && Double.isFinite(mean.getFlat(j)),
                    "Standardize: column %s has mean %s and std %s; expected a finite mean and a positive, finite std",
                    j, mean.getFlat(j), sigma);
        }
        this.mean = addBuffer("mean", mean);
        this.std = addBuffer("std", std);
    }

    /**
     * A placeholder with μ = 0 and σ = 1, the identity, for a network whose μ and σ come from a model file.
     *
     * @param features the number of columns, at least 1
     * @return a new module that passes its input through until loading assigns μ and σ
     */
    public static Standardize identity(int features) {
        checkArgument(features > 0, "Standardize.identity: features must be positive, got %s", features);
        return new Standardize(Tensor.zeros(features), Tensor.ones(features));
    }

    /**
     * @return the number of columns this layer standardizes
     */
    public int features() {
        return mean.shape().dim(0);
    }

    /**
     * @param x a batch of rows (m × features)
     * @return (x − μ) / σ, row by row
     */
    @Override
    public Variable forward(Variable x) {
        return Ops.div(Ops.sub(x, mean), std);
    }
}
