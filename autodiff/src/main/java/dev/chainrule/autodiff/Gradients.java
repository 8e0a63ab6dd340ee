package dev.chainrule.autodiff;

/**
 * Gradients of one output with respect to chosen variables, returned rather than accumulated into
 * {@link Variable#grad()}: the building block for second derivatives and Hessian-vector products.
 */
public final class Gradients {
    private Gradients() {}

    /** d(output)/d(input) for each input; null for an input the output does not depend on. */
    public static Variable[] of(Variable output, Variable... inputs) {
        return of(BackwardOptions.defaults(), output, inputs);
    }

    /** As {@link #of(Variable, Variable...)}, with options (use createGraph() to differentiate the result). */
    public static Variable[] of(BackwardOptions options, Variable output, Variable... inputs) {
        return Engine.grad(output, inputs, options);
    }
}
