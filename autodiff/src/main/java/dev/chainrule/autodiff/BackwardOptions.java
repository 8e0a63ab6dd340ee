package dev.chainrule.autodiff;

import dev.chainrule.core.Tensor;

/**
 * How backward runs. Immutable; each method returns a changed copy:
 * {@code BackwardOptions.defaults().createGraph().listener(trace)}.
 */
public final class BackwardOptions {
    private static final BackwardOptions DEFAULTS = new BackwardOptions(null, false, false, null);

    final Tensor seed;
    final boolean retainGraph;
    final boolean createGraph;
    final BackwardListener listener;

    private BackwardOptions(Tensor seed, boolean retainGraph, boolean createGraph, BackwardListener listener) {
        this.seed = seed;
        this.retainGraph = retainGraph;
        this.createGraph = createGraph;
        this.listener = listener;
    }

    /** A scalar output seeded with 1, the graph freed afterwards, gradients that are plain values. */
    public static BackwardOptions defaults() {
        return DEFAULTS;
    }

    /** Starts from this gradient of the output instead of 1; required when the output is not a scalar. */
    public BackwardOptions seed(Tensor gradient) {
        return new BackwardOptions(gradient, retainGraph, createGraph, listener);
    }

    /** Keeps the graph after backward, so that it can be backpropagated again. */
    public BackwardOptions retainGraph() {
        return new BackwardOptions(seed, true, createGraph, listener);
    }

    /**
     * Records backward itself, so that gradients are graphs that can be differentiated again (second
     * derivatives, Hessian-vector products). Implies {@link #retainGraph()}.
     */
    public BackwardOptions createGraph() {
        return new BackwardOptions(seed, true, true, listener);
    }

    /** Reports every node visited to {@code l}. */
    public BackwardOptions listener(BackwardListener l) {
        return new BackwardOptions(seed, retainGraph, createGraph, l);
    }
}
