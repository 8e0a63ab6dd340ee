package dev.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.core.Tensor;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DOT picture of a graph: its structure is the engine's graph, its labels are escaped, its text is stable. */
class GraphDotTest {
    private static final Pattern NODE = Pattern.compile("(?m)^  n\\d+ \\[");
    private static final Pattern VARIABLE = Pattern.compile("(?m)^  v\\d+ \\[");
    private static final Pattern EDGE = Pattern.compile("(?m)^  [nv]\\d+ -> [nv]\\d+;$");
    private static final Pattern LABEL = Pattern.compile("label=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** A small network with a shared weight, a constant and an unnamed value: y = Σ tanh(x·W + b) + Σ W. */
    private static Variable network() {
        Variable x = Variable.constant(Tensor.matrix(new double[] {1, -2}, new double[] {0.5, 3})).named("x");
        Variable w = Variable.parameter(Tensor.matrix(new double[] {0.1, 0.2}, new double[] {-0.3, 0.4})).named("W");
        Variable b = Variable.parameter(Tensor.vector(0.01, -0.02)).named("b");
        Variable h = Ops.tanh(Ops.affine(x, w, b)).named("h");
        return Ops.add(Ops.sum(h), Ops.sum(w)).named("y");
    }

    @Test
    void nodesAndEdgesAreThoseOfTheGraphTheEngineWalks() {
        Variable y = network();
        List<Function> nodes = Graphs.nodes(y);
        int inputs = nodes.stream().mapToInt(node -> Graphs.inputs(node).size()).sum();
        int variables = Graphs.leaves(y).size() + nodes.size(); // every node has one output

        String dot = GraphDot.of(y);

        assertEquals(nodes.size(), count(NODE, dot), dot);
        assertEquals(inputs + nodes.size(), count(EDGE, dot), dot); // input → node, node → output
        assertEquals(variables, count(VARIABLE, dot), dot);
        assertTrue(dot.startsWith("digraph chainrule {\n") && dot.endsWith("}\n"), dot);
    }

    @Test
    void theSameGraphBuiltTwiceDrawsTheSameText() {
        assertEquals(GraphDot.of(network()), GraphDot.of(network()));
    }

    @Test
    void aTinyGraphDrawsExactly() {
        Variable x = Variable.parameter(Tensor.scalar(2)).named("x");
        Variable c = Variable.constant(Tensor.scalar(3)).named("c");
        Variable y = x.mul(c).named("y");

        assertEquals("digraph chainrule {\n  rankdir=BT;\n  node [fontname=\"Helvetica\"];\n"
                + "  v0 [shape=box, style=rounded, label=\"y\\nvalue 6\"];\n"
                + "  v1 [shape=box, style=filled, fillcolor=\"#cfe2f3\", label=\"x\\nvalue 2\"];\n"
                + "  v2 [shape=box, style=dashed, label=\"c\\nvalue 3\"];\n"
                + "  n0 [shape=ellipse, label=\"Mul\\n→ y\"];\n"
                + "  v1 -> n0;\n  v2 -> n0;\n  n0 -> v0;\n}\n", GraphDot.of(y));
    }

    @Test
    void quotesBackslashesAndLineBreaksInNamesAreEscapedAndUnicodeIsKept() {
        String name = "say \"hi\"\\ to ∂E/∂w\nnext line";
        Variable x = Variable.parameter(Tensor.scalar(1)).named(name);

        String dot = GraphDot.of(Ops.exp(x));

        assertTrue(dot.contains("label=\"say \\\"hi\\\"\\\\ to ∂E/∂w\\nnext line\\nvalue 1\""), dot);
        Matcher labels = LABEL.matcher(dot);
        int count = 0;
        while (labels.find()) {
            count++;
        }
        assertEquals(3, count, "every label one well-formed string: " + dot);
    }

    @Test
    void gradientsShowWhereHeldAndFromATraceForComputedValues() {
        BackwardTraceTest.ExpTanh c = BackwardTraceTest.ExpTanh.tracedAt(0.5, BackwardOptions.defaults().retainGraph());

        String held = GraphDot.of(c.y());
        String traced = GraphDot.of(c.y(), c.trace());

        String xGrad = "grad " + Figures.significant(c.x().grad().item(), 8);
        String uGrad = "u\\nvalue " + Figures.significant(c.u().item(), 8) + "\\ngrad "
                + Figures.significant(c.trace().gradient(c.u()), 8);
        assertTrue(held.contains(xGrad) && !held.contains(uGrad), held);
        assertTrue(traced.contains(xGrad) && traced.contains(uGrad), traced);
    }

    @Test
    void tensorsShowTheirShapeNormAndRange() {
        Variable v = Variable.parameter(Tensor.vector(3, -4)).named("v");

        assertTrue(GraphDot.of(v).contains("label=\"v (2)\\nvalue (2) ‖·‖ = 5 in [-4, 3]\""), GraphDot.of(v));
    }

    @Test
    void graphvizRendersIt(@TempDir Path folder) throws IOException, InterruptedException {
        Assumptions.assumeTrue(onPath("dot"), "Graphviz's dot is not installed");
        Path file = folder.resolve("graph.dot");
        Files.writeString(file, GraphDot.of(network()), StandardCharsets.UTF_8);

        Process dot = new ProcessBuilder("dot", "-Tsvg", file.toString()).redirectErrorStream(true).start();
        String svg = new String(dot.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertTrue(dot.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, dot.exitValue(), svg);
        assertTrue(svg.contains("<svg"), svg);
    }

    private static int count(Pattern pattern, String text) {
        return (int) pattern.matcher(text).results().count();
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(folder -> Files.isExecutable(Path.of(folder, program)));
    }
}
