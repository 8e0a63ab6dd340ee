package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.autodiff.BackwardOptions;
import dev.chainrule.autodiff.BackwardTrace;
import dev.chainrule.autodiff.GradMode;
import dev.chainrule.autodiff.Graphs;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The step-by-step example: its published figures, and the trace's factors against closed forms. */
class StepByStepTest {
    /** The example publishes figures to 8 decimals; ours print to 8 significant digits: both round. */
    private static final double PUBLISHED = 1e-8;

    @Test
    void explainPrintsThePublishedErrorAndChainRuleFactors() {
        List<String> lines = explain(1);

        assertEquals(0.298371109, figure(lines, "E"), 1e-9);
        assertFactors(lines, "∂E/∂w5", 0.74136507, 0.18681560, 0.59326999, 0.08216704);
        assertFactors(lines, "∂E/∂w1", 0.03635031, 0.24130071, 0.05, 0.00043857);
    }

    @Test
    void explainPrintsThePublishedWeightsAfterOneStep() {
        List<String> lines = explain(1);
        String[] names = {"w5", "w6", "w7", "w8", "w1", "w2", "w3", "w4"};
        double[] published = {0.35891648, 0.40866619, 0.51130127, 0.56137012, 0.14978072, 0.19956143, 0.24975114,
            0.29950229};

        for (int k = 0; k < names.length; k++) {
            assertEquals(published[k], figure(lines, names[k]), PUBLISHED, names[k]);
        }
    }

    @Test
    void theTracesFactorsAreTheClosedForms() {
        StepByStep net = new StepByStep();
        StepByStep.Pass pass = net.forward();
        BackwardTrace trace = traced(pass);
        double o1 = pass.outO1().item();
        double o2 = pass.outO2().item();
        double h1 = pass.outH1().item();
        double exact = 1e-15;

        assertEquals(o1 - 0.01, trace.gradient(pass.outO1()), exact); // ∂E/∂out_o1 = out − t
        assertEquals(o1 * (1 - o1), trace.derivative(pass.outO1(), pass.netO1()), exact); // σ′ = out(1 − out)
        assertEquals(h1, trace.derivative(pass.netO1(), net.w5), exact); // ∂net_o1/∂w5 = out_h1
        // ∂E/∂out_h1 sums both output paths: δ_o1·w5 + δ_o2·w7
        double deltaO1 = (o1 - 0.01) * o1 * (1 - o1);
        double deltaO2 = (o2 - 0.99) * o2 * (1 - o2);
        assertEquals(deltaO1 * 0.40 + deltaO2 * 0.50, trace.gradient(pass.outH1()), exact);
        assertEquals(h1 * (1 - h1), trace.derivative(pass.outH1(), pass.netH1()), exact);
        assertEquals(0.05, trace.derivative(pass.netH1(), net.w1), exact);
    }

    @Test
    void everyChainsProductIsTheEnginesGradientAndACentralDifferenceOfE() {
        StepByStep net = new StepByStep();
        StepByStep.Pass pass = net.forward();
        BackwardTrace trace = traced(pass);

        for (List<Variable> path : pass.paths(net)) {
            Variable w = path.get(2);
            double product = trace.chain(path.get(0), path.get(1), w).product();
            assertEquals(w.grad().item(), product, 1e-15, w.name());
            assertEquals(centralDifference(w), product, 1e-10, w.name());
        }
    }

    @Test
    void stepsTrainThatManyStepsAndReportTheErrorAfterThem() {
        double afterOne = figure(explain(1), "E after 1 step");
        double afterTen = figure(explain(10), "E after 10 steps");

        assertEquals(plainErrorAfter(1), afterOne, 1e-9);
        assertEquals(plainErrorAfter(10), afterTen, 1e-9);
        assertTrue(afterTen < afterOne && afterOne < 0.298371109, afterOne + ", " + afterTen);
        assertThrows(IllegalArgumentException.class, () -> StepByStep.explain(System.out, 0));
    }

