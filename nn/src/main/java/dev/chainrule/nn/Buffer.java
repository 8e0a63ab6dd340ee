package dev.chainrule.nn;

import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.autodiff.Variable;

/**
 * A module's non-trainable state, saved with its parameters: a constant such as a standardization's μ and σ, with
 * its hierarchical name ({@code layer1.mean}). No optimizer updates it, no gradient reaches it, and
 * {@link Module#freeze()} and {@link Module#unfreeze()} leave it alone; only loading a model file assigns it.
 *
 * @param name the name, each module's name in the hierarchy joined by dots
 * @param variable the variable itself, a constant that requires no gradient
 */
public record Buffer(String name, Variable variable) {
    /**
     * @param name the name, each module's name in the hierarchy joined by dots
     * @param variable the variable itself
     */
    public Buffer {
        checkNotNull(name, "Buffer: name is null");
        checkNotNull(variable, "Buffer: variable is null");
    }
}
