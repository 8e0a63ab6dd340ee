package dev.chainrule.autodiff;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Readable labels for variables: a variable's own name, else its node's kind (or {@code parameter},
 * {@code constant} for a leaf) numbered in the order first asked, like {@code Mul#3}. Asked in the same order,
 * the same graph gets the same labels, so traces and pictures are deterministic.
 */
final class Labels {
    private final Map<Variable, String> fallbacks = new IdentityHashMap<>();

    String of(Variable v) {
        if (v.name() != null) {
            return v.name();
        }
        return fallbacks.computeIfAbsent(v, unnamed -> kind(unnamed) + "#" + (fallbacks.size() + 1));
    }

    /** The label, followed by the shape unless the variable is a scalar: {@code h (4, 10)}, {@code E}. */
    String withShape(Variable v) {
        return withShape(of(v), v);
    }

    /** {@code label}, followed by v's shape unless v is a scalar. */
    static String withShape(String label, Variable v) {
        return v.value().size() == 1 ? label : label + " " + v.shape();
    }

    private static String kind(Variable v) {
        if (v.creator() != null) {
            return v.creator().kind();
        }
        return v.requiresGrad() ? "parameter" : "constant";
    }
}
