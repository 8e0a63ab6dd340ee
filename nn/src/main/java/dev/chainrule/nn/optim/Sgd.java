package dev.chainrule.nn.optim;

import static com.google.common.base.Preconditions.checkArgument;

import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Parameter;
import java.util.List;

/**
 * Stochastic gradient descent, with optional momentum μ (v ← μv + g; w ← w − η·v) and Nesterov's variant
 * (w ← w − η·(g + μv) with the updated v), as PyTorch's SGD defines them.
 */
public final class Sgd extends Optimizer {
    private final double momentum;
    private final boolean nesterov;

    private Sgd(List<Parameter> parameters, LearningRate learningRate, double momentum, boolean nesterov) {
        super(parameters, learningRate);
        checkArgument(momentum >= 0 && momentum < 1, "Sgd: momentum must be in [0, 1), got %s", momentum);
        checkArgument(!nesterov || momentum > 0, "Sgd: Nesterov's variant needs a momentum");
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    /**
     * Plain gradient descent: w ← w − η·g.
     *
     * @param parameters what to update
     * @param learningRate η at each step
     * @return the optimizer
     */
    public static Sgd plain(List<Parameter> parameters, LearningRate learningRate) {
        return new Sgd(parameters, learningRate, 0, false);
    }

    /**
     * With momentum: v ← μv + g, w ← w − η·v.
     *
     * @param parameters what to update
     * @param learningRate η at each step
     * @param momentum μ in [0, 1), 0.9 typically
     * @return the optimizer
     */
    public static Sgd momentum(List<Parameter> parameters, LearningRate learningRate, double momentum) {
        return new Sgd(parameters, learningRate, momentum, false);
    }

    /**
     * Nesterov momentum: v ← μv + g, w ← w − η·(g + μv).
     *
     * @param parameters what to update
     * @param learningRate η at each step
     * @param momentum μ in (0, 1)
     * @return the optimizer
     */
    public static Sgd nesterov(List<Parameter> parameters, LearningRate learningRate, double momentum) {
        return new Sgd(parameters, learningRate, momentum, true);
    }

    @Override
    protected double[][] newState(Tensor w) {
        return momentum == 0 ? new double[0][] : new double[][] {new double[w.size()]}; // v, only with momentum
    }

    @Override
    protected void update(double[] w, double[] g, double[][] state, double rate, int t) {
        overElements(w.length, (from, to) -> {
            if (momentum == 0) {
                plainSteps(w, g, rate, from, to);
            } else {
                momentumSteps(w, g, state[0], rate, from, to);
            }
        });
    }

    /**
     * w ← w − η·g over [from, to), whole chunks and then the rest in loops of their own (see CHUNK), with the same
     * arithmetic: w + (−rate)·g rounds exactly as w − rate·g, negation being exact.
     */
    private static void plainSteps(double[] w, double[] g, double rate, int from, int to) {
        int whole = to - (to - from) % CHUNK;
        for (int c = from; c < whole; c += CHUNK) {
            for (int i = c; i < c + CHUNK; i++) {
                w[i] += -rate * g[i];
            }
        }
        for (int i = whole; i < to; i++) {
            w[i] += -rate * g[i];
        }
    }

    /** v ← μv + g, then w's step, over [from, to) as {@link #plainSteps}; g + momentum·v is v·momentum + g. */
    private void momentumSteps(double[] w, double[] g, double[] v, double rate, int from, int to) {
        int whole = to - (to - from) % CHUNK;
        for (int c = from; c < whole; c += CHUNK) {
            for (int i = c; i < c + CHUNK; i++) {
                momentumStep(w, g, v, i, rate);
            }
        }
        for (int i = whole; i < to; i++) {
            momentumStep(w, g, v, i, rate);
        }
    }

    private void momentumStep(double[] w, double[] g, double[] v, int i, double rate) {
        double gi = g[i];
        v[i] = gi + momentum * v[i];
        w[i] += -rate * (nesterov ? gi + momentum * v[i] : v[i]);
    }
}
