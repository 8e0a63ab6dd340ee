package dev.chainrule.autodiff;

import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.core.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The recorded graph behind a variable as a picture: text in Graphviz's DOT language, to render with
 * {@code dot -Tsvg graph.dot -o graph.svg}. Nodes are ellipses labelled with their kind and output; variables
 * are boxes with their label, value and, where known, gradient: parameters filled, constants dashed,
 * computed values rounded. It walks the graph as {@link Graphs} does, so the same graph always gives the same
 * text. Draw before a backward that frees the graph, or after one run with
 * {@link BackwardOptions#retainGraph()}.
 */
public final class GraphDot {
    private GraphDot() {}

    /**
     * The graph behind {@code output}, with the gradients that variables hold ({@link Variable#hasGrad()}).
     *
     * @param output the variable to draw the graph of, not null; a leaf draws as a lone box
     * @return the DOT text, a {@code digraph} ending in a newline
     * @throws IllegalStateException if the graph was freed by a backward without
     *     {@link BackwardOptions#retainGraph()}
     */
    public static String of(Variable output) {
        return of(output, null);
    }

    /**
     * The graph behind {@code output}, with gradients from a traced pass for the variables that hold none: the
     * computed values, whose gradients the engine does not keep.
     *
     * @param output the variable to draw the graph of, not null
     * @param trace a trace of a backward pass through this graph, or null to show held gradients only
     * @return the DOT text
     * @throws IllegalStateException if the graph was freed by a backward without
     *     {@link BackwardOptions#retainGraph()}
     */
    public static String of(Variable output, BackwardTrace trace) {
        checkNotNull(output, "GraphDot.of: output is null");
        return new Drawing(trace).draw(output);
    }

    /** One drawing: ids and labels handed out in the order met, so that the text is deterministic. */
    private static final class Drawing {
        private final BackwardTrace trace;
        private final Labels labels = new Labels();
        private final Map<Variable, String> ids = new IdentityHashMap<>();
        private final StringBuilder dot = new StringBuilder();
        private final List<String> edges = new ArrayList<>();

        Drawing(BackwardTrace trace) {
            this.trace = trace;
        }

        String draw(Variable output) {
            dot.append("digraph chainrule {\n  rankdir=BT;\n  node [fontname=\"Helvetica\"];\n");
            declare(output);
            List<Function> nodes = Graphs.nodesInForwardOrder(output);
            for (int n = 0; n < nodes.size(); n++) {
                Function node = nodes.get(n);
                String id = "n" + n;
                for (Variable x : Graphs.inputs(node)) {
                    edges.add(declare(x) + " -> " + id);
                }
                edges.add(id + " -> " + declare(node.output()));
                dot.append("  ").append(id).append(" [shape=ellipse, label=")
                        .append(quoted(node.kind(), "→ " + labels.withShape(node.output())))
                        .append("];\n");
            }
            edges.forEach(edge -> dot.append("  ").append(edge).append(";\n"));
            return dot.append("}\n").toString();
        }

        /** The variable's id, declaring it on first meeting. */
        private String declare(Variable v) {
            String known = ids.get(v);
            if (known != null) {
                return known;
            }
            String id = "v" + ids.size();
            ids.put(v, id);
            List<String> lines = new ArrayList<>(List.of(labels.withShape(v), "value " + summary(v.value())));
            gradient(v).ifPresent(g -> lines.add("grad " + summary(g)));
            dot.append("  ").append(id).append(" [shape=box, style=").append(style(v)).append(", label=")
                    .append(quoted(lines.toArray(String[]::new))).append("];\n");
            return id;
        }

        private Optional<Tensor> gradient(Variable v) {
            if (v.hasGrad()) {
                return Optional.of(v.grad().value());
            }
            return trace == null ? Optional.empty() : trace.gradientOf(v);
        }

        private static String style(Variable v) {
            if (!v.isLeaf()) {
                return "rounded";
            }
            return v.requiresGrad() ? "filled, fillcolor=\"#cfe2f3\"" : "dashed";
        }
    }

    /** A scalar's value, or a tensor's shape, norm and range. */
    private static String summary(Tensor t) {
        String summary = Figures.summary(t);
        return t.size() == 1 ? summary : summary + " in [" + Figures.figure(t.min().item()) + ", "
                + Figures.figure(t.max().item()) + "]";
    }

    /**
     * Lines as one DOT string: a backslash and a quote escaped, line breaks in a line kept as DOT's {@code \n},
     * the lines joined by {@code \n} too.
     */
    static String quoted(String... lines) {
        StringBuilder text = new StringBuilder("\"");
        for (int i = 0; i < lines.length; i++) {
            text.append(i == 0 ? "" : "\\n").append(lines[i].replace("\\", "\\\\").replace("\"", "\\\"")
                    .replace("\r", "").replace("\n", "\\n"));
        }
        return text.append('"').toString();
    }
}
