package dev.chainrule.autodiff;

import dev.chainrule.core.Tensor;
import dev.chainrule.core.WritableTensor;

/**
 * A node of the graph: one local forward and its local backward. Subclass it for a node of your own, and check
 * it with {@link GradCheck}:
 *
 * <pre>{@code
 * // y = x³.  dx = dy · 3x².
 * final class Cube extends Function {
 *     @Override protected Tensor forward(Tensor... xs) { return xs[0].pow(3); }
 *
 *     @Override protected Variable[] backward(Variable gy) {
 *         return grads(gy.mul(Ops.pow(input(0), 2).mul(3)));
 *     }
 * }
 * Variable y = new Cube().apply(x);
 * }</pre>
 *
 * <p>A node is applied once; {@link #apply} computes the output and, when recording, keeps the inputs and the
 * output for backward. The node then belongs to the graph, and to its thread, like the variables in it; a
 * backward without {@link BackwardOptions#retainGraph()} frees its inputs.
 *
 * <p>Backward is written with {@link Ops}, so that with create-graph the gradient is itself a graph. It returns
 * one gradient per input, shaped like that input, or null for an input that needs none; the engine checks this.
 * In a plain backward ({@link GradMode#isEnabled()} is false there), a node may instead compute its gradients on
 * the tensors with a fused kernel, as Sigmoid and SoftmaxCrossEntropy do, provided both paths give the same
 * values: the ops remain the oracle, and second-order checks run them.
 */
public abstract class Function {
    private Variable[] inputs;
    /** Each input's {@link Variable#version()} when this node was applied, to detect a stale graph. */
    private int[] inputVersions;
    private Variable output;
    private int generation;
    private boolean applied;
    /** Set by the engine while it asks for some inputs' gradients only; null means every input that requires one. */
    private boolean[] wanted;
    /** Set by the engine while this node waits in, or has passed through, the queue of the running backward. */
    private boolean queued;
    /** Whether this is one of chainrule's nodes, rather than a subclass of a user's, which may keep its inputs. */
    private final boolean ownNode = getClass().getPackageName().equals(Function.class.getPackageName());
    /** Set by the engine while it runs this node's backward: each leaf input's gradient goes into its grad(). */
    private boolean leafGradientsToGrad;

    /** For subclasses: a node not yet applied. */
    public Function() {}

    /**
     * Computes the output from the input values; called once, by {@link #apply}. Tensors are immutable, so the
     * inputs cannot be changed, and the result may be one of them.
     *
     * @param xs the inputs' values, in the order given to {@link #apply}, none null; as many as the caller
     *     passed, which may be fewer than the node reads (an {@link IndexOutOfBoundsException} is then reported
     *     as an {@link IllegalArgumentException} naming the node)
     * @return the output's value, not null
     * @throws IllegalArgumentException if the inputs' shapes do not fit the node; {@link #apply} rethrows it with
     *     the node and its inputs named, so the message need only say what is wrong, e.g. {@code x is (2, 3) but W
     *     is (4, 5): x's columns must equal W's rows}
     */
    protected abstract Tensor forward(Tensor... xs);

    /**
     * The local chain rule: given dL/d(output), returns dL/d(input) for every input. Called by the engine, at
     * most once per backward, once the gradients from every consumer of the output are summed into {@code gy}; not
     * at all when no input needs a gradient (every one frozen after the forward pass).
     *
     * <p>The contract, which the engine checks, throwing an {@link IllegalStateException} that names the node:
     * <ul>
     *   <li>an array, not null, with exactly one entry per input, in the order of {@link #apply}'s arguments;</li>
     *   <li>null where {@link #needsGrad needsGrad(i)} is false: the engine refuses a gradient for an input that
     *       needs none (one that requires no gradient, or that leads to no variable {@link Gradients#of} was
     *       asked about);</li>
     *   <li>otherwise a gradient of exactly input i's shape: a shape that would merely broadcast to it is
     *       refused. A broadcasting node sums its gradient back, as {@link Ops#sumTo} does.</li>
     * </ul>
     * A null where {@code needsGrad(i)} is true is not refused, but means that no gradient flows to that input,
     * so return one there.
     *
     * <p>Compute the gradients with {@link Ops} and the {@link Variable} methods, from {@code gy},
     * {@link #input}, {@link #output} and constants, not from their tensors: under
     * {@link BackwardOptions#createGraph()} backward itself is recorded, and only what ops compute can be
     * differentiated again. A factor that is piecewise constant in the inputs may be a constant
     * ({@link Variable#constant(Tensor)}), as ReLU's 0/1 mask is. Returning {@code gy} itself, or one variable for
     * several inputs, is fine: the engine never changes a gradient in place.
     *
     * @param gy dL/d(output), of the output's shape, never null; with create-graph, itself a recorded graph
     * @return one gradient per input, as above; {@link #grads} packs them
     */
    protected abstract Variable[] backward(Variable gy);

