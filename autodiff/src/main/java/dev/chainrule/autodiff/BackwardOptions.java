package dev.chainrule.autodiff;

import dev.chainrule.core.Tensor;

/**
 * How backward runs. Immutable; each method returns a changed copy:
 * {@code BackwardOptions.defaults().createGraph().listener(trace)}.
 */
public final class BackwardOptions {
    private static final BackwardOptions DEFAULTS = new BackwardOptions(null, false, false, false, null);

    final Tensor seed;
    final boolean retainGraph;
    final boolean createGraph;
    final boolean allowUnused;
    final BackwardListener listener;

    private BackwardOptions(Tensor seed, boolean retainGraph, boolean createGraph, boolean allowUnused,
            BackwardListener listener) {
        this.seed = seed;
        this.retainGraph = retainGraph;
        this.createGraph = createGraph;
        this.allowUnused = allowUnused;
        this.listener = listener;
    }

    /**
     * A scalar output seeded with 1, the graph freed afterwards, gradients that are plain values, and every
     * variable asked of {@link Gradients#of} used by the output.
     *
     * @return the default options
     */
    public static BackwardOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Starts from this gradient of the output instead of 1; required when the output is not a scalar.
     *
     * @param gradient dL/d(output), of exactly the output's shape (a shape that merely broadcasts to it is
     *     refused); null for the default
     * @return the changed options
     */
    public BackwardOptions seed(Tensor gradient) {
        return new BackwardOptions(gradient, retainGraph, createGraph, allowUnused, listener);
    }

    /**
     * Keeps the graph after backward, so that it can be backpropagated again.
     *
     * @return the changed options
     */
    public BackwardOptions retainGraph() {
        return new BackwardOptions(seed, true, createGraph, allowUnused, listener);
    }

    /**
     * Records backward itself, so that gradients are graphs that can be differentiated again (second
     * derivatives, Hessian-vector products). Implies {@link #retainGraph()}.
     *
     * @return the changed options
     */
    public BackwardOptions createGraph() {
        return new BackwardOptions(seed, true, true, allowUnused, listener);
    }

    /**
     * Lets {@link Gradients#of} be asked for variables that the output does not depend on: their gradient is
     * zero (a constant of their shape) instead of an error.
     *
     * @return the changed options
     */
    public BackwardOptions allowUnused() {
        return new BackwardOptions(seed, retainGraph, createGraph, true, listener);
    }

    /**
     * Reports every node visited to {@code l}.
     *
     * @param l the listener, or null for none
     * @return the changed options
     */
    public BackwardOptions listener(BackwardListener l) {
        return new BackwardOptions(seed, retainGraph, createGraph, allowUnused, l);
    }
}
