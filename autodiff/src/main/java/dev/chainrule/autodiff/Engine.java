package dev.chainrule.autodiff;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.core.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Reverse mode: visits the nodes behind an output in order of decreasing generation, so that every node sees
 * the full gradient of its output (summed over all consumers) before it runs. Iterative, so graph depth is
 * bounded by memory, not by the call stack. Nodes stay naive: the engine checks that each returns one gradient
 * per input, shaped like that input.
 */
final class Engine {
    /** Decreasing generation: a node runs only after every node that consumes its output. */
    private static final Comparator<Function> LATEST_FIRST = Comparator.comparingInt(Function::generation).reversed();

    private Engine() {}

    /** Accumulates d(root)/d(leaf) into every leaf that requires a gradient. */
    static void backward(Variable root, BackwardOptions options) {
        checkNotNull(options, "backward: options is null");
        Pending grads = new Pending();
        try {
            propagate(root, options, null, grads);
            try (GradMode.Scope ignored = GradMode.set(options.createGraph)) {
                grads.forEach((leaf, g) -> {
                    if (leaf.isLeaf() && leaf.requiresGrad()) {
                        leaf.accumulateGrad(plainUnlessGraph(g, options));
                    }
                });
            }
        } finally {
            grads.clear();
        }
    }

    /**
     * d(output)/d(input) for each input, leaving .grad untouched; zeros for an input the output does not depend
     * on when the options allow unused inputs, an error otherwise.
     */
    static Variable[] grad(Variable output, Variable[] inputs, BackwardOptions options) {
        checkNotNull(options, "Gradients.of: options is null");
        checkNotNull(output, "Gradients.of: output is null");
        checkNotNull(inputs, "Gradients.of: inputs is null");
        Set<Variable> targets = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < inputs.length; i++) {
            targets.add(checkNotNull(inputs[i], "Gradients.of: input %s is null", i));
        }
        Pending grads = new Pending();
        try {
            propagate(output, options, targets, grads);
            Variable[] result = new Variable[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                Variable g = grads.get(inputs[i]);
                if (g == null) {
                    checkArgument(options.allowUnused, "Gradients.of: %s does not depend on input %s (%s)%s; pass "
                            + "BackwardOptions.defaults().allowUnused() to get zeros for it", output, i, inputs[i],
                            inputs[i].requiresGrad() ? "" : ", which requires no gradient");
                    g = Variable.constant(Tensor.zeros(inputs[i].shape()));
                }
                result[i] = plainUnlessGraph(g, options);
            }
            return result;
        } finally {
            grads.clear();
        }
    }

    /** Marks a gradient that is a plain value, so that an attempt to differentiate it can say why it fails. */
    private static Variable plainUnlessGraph(Variable g, BackwardOptions options) {
        if (!options.createGraph) {
            g.markFromGradientWithoutGraph();
        }
        return g;
    }

    /**
     * Runs the nodes, leaving in {@code grads} the gradients of the leaves reached and of the targets. With
     * targets, only the nodes above a target run, and they compute only the gradients that lead to one. Nodes
     * are released once all have run, so that a backward that fails part-way leaves the graph whole.
     */
    private static void propagate(Variable root, BackwardOptions options, Set<Variable> targets, Pending grads) {
        Map<Function, boolean[]> wanted = targets == null ? null : gradientsLeadingTo(targets, root);
        grads.add(root, Variable.constant(seed(root, options.seed)));
        PriorityQueue<Function> queue = new PriorityQueue<>(LATEST_FIRST);
        List<Function> queued = new ArrayList<>();
        // Leaf gradients may be written into the leaves' own elements only when nothing else sees them on the way
        boolean leafGradientsToGrad = targets == null && options.listener == null && !options.createGraph;
        try (GradMode.Scope ignored = GradMode.set(options.createGraph)) {
            enqueue(root, queue, queued, wanted);
            while (!queue.isEmpty()) {
                Function node = queue.poll();
                Variable out = node.output();
                Variable gy = targets != null && targets.contains(out) ? grads.get(out) : grads.take(out);
                Variable[] gxs = backward(node, gy, wanted == null ? null : wanted.get(node), leafGradientsToGrad);
                if (options.listener != null) {
                    options.listener.visited(node, gy, gxs);
                }
                for (int i = 0; i < gxs.length; i++) {
                    if (gxs[i] != null) {
                        Variable x = node.input(i);
                        grads.add(x, gxs[i]);
                        enqueue(x, queue, queued, wanted);
                    }
                }
            }
        } finally {
            queued.forEach(Function::unmarkQueued);
        }
        if (!options.retainGraph) {
            queued.forEach(Function::release);
        }
    }

    /**
     * The gradients a backward is passing on, each kept on its variable ({@link Variable#pendingGradient}) rather
     * than in a map: a map hashes every new variable it meets, and a tiny network's step paid for it (the 2-2-2
     * step 0.79 against 0.72 µs, XOR's 1.15 against 1.07). A variable that another backward on this thread holds
     * a gradient for (one started inside a node's backward or a listener) goes into a map of this one's own. The
     * owner clears its variables when it is done.
     */
    private static final class Pending {
        /** The variables whose fields hold this backward's gradients, in the order they got them. */
        private final List<Variable> held = new ArrayList<>();
        /** The gradients of variables whose fields another backward holds; made when first needed. */
        private Map<Variable, Variable> elsewhere;

        Variable get(Variable x) {
            if (x.pendingOwner == this) {
                return x.pendingGradient;
            }
            return elsewhere == null ? null : elsewhere.get(x);
        }

        /** Adds g to x's gradient, or makes it x's gradient. */
        void add(Variable x, Variable g) {
            Variable before = get(x);
            Variable sum = before == null ? g : Ops.add(before, g);
            if (x.pendingOwner == this) {
                x.pendingGradient = sum;
            } else if (x.pendingOwner == null) {
                x.pendingOwner = this;
                x.pendingGradient = sum;
                held.add(x);
            } else {
                if (elsewhere == null) {
                    elsewhere = new IdentityHashMap<>();
                }
                elsewhere.put(x, sum);
            }
        }

        /** x's gradient, which x no longer holds: its node is passing it on. */
        Variable take(Variable x) {
            Variable g = get(x);
            if (x.pendingOwner == this) {
                x.pendingGradient = null;
            } else if (elsewhere != null) {
                elsewhere.remove(x);
            }
            return g;
        }

        /** Each variable that holds a gradient, and the gradient: fields first, in the order they got them. */
        void forEach(BiConsumer<Variable, Variable> action) {
            for (Variable x : held) {
                if (x.pendingGradient != null) {
                    action.accept(x, x.pendingGradient);
                }
            }
            if (elsewhere != null) {
                elsewhere.forEach(action);
            }
        }

        /** Gives every field back. */
        void clear() {
            for (Variable x : held) {
                x.pendingOwner = null;
                x.pendingGradient = null;
            }
        }
    }

    /**
     * Runs one node's backward, limited to the wanted inputs, and checks the contract: one gradient per input,
     * null where the node need not compute one, otherwise shaped like that input.
     */
    private static Variable[] backward(Function node, Variable gy, boolean[] wantedInputs,
            boolean leafGradientsToGrad) {
        node.checkInputsUnchanged();
        node.want(wantedInputs);
        node.sendLeafGradientsToGrad(leafGradientsToGrad);
        try {
            int inputs = node.inputCount();
            boolean[] needed = new boolean[inputs]; // read before backward, whose code may freeze an input
            boolean any = false;
            for (int i = 0; i < inputs; i++) {
                needed[i] = node.needsGrad(i);
                any |= needed[i];
            }
            if (!any) { // every input was frozen after the forward pass: nothing to compute
                return new Variable[inputs];
            }
            Variable[] gxs = node.backward(gy);
            if (gxs == null || gxs.length != inputs) {
                String returned = gxs == null ? "null" : Messages.count(gxs.length, "gradient");
                throw new IllegalStateException(node + ": backward returned " + returned + " for "
                        + Messages.count(inputs, "input") + ": return one gradient per input");
            }
            for (int i = 0; i < inputs; i++) {
                Variable x = node.input(i);
                if (gxs[i] != null && !needed[i]) {
                    throw new IllegalStateException(node + ": backward returned a gradient for input " + i + " ("
                            + x + "), which needs none: return null where needsGrad(" + i + ") is false");
                }
                if (gxs[i] == null && needed[i]) {
                    throw new IllegalStateException(node + ": backward returned no gradient for input " + i + " ("
                            + x + "), which needs one: return a gradient (zeros if it is zero) where needsGrad("
                            + i + ") is true");
                }
                if (gxs[i] != null && !gxs[i].shape().equals(x.shape())) {
                    throw new IllegalStateException(node + ": backward returned a gradient of shape "
                            + gxs[i].shape() + " for input " + i + " (" + x + ")");
                }
            }
            return gxs;
        } finally {
            node.want(null);
            node.sendLeafGradientsToGrad(false);
        }
    }

    /**
     * Queues the creator of x once. The mark sits on the node rather than in a set of the engine's: a set of a
     * long chain's nodes is an array of megabytes, rebuilt as it grows, which the collector handles slowly.
     */
    private static void enqueue(Variable x, PriorityQueue<Function> queue, List<Function> queued,
            Map<Function, boolean[]> wanted) {
        Function creator = x.creator();
        if (creator != null && (wanted == null || wanted.containsKey(creator)) && creator.markQueued()) {
            queue.add(creator);
            queued.add(creator);
        }
    }

    /**
     * For each node from which a target can be reached through its inputs, which of its inputs lead to a
     * target. Nodes are visited from the leaves up (increasing generation), so each input's creator is settled
     * before the node that consumes it.
     */
    private static Map<Function, boolean[]> gradientsLeadingTo(Set<Variable> targets, Variable root) {
        Map<Function, boolean[]> wanted = new IdentityHashMap<>();
        for (Function node : Graphs.nodesInForwardOrder(root)) {
            boolean[] leads = new boolean[node.inputCount()];
            boolean any = false;
            for (int i = 0; i < leads.length; i++) {
                Variable x = node.input(i);
                leads[i] = targets.contains(x) || wanted.containsKey(x.creator());
                any |= leads[i];
            }
            if (any) {
                wanted.put(node, leads);
            }
        }
        return wanted;
    }

    private static Tensor seed(Variable root, Tensor seed) {
        checkNotNull(root, "backward: the output is null");
        checkArgument(!root.isFromGradientWithoutGraph(), "backward: %s is computed from a gradient that backward "
                + "made without createGraph(), a plain value that cannot be differentiated; compute that gradient "
                + "with BackwardOptions.defaults().createGraph()", root);
        checkArgument(root.requiresGrad(),
                "backward: %s does not require a gradient: it depends on no parameter, or was computed under no-grad", root);
        if (seed == null) {
            checkArgument(root.value().size() == 1,
                    "backward: %s is not a scalar; pass its gradient with BackwardOptions.seed", root);
            return Tensor.ones(root.shape());
        }
        checkArgument(seed.shape().equals(root.shape()),
                "backward: the seed gradient is %s but the output is %s: they must have the same shape", seed.shape(), root);
        return seed;
    }
}
