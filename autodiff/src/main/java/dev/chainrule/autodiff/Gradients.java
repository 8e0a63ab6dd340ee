package dev.chainrule.autodiff;

/**
 * Gradients of one output with respect to chosen variables, returned rather than accumulated into
 * {@link Variable#grad()}: the building block for second derivatives and Hessian-vector products.
 *
 * <pre>{@code
 * Variable[] g = Gradients.of(BackwardOptions.defaults().createGraph(), loss, w);  // dL/dw, a graph
 * Variable hv = Gradients.of(Ops.sum(Ops.mul(g[0], v)), w)[0];                    // H·v
 * }</pre>
 *
 * Only the nodes between the output and the chosen variables run, and each computes only the gradients that
 * lead to one of them.
 */
public final class Gradients {
    private Gradients() {}

    /**
     * d(output)/d(input) for each input of a scalar output, with the default options: the graph is freed
     * afterwards, and every input must be one the output depends on.
     *
     * @param output a scalar computed from the inputs, not null
     * @param inputs the variables to differentiate by, none null: leaves or intermediate values of the graph
     * @return a new array holding at index i the gradient for {@code inputs[i]}, of its shape, as a plain value
     * @throws IllegalArgumentException if the output requires no gradient or is not a scalar, or it does not
     *     depend on an input (a constant counts as one it does not depend on); see
     *     {@link #of(BackwardOptions, Variable, Variable...)} for the rest
     */
    public static Variable[] of(Variable output, Variable... inputs) {
        return of(BackwardOptions.defaults(), output, inputs);
    }

    /**
     * d(output)/d(input) for each input, with options: {@link BackwardOptions#createGraph()} to differentiate the
     * result again, {@link BackwardOptions#allowUnused()} for zeros instead of an error, a seed for an output
     * that is not a scalar. No variable's {@link Variable#grad()} changes.
     *
     * @param options how to run, not null
     * @param output the value to differentiate, not null
     * @param inputs the variables to differentiate by, none null: leaves or intermediate values of the graph
     * @return a new array holding at index i the gradient for {@code inputs[i]}, of its shape: a graph with
     *     create-graph, a plain value otherwise; zeros (a constant) for an input the output does not depend on
     *     when unused inputs are allowed
     * @throws NullPointerException if {@code options}, {@code output}, {@code inputs} or an input is null
     * @throws IllegalArgumentException if the output requires no gradient, is not a scalar and no seed is given,
     *     is not of the seed's shape, or was computed from a gradient made without create-graph; or if it does
     *     not depend on an input (or the input requires no gradient) and unused inputs are not allowed
     * @throws IllegalStateException if the graph was freed by an earlier backward without
     *     {@link BackwardOptions#retainGraph()}, or a node's backward broke its contract ({@link Function#backward})
     */
    public static Variable[] of(BackwardOptions options, Variable output, Variable... inputs) {
        return Engine.grad(output, inputs, options);
    }
}
