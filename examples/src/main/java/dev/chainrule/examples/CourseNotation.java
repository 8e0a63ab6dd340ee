package dev.chainrule.examples;

import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Linear;

/**
 * The course's notation (Andrew Ng's Machine Learning, weeks 4 and 5) beside chainrule's, and the course's vectorised
 * formulas written out by hand in plain tensor operations: the oracle that the course's examples compare with.
 *
 * <p>The course's Θ⁽ˡ⁾ is (out × (1 + in)) with the bias in column 0, and multiplies a column [1; a]. chainrule's
 * {@link Linear} keeps W (in × out) and b (out) and multiplies rows: a·W + b. They are the same map when
 * Θ = [b | Wᵀ]: column 0 of Θ is b, and column j + 1 of Θ is row j of W.
 */
final class CourseNotation {
    private CourseNotation() {}

    /** The layer whose Θ is {@code theta}: b = Θ(:, 0), W = Θ(:, 1:)ᵀ. */
    static Linear linear(Tensor theta) {
        return new Linear(withoutBias(theta).transpose(), theta.index(1, 0));
    }

    /** Θ = [b | Wᵀ], for a layer's values or for its gradients. */
    static Tensor theta(Tensor w, Tensor b) {
        return Tensor.concat(1, b.reshape(b.size(), 1), w.transpose());
    }

    /**
     * J(Θ) = −1/m ΣΣ [y log h + (1 − y) log(1 − h)] + λ/(2m) Σₗ ΣΣ Θ⁽ˡ⁾(:, 1:)², vectorised as nnCostFunction
     * writes it: a⁽ˡ⁺¹⁾ = σ([1 a⁽ˡ⁾]·Θ⁽ˡ⁾ᵀ), h the last a.
     */
    static double cost(Tensor x, Tensor y, double lambda, Tensor... thetas) {
        Tensor h = activations(x, thetas)[thetas.length];
        int m = x.shape().dim(0);
        Tensor logLikelihood = y.mul(h.log()).add(oneMinus(y).mul(oneMinus(h).log()));
        double penalty = 0;
        for (Tensor theta : thetas) {
            penalty += withoutBias(theta).pow(2).sum().item();  // the bias column is not penalised
        }
        return -logLikelihood.sum().item() / m + lambda / (2.0 * m) * penalty;
    }

    /**
     * dJ/dΘ⁽ˡ⁾ by the course's vectorised backpropagation: δ = h − y at the output, δ⁽ˡ⁾ = δ⁽ˡ⁺¹⁾·Θ(:, 1:) .* a(1 − a)
     * below it, Δ⁽ˡ⁾ = δ⁽ˡ⁺¹⁾ᵀ·[1 a⁽ˡ⁾], and D⁽ˡ⁾ = Δ⁽ˡ⁾/m + (λ/m)·[0 Θ(:, 1:)].
     */
    static Tensor[] gradients(Tensor x, Tensor y, double lambda, Tensor... thetas) {
        Tensor[] a = activations(x, thetas);
        int m = x.shape().dim(0);
        Tensor[] gradients = new Tensor[thetas.length];
        Tensor delta = a[thetas.length].sub(y);
        for (int l = thetas.length - 1; l >= 0; l--) {
            Tensor penalised = withoutBias(thetas[l]).pad(1, 1, 0);
            gradients[l] = delta.matmulTransA(withOnes(a[l])).mul(1.0 / m).add(penalised.mul(lambda / m));
            delta = delta.matmul(withoutBias(thetas[l])).mul(a[l].mul(oneMinus(a[l])));
        }
        return gradients;
    }

    /** a⁽¹⁾ = x, then a⁽ˡ⁺¹⁾ = σ([1 a⁽ˡ⁾]·Θ⁽ˡ⁾ᵀ) for each layer. */
    private static Tensor[] activations(Tensor x, Tensor[] thetas) {
        Tensor[] a = new Tensor[thetas.length + 1];
        a[0] = x;
        for (int l = 0; l < thetas.length; l++) {
            a[l + 1] = withOnes(a[l]).matmulTransB(thetas[l]).sigmoid();
        }
        return a;
    }

    /** [1 a]: a column of ones in front of the rows. */
    private static Tensor withOnes(Tensor a) {
        return Tensor.concat(1, Tensor.ones(a.shape().dim(0), 1), a);
    }

    private static Tensor withoutBias(Tensor theta) {
        return theta.slice(1, 1, theta.shape().dim(1));
    }

    private static Tensor oneMinus(Tensor t) {
        return t.neg().add(1);
    }
}
