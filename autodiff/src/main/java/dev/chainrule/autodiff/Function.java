package dev.chainrule.autodiff;

import dev.chainrule.core.Tensor;
import java.util.Arrays;

/**
 * A node of the graph: one local forward and its local backward. Subclass it for a node of your own, and check
 * it with {@link GradCheck}. A node is applied once; {@link #apply} computes the output and, when recording,
 * keeps the inputs and the output for backward.
 *
 * <p>Backward is written with {@link Ops}, so that with create-graph the gradient is itself a graph. It returns
 * one gradient per input, shaped like that input, or null for an input that needs none; the engine checks this.
 */
public abstract class Function {
    private Variable[] inputs;
    private Variable output;
    private int generation;
    private boolean applied;
    /** Set by the engine while it asks for some inputs' gradients only; null means every input that requires one. */
    private boolean[] wanted;

    /** Computes the output from the input values. Must not change its arguments. */
    protected abstract Tensor forward(Tensor... xs);

    /** Given dL/d(output), returns dL/d(input) for every input (null where {@link #needsGrad} is false). */
    protected abstract Variable[] backward(Variable gy);

    /** Applies this node to its inputs, recording it if gradients are enabled and any input requires one. */
    public final Variable apply(Variable... xs) {
        if (applied) {
            throw new IllegalStateException(label(xs) + ": a node is applied once; create a new one");
        }
        applied = true;
        Tensor[] values = new Tensor[xs.length];
        boolean record = false;
        for (int i = 0; i < xs.length; i++) {
            if (xs[i] == null) {
                throw new NullPointerException(label(xs) + ": input " + i + " is null");
            }
            values[i] = xs[i].value();
            record |= xs[i].requiresGrad();
        }
        Tensor y;
        try {
            y = forward(values);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) { // bad shapes, or too few inputs
            throw new IllegalArgumentException(label(xs) + ": " + e.getMessage(), e);
        }
        record &= GradMode.isEnabled();
        Variable out = new Variable(y, record);
        if (record) {
            inputs = xs.clone(); // the caller may reuse its array
            output = out;
            for (Variable x : xs) {
                generation = Math.max(generation, x.generation());
            }
            out.setCreator(this);
        } else if (Arrays.stream(xs).anyMatch(Variable::isFromGradientWithoutGraph)) {
            out.markFromGradientWithoutGraph(); // so that differentiating it says why it cannot be
        }
        return out;
    }

    /** The i-th input, as recorded. */
    protected final Variable input(int i) {
        checkNotReleased();
        return inputs[i];
    }

    /** The output, for nodes whose derivative is a function of it (σ′ = y(1 − y)). */
    protected final Variable output() {
        checkNotReleased();
        return output;
    }

    /** Whether backward must compute the gradient of the i-th input. */
    protected final boolean needsGrad(int i) {
        return input(i).requiresGrad() && (wanted == null || wanted[i]);
    }

    /** Limits {@link #needsGrad} to the marked inputs, or lifts the limit with null. */
    void want(boolean[] inputsWanted) {
        this.wanted = inputsWanted;
    }

    /** Packs gradients for return from backward. */
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

    /** Drops the inputs, so that the graph below can be collected; the output stays for the node's name. */
    void release() {
        inputs = null;
    }

    /** Only recorded nodes reach backward, so a node without inputs here is one that was released. */
    private void checkNotReleased() {
        if (inputs == null) {
            throw new IllegalStateException(this + ": its graph was freed by an earlier backward; "
                    + "use BackwardOptions.defaults().retainGraph() to backpropagate through it again");
        }
    }

    /** The node's kind, with its output's name when it has one: {@code Affine} or {@code Affine → h1}. */
    @Override
    public String toString() {
        String kind = getClass().getSimpleName();
        return output == null || output.name() == null ? kind : kind + " → " + output.name();
    }

    /** The kind and its inputs, e.g. {@code Affine(x (32, 100), layer2.W (128, 10), layer2.b (10))}. */
    String label(Variable... xs) {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('(');
        for (int i = 0; i < xs.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(xs[i]);
        }
        return sb.append(')').toString();
    }
}
