package dev.chainrule.autodiff;

import dev.chainrule.core.Tensor;
import java.util.Arrays;
import java.util.Optional;

/**
 * Traces NaN and infinity to the node that produced them: in the forward pass with {@link #origin}, in the
 * backward pass with the {@link #detector()} listener.
 */
public final class NonFinite {
    private NonFinite() {}

    /**
     * The earliest node behind {@code y} whose output holds NaN or infinity although all of its inputs are
     * finite, described with its inputs and the first bad element; empty when every value is finite or the
     * non-finite values come from a leaf.
     */
    public static Optional<String> origin(Variable y) {
        return Graphs.nodesInForwardOrder(y).stream()
                .filter(node -> firstNonFinite(node.output().value()) >= 0)
                .filter(node -> Graphs.inputs(node).stream().allMatch(x -> firstNonFinite(x.value()) < 0))
                .findFirst()
                .map(node -> node + " produced " + describe(node.output().value()) + " from finite inputs "
                        + Graphs.inputs(node));
    }

    /**
     * A backward listener that stops backward with an {@link ArithmeticException} at the first node whose
     * gradient for an input holds NaN or infinity while the gradient it received was finite.
     */
    public static BackwardListener detector() {
        return (node, gy, gxs) -> {
            if (firstNonFinite(gy.value()) >= 0) {
                return; // already reported where it arose
            }
            for (int i = 0; i < gxs.length; i++) {
                if (gxs[i] != null && firstNonFinite(gxs[i].value()) >= 0) {
                    throw new ArithmeticException(node + ": backward produced " + describe(gxs[i].value())
                            + " in the gradient for input " + i + " (" + Graphs.inputs(node).get(i)
                            + ") from a finite upstream gradient");
                }
            }
        };
    }

    /** Row-major position of the first NaN or infinite element, or −1. */
    private static int firstNonFinite(Tensor t) {
        for (int i = 0; i < t.size(); i++) {
            if (!Double.isFinite(t.getFlat(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Like {@code NaN at [1, 0] of (3, 2)}. */
    private static String describe(Tensor t) {
        int position = firstNonFinite(t);
        return t.getFlat(position) + " at " + Arrays.toString(t.shape().unravel(position)) + " of " + t.shape();
    }
}