    /**
     * Applies this node to its inputs: computes {@link #forward} of their values and, if gradients are enabled
     * on this thread ({@link GradMode}) and any input requires one, records this node as the output's creator,
     * keeping the inputs and the output for backward.
     *
     * @param xs the inputs, none null; the array is not kept (it is copied when recorded), so the caller may
     *     reuse it
     * @return a new variable holding the output; it requires a gradient exactly when this node was recorded
     * @throws IllegalStateException if this node was applied before: a node is applied once, so create a new one
     * @throws NullPointerException if an input is null, saying which
     * @throws IllegalArgumentException if forward refuses the inputs (bad shapes, or too few inputs), with the
     *     node and its inputs' names and shapes in the message
     */
    public final Variable apply(Variable... xs) {
        if (xs == null) {
            throw new NullPointerException(kind() + ": xs is null");
        }
        if (applied) {
            throw new IllegalStateException(label(xs) + ": a node is applied once; create a new one");
        }
        applied = true;
        Tensor[] values = new Tensor[xs.length];
        boolean record = false;
        boolean fromPlainGradient = false;
        for (int i = 0; i < xs.length; i++) {
            if (xs[i] == null) {
                throw new NullPointerException(label(xs) + ": input " + i + " is null");
            }
            // chainrule's own nodes keep a parameter's value only for backward, which checks its version first
            values[i] = ownNode ? xs[i].valueInGraph() : xs[i].value();
            record |= xs[i].requiresGrad();
            fromPlainGradient |= xs[i].isFromGradientWithoutGraph();
        }
        Tensor y;
        try {
            y = forward(values);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) { // bad shapes, or too few inputs
            throw new IllegalArgumentException(label(xs) + ": " + e.getMessage(), e);
        }
        for (Variable x : xs) {
            x.valueSharedBy(y); // an output that shares an input's elements (a reshape) gives them away
        }
        record = record && GradMode.isEnabled(); // a thread-local look-up, skipped for constants
        Variable out = new Variable(y, record);
        if (record) {
            inputs = xs.clone(); // the caller may reuse its array
            inputVersions = new int[xs.length];
            for (int i = 0; i < xs.length; i++) {
                inputVersions[i] = xs[i].version();
                generation = Math.max(generation, xs[i].generation());
            }
            output = out;
            out.setCreator(this);
        } else if (fromPlainGradient) {
            out.markFromGradientWithoutGraph(); // so that differentiating it says why it cannot be
        }
        return out;
    }

    /**
     * The i-th input, as recorded, for backward.
     *
     * @param i the input's index, in the order of {@link #apply}'s arguments
     * @return the variable itself, not a copy
     * @throws IllegalStateException if this node was not recorded, or its graph was freed by an earlier backward
     *     without {@link BackwardOptions#retainGraph()}
     * @throws ArrayIndexOutOfBoundsException if {@code i} is not in [0, number of inputs)
     */
    protected final Variable input(int i) {
        checkNotReleased();
        return inputs[i];
    }

    /**
     * The output, for nodes whose derivative is a function of it (σ′ = y(1 − y)).
     *
     * @return the variable {@link #apply} returned, not a copy
     * @throws IllegalStateException if this node was not recorded, or its graph was freed by an earlier backward
     */
    protected final Variable output() {
        checkNotReleased();
        return output;
    }

