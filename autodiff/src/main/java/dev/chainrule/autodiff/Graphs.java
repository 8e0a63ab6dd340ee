package dev.chainrule.autodiff;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Walks the recorded graph behind a variable, without recursion, as the engine does. Every list returned is new
 * and belongs to the caller. Walk a graph before a backward that frees it: a freed node's inputs are gone.
 */
public final class Graphs {
    private Graphs() {}

    /**
     * Every node behind {@code y}, each once, starting with y's creator, then depth first.
     *
     * @param y a value in a graph, not null
     * @return the recorded nodes; empty for a leaf or a value computed without recording
     * @throws IllegalStateException if a node was freed by a backward without
     *     {@link BackwardOptions#retainGraph()}
     */
    public static List<Function> nodes(Variable y) {
        List<Function> nodes = new ArrayList<>();
        Set<Function> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Variable> stack = new ArrayDeque<>();
        stack.push(checkNotNull(y, "Graphs.nodes: y is null"));
        while (!stack.isEmpty()) {
            Function node = stack.pop().creator();
            if (node != null && seen.add(node)) {
                nodes.add(node);
                for (int i = 0; i < node.inputCount(); i++) {
                    stack.push(node.input(i));
                }
            }
        }
        return nodes;
    }

    /**
     * Every leaf behind {@code y} (parameters, constants, data), each once, in the order found; {@code y} itself
     * when it is a leaf.
     *
     * @param y a value in a graph, not null
     * @return the leaves, in a new list the caller owns
     * @throws IllegalStateException if a node was freed by a backward without
     *     {@link BackwardOptions#retainGraph()}
     */
    public static List<Variable> leaves(Variable y) {
        Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Variable> leaves = new ArrayList<>();
        if (checkNotNull(y, "Graphs.leaves: y is null").isLeaf()) {
            leaves.add(y);
        }
        for (Function node : nodes(y)) {
            for (int i = 0; i < node.inputCount(); i++) {
                Variable x = node.input(i);
                if (x.isLeaf() && seen.add(x)) {
                    leaves.add(x);
                }
            }
        }
        return leaves;
    }

    /**
     * The nodes behind {@code y} in forward order: each after the nodes that produced its inputs.
     *
     * @param y a value in a graph, not null
     * @return the nodes of {@link #nodes}, sorted so that y's creator comes last
     * @throws IllegalStateException if a node was freed by a backward without
     *     {@link BackwardOptions#retainGraph()}
     */
    public static List<Function> nodesInForwardOrder(Variable y) {
        List<Function> nodes = nodes(checkNotNull(y, "Graphs.nodesInForwardOrder: y is null"));
        nodes.sort(Comparator.comparingInt(Function::generation));
        return nodes;
    }

    /**
     * The inputs of a recorded node, for tools that draw or trace the graph.
     *
     * @param node a recorded node, such as {@link Variable#creator()} returns; not null
     * @return its inputs, in the order it was applied to them
     * @throws IllegalStateException if the node was not recorded, or was freed by a backward without
     *     {@link BackwardOptions#retainGraph()}
     */
    public static List<Variable> inputs(Function node) {
        List<Variable> inputs = new ArrayList<>(checkNotNull(node, "Graphs.inputs: node is null").inputCount());
        for (int i = 0; i < node.inputCount(); i++) {
            inputs.add(node.input(i));
        }
        return inputs;
    }
}
