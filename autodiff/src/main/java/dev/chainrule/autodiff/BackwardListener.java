package dev.chainrule.autodiff;

/**
 * Sees every node backward visits, in the order visited: the upstream gradient that reached its output and the
 * gradients it produced for its inputs (null where an input needs none). Traces and NaN detectors are listeners.
 */
@FunctionalInterface
public interface BackwardListener {
    /**
     * Called once per node, after its backward has returned and passed the engine's checks, before its gradients
     * are passed on. An exception thrown here stops backward and reaches its caller; the graph is left whole and
     * no {@link Variable#grad()} changes.
     *
     * @param node the node just run; its inputs are at {@link Graphs#inputs}
     * @param gy the gradient that reached the node's output, of the output's shape
     * @param gxs what the node's backward returned, one entry per input, null where an input needs none; the
     *     engine's own array, to read and not to change
     */
    void visited(Function node, Variable gy, Variable[] gxs);
}
