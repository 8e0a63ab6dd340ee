package dev.chainrule.autodiff;

import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.core.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Traces NaN and infinity to where they arose: the node that produced them from finite inputs, or the leaf
 * (input data or a parameter) that already held them. {@link #origin} looks at the forward pass, and the
 * {@link #detector()} listener stops backward at the first gradient that turns non-finite.
 */
public final class NonFinite {
    private NonFinite() {}

    /**
     * Where the NaN or infinity behind {@code y} arose: a leaf that holds one, such as
     * {@code leaf x (2, 3) holds NaN at [0, 1]}, else the earliest node whose output holds one although all of
     * its inputs are finite, such as {@code Log → h produced NaN at [1] of (3) from finite inputs [x (3)]}. Call
     * it before backward, which frees the graph.
     *
     * @param y a value, usually a loss that turned out NaN or infinite
     * @return the description, or empty when every value behind {@code y} is finite
     */
    public static Optional<String> origin(Variable y) {
        checkNotNull(y, "NonFinite.origin: y is null");
        Optional<String> leaf = Graphs.leaves(y).stream()
                .filter(x -> firstNonFinite(x.value()) >= 0)
                .findFirst()
                .map(x -> "leaf " + x + " holds " + describe(x.value()));
        if (leaf.isPresent()) {
            return leaf;
        }
        // Leaves are all finite here, and nodes come in forward order: the first node with a non-finite output
        // therefore has finite inputs, and is where the NaN or infinity arose.
        return Graphs.nodesInForwardOrder(y).stream()
                .filter(node -> firstNonFinite(node.output().value()) >= 0)
                .findFirst()
                .map(node -> node + " produced " + describe(node.output().value()) + " from finite inputs "
                        + Graphs.inputs(node));
    }

    /**
     * A backward listener that stops backward with an {@link ArithmeticException} at the first node whose
     * gradient for an input holds NaN or infinity, or that receives one (from a non-finite seed, or from finite
     * gradients whose sum overflowed). When one of the node's inputs already held NaN or infinity in the forward
     * pass, the message starts with where that arose (as {@link #origin} finds it) rather than blaming the node
     * that merely met it.
     *
     * @return the listener, to pass to {@link BackwardOptions#listener}
     */
    public static BackwardListener detector() {
        return (node, gy, gxs) -> {
            if (firstNonFinite(gy.value()) >= 0) { // the detector stops at the first one produced, so not by a node
                throw new ArithmeticException(node + ": the gradient arriving at it holds " + describe(gy.value())
                        + ": the seed is not finite, or finite gradients summed over its consumers overflowed");
            }
            for (int i = 0; i < gxs.length; i++) {
                if (gxs[i] != null && firstNonFinite(gxs[i].value()) >= 0) {
                    throw new ArithmeticException(explain(node, i, gxs[i].value()));
                }
            }
        };
    }

    private static String explain(Function node, int input, Tensor gradient) {
        List<Variable> inputs = Graphs.inputs(node);
        String produced = describe(gradient) + " in the gradient for input " + input + " (" + inputs.get(input) + ")";
        for (int i = 0; i < inputs.size(); i++) {
            Optional<String> origin = origin(inputs.get(i));
            if (origin.isPresent()) {
                return origin.get() + " in the forward pass; backward then met it in " + node + ", which produced "
                        + produced;
            }
        }
        return node + ": backward produced " + produced + " from a finite upstream gradient and finite inputs";
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
