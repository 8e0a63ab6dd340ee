package dev.chainrule.autodiff;

import static com.google.common.base.Preconditions.checkArgument;

import dev.chainrule.core.Tensor;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Reverse mode: visits the nodes behind an output in order of decreasing generation, so that every node sees
 * the full gradient of its output (summed over all consumers) before it runs. Iterative, so graph depth is
 * bounded by memory, not by the call stack. Nodes stay naive: the engine checks that each returns one gradient
 * per input, shaped like that input.
 */
final class Engine {
    private Engine() {}

    /** Accumulates d(root)/d(leaf) into every leaf that requires a gradient. */
    static void backward(Variable root, BackwardOptions options) {
        Map<Variable, Variable> leafGrads = propagate(root, options, Collections.emptySet());
        try (GradMode.Scope ignored = GradMode.set(options.createGraph)) {
            leafGrads.forEach((leaf, g) -> {
                if (leaf.isLeaf() && leaf.requiresGrad()) {
                    leaf.accumulateGrad(g);
                }
            });
        }
    }

    /** d(output)/d(input) for each input (null where output does not depend on it), leaving .grad untouched. */
    static Variable[] grad(Variable output, Variable[] inputs, BackwardOptions options) {
        Set<Variable> targets = Collections.newSetFromMap(new IdentityHashMap<>());
        Collections.addAll(targets, inputs);
        Map<Variable, Variable> grads = propagate(output, options, targets);
        Variable[] result = new Variable[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            result[i] = grads.get(inputs[i]);
        }
        return result;
    }

    /** Runs the nodes; returns the gradients of the leaves reached and of the variables in {@code keep}. */
    private static Map<Variable, Variable> propagate(Variable root, BackwardOptions options, Set<Variable> keep) {
        Map<Variable, Variable> grads = new IdentityHashMap<>();
        grads.put(root, Variable.constant(seed(root, options.seed)));
        PriorityQueue<Function> queue = new PriorityQueue<>(Comparator.comparingInt(Function::generation).reversed());
        Set<Function> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        enqueue(root, queue, seen);
        try (GradMode.Scope ignored = GradMode.set(options.createGraph)) {
            while (!queue.isEmpty()) {
                Function node = queue.poll();
                Variable out = node.output();
                Variable gy = keep.contains(out) ? grads.get(out) : grads.remove(out);
                Variable[] gxs = node.backward(gy);
                checkArgument(gxs.length == node.inputCount(), "%s: backward returned %s gradients for %s inputs",
                        node, gxs.length, node.inputCount());
                if (options.listener != null) {
                    options.listener.visited(node, gy, gxs);
                }
                for (int i = 0; i < gxs.length; i++) {
                    Variable x = node.input(i);
                    if (x.requiresGrad() && gxs[i] != null) {
                        checkArgument(gxs[i].shape().equals(x.shape()),
                                "%s: backward returned a gradient of shape %s for input %s (%s)",
                                node, gxs[i].shape(), i, x);
                        grads.merge(x, gxs[i], Ops::add);
                        enqueue(x, queue, seen);
                    }
                }
                if (!options.retainGraph) {
                    node.release();
                }
            }
        }
        return grads;
    }

    private static void enqueue(Variable x, PriorityQueue<Function> queue, Set<Function> seen) {
        Function creator = x.creator();
        if (creator != null && seen.add(creator)) {
            queue.add(creator);
        }
    }

    private static Tensor seed(Variable root, Tensor seed) {
        checkArgument(root.requiresGrad(),
                "backward: %s does not require a gradient: it depends on no parameter, or was computed under no-grad", root);
        if (seed == null) {
            checkArgument(root.value().size() == 1,
                    "backward: %s is not a scalar; pass its gradient with BackwardOptions.seed", root);
            return Tensor.ones(root.shape());
        }
        checkArgument(seed.shape().equals(root.shape()), "backward: seed gradient %s does not match output %s",
                seed.shape(), root);
        return seed;
    }
}
