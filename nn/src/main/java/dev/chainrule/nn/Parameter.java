package dev.chainrule.nn;

import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.autodiff.Variable;

/**
 * A trainable tensor of a module, with its hierarchical name ({@code layer1.W}) and its role: a weight, which L2
 * regularization penalizes, or a bias, which it does not.
 *
 * @param name the name, each module's name in the hierarchy joined by dots
 * @param variable the variable itself, updated in place by optimizers ({@link Variable#assign})
 * @param role weight or bias
 */
public record Parameter(String name, Variable variable, Role role) {
    /** What a parameter is for, which decides whether regularization penalizes it. */
    public enum Role {
        /** A weight: multiplies its input, and is penalized by L2 regularization. */
        WEIGHT,
        /** A bias: added to its input, and not penalized (the course's Θ₀ terms). */
        BIAS
    }

    /**
     * @param name the name, each module's name in the hierarchy joined by dots
     * @param variable the variable itself
     * @param role weight or bias
     */
    public Parameter {
        checkNotNull(name, "Parameter: name is null");
        checkNotNull(variable, "Parameter: variable is null");
        checkNotNull(role, "Parameter: role is null");
    }

    /**
     * @return whether L2 regularization penalizes this parameter
     */
    public boolean isWeight() {
        return role == Role.WEIGHT;
    }
}