    /**
     * Whether backward must compute the gradient of the i-th input: it requires a gradient and, in
     * {@link Gradients#of}, leads to a variable asked about. Meaningful during backward only.
     *
     * @param i the input's index, in the order of {@link #apply}'s arguments
     * @return true if backward must return a gradient for input i; false if it must return null there
     * @throws IllegalStateException if this node was not recorded, or its graph was freed by an earlier backward
     * @throws ArrayIndexOutOfBoundsException if {@code i} is not in [0, number of inputs)
     */
    protected final boolean needsGrad(int i) {
        return input(i).requiresGrad() && (wanted == null || wanted[i]);
    }

    /** Limits {@link #needsGrad} to the marked inputs, or lifts the limit with null. */
    void want(boolean[] inputsWanted) {
        this.wanted = inputsWanted;
    }

    /** Set by the engine around {@link #backward}: whether leaf inputs' gradients go straight into their grad(). */
    void sendLeafGradientsToGrad(boolean toGrad) {
        this.leafGradientsToGrad = toGrad;
    }

    /**
     * Elements that the gradient of input i may be written into, which that leaf keeps from one backward to the
     * next: when input i is a parameter with no gradient yet, and its gradient goes straight into its grad() (a
     * backward without create-graph or a listener, not {@link Gradients#of}). Null otherwise: return a new tensor.
     */
    WritableTensor leafGradientStorage(int i) {
        return leafGradientsToGrad ? input(i).lendGradientStorage() : null;
    }

    /**
     * Packs gradients for return from backward: {@code return grads(gx, needsGrad(1) ? gw : null);}.
     *
     * @param gxs one gradient per input, in input order, null where {@link #needsGrad} is false
     * @return {@code gxs} itself
     */
    protected static Variable[] grads(Variable... gxs) {
        return gxs;
    }

    int inputCount() {
        checkNotReleased();
        return inputs.length;
    }

    int generation() {
        return generation;
    }

    /** Fails if an input was assigned a new value after this node used it: its saved values would be stale. */
    void checkInputsUnchanged() {
        for (int i = 0; i < inputCount(); i++) {
            if (inputs[i].version() != inputVersions[i]) {
                Variable x = inputs[i];
                throw new IllegalStateException((x.name() == null ? "input " + i + " " + x : x.toString())
                        + " was modified in place after the graph used it; recompute the forward pass (" + this
                        + " recorded version " + inputVersions[i] + ", it is now " + x.version() + ")");
            }
        }
    }

    /** Marks this node as queued by the running backward; false if it already was. */
    boolean markQueued() {
        boolean first = !queued;
        queued = true;
        return first;
    }

    void unmarkQueued() {
        queued = false;
    }

    /** Drops the inputs, so that the graph below can be collected; the output stays for the node's name. */
    void release() {
        inputs = null;
    }

    /** Only recorded nodes reach backward, so a node without inputs here is one that was released. */
    private void checkNotReleased() {
        if (output == null) {
            throw new IllegalStateException(this + ": it was not recorded (applied under no-grad, or to inputs that "
                    + "need no gradient), so it keeps no inputs and has no graph");
        }
        if (inputs == null) {
            throw new IllegalStateException(this + ": its graph was freed by an earlier backward; "
                    + "use BackwardOptions.defaults().retainGraph() to backpropagate through it again");
        }
    }

    /** The node's kind, with its output's name when it has one: {@code Affine} or {@code Affine → h1}. */
    @Override
    public String toString() {
        String kind = kind();
        return output == null || output.name() == null ? kind : kind + " → " + output.name();
    }

    /**
     * The node's kind, as messages, traces and pictures name it: its class's simple name, such as {@code Affine},
     * or for an anonymous class, which has none, the name it was compiled to, such as {@code MyTest$1}.
     */
    String kind() {
        String simple = getClass().getSimpleName();
        if (!simple.isEmpty()) {
            return simple;
        }
        String name = getClass().getName();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** The kind and its inputs, e.g. {@code Affine(x (32, 100), layer2.W (128, 10), layer2.b (10))}. */
    String label(Variable... xs) {
        StringBuilder sb = new StringBuilder(kind()).append('(');
        for (int i = 0; i < xs.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(xs[i]);
        }
        return sb.append(')').toString();
    }
}