    /**
     * After 10000 steps the example publishes 0.0000351085; this graph, its biases fixed, and a plain
     * computation with doubles both give 0.0000351019. The figure is checked against the run, not published.
     */
    @Test
    void tenThousandStepsBringTheErrorBelowOneTenThousandth() {
        double error = figure(explain(10000), "E after 10000 steps");

        assertEquals(plainErrorAfter(10000), error, 1e-13);
        assertTrue(error < 1e-4, "E = " + error);
    }

    /** The example's training written out with doubles, δ for ∂E/∂net: an oracle independent of the graph. */
    private static double plainErrorAfter(int steps) {
        double[] w = {0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55};
        double[] x = {0.05, 0.10};
        for (int step = 0; ; step++) {
            double h1 = sigmoid(w[0] * x[0] + w[1] * x[1] + 0.35);
            double h2 = sigmoid(w[2] * x[0] + w[3] * x[1] + 0.35);
            double o1 = sigmoid(w[4] * h1 + w[5] * h2 + 0.60);
            double o2 = sigmoid(w[6] * h1 + w[7] * h2 + 0.60);
            if (step == steps) {
                return 0.5 * (0.01 - o1) * (0.01 - o1) + 0.5 * (0.99 - o2) * (0.99 - o2);
            }
            double d1 = (o1 - 0.01) * o1 * (1 - o1);
            double d2 = (o2 - 0.99) * o2 * (1 - o2);
            double e1 = (d1 * w[4] + d2 * w[6]) * h1 * (1 - h1);
            double e2 = (d1 * w[5] + d2 * w[7]) * h2 * (1 - h2);
            double[] grad = {e1 * x[0], e1 * x[1], e2 * x[0], e2 * x[1], d1 * h1, d1 * h2, d2 * h1, d2 * h2};
            for (int k = 0; k < w.length; k++) {
                w[k] -= StepByStep.LEARNING_RATE * grad[k];
            }
        }
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void theScalarGraphHas23Nodes() { // 4 nets of 2 Mul and 2 Add, 4 Sigmoid, 2 MeanSquaredError and their Add
        assertEquals(23, Graphs.nodes(new StepByStep().error()).size());
    }

    private static BackwardTrace traced(StepByStep.Pass pass) {
        BackwardTrace trace = new BackwardTrace();
        pass.error().backward(BackwardOptions.defaults().listener(trace));
        return trace;
    }

    /** (E(w + h) − E(w − h)) / 2h, leaving w as it was. */
    private static double centralDifference(Variable w) {
        StepByStep copy = new StepByStep();
        Variable same = copy.weights().stream().filter(v -> v.name().equals(w.name())).findFirst().orElseThrow();
        double h = 1e-6;
        double w0 = same.item();
        double[] errors = new double[2];
        for (int side = 0; side < 2; side++) {
            try (GradMode.Scope ignored = GradMode.noGrad()) {
                same.assign(Tensor.scalar(w0 + (side == 0 ? h : -h)));
            }
            errors[side] = copy.error().item();
        }
        return (errors[0] - errors[1]) / (2 * h);
    }

    private static List<String> explain(int steps) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StepByStep.explain(new PrintStream(bytes, true, StandardCharsets.UTF_8), steps);
        return bytes.toString(StandardCharsets.UTF_8).lines().map(String::strip).toList();
    }

    /** The number after "name = " on the line that starts so. */
    private static double figure(List<String> lines, String name) {
        String prefix = name + " = ";
        return lines.stream().filter(line -> line.startsWith(prefix)).findFirst()
                .map(line -> Double.parseDouble(line.substring(prefix.length())))
                .orElseThrow(() -> new AssertionError("no line starts with " + prefix + " in\n" + lines));
    }

    /** A line "∂E/∂w = symbols = f1 · f2 · f3 = product" with the published factors and product. */
    private static void assertFactors(List<String> lines, String gradient, double... published) {
        String line = lines.stream().filter(l -> l.startsWith(gradient + " = ")).findFirst().orElseThrow();
        String[] sides = line.split(" = ");
        double[] printed = Arrays.stream((sides[2] + " · " + sides[3]).split(" · ")).mapToDouble(Double::parseDouble)
                .toArray();
        assertEquals(published.length, printed.length, line);
        for (int k = 0; k < printed.length; k++) {
            assertEquals(published[k], printed[k], PUBLISHED, line);
        }
    }
}
