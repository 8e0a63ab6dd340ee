package dev.chainrule.autodiff;

/**
 * Sees every node backward visits, in the order visited: the upstream gradient that reached its output and the
 * gradients it produced for its inputs (null where an input needs none). Traces and NaN detectors are listeners.
 */
@FunctionalInterface
public interface BackwardListener {
    void visited(Function node, Variable gy, Variable[] gxs);
}
