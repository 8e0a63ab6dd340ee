package dev.chainrule.examples;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.autodiff.BackwardOptions;
import dev.chainrule.autodiff.BackwardTrace;
import dev.chainrule.autodiff.Figures;
import dev.chainrule.autodiff.GradMode;
import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Tensor;
import java.io.PrintStream;
import java.util.List;

/**
 * The 2-2-2 network of the well-known "step by step backpropagation example" (Mazur), built of scalars so that
 * every weight, net input and output is a named variable of the graph: inputs i1 = 0.05, i2 = 0.10, targets
 * 0.01 and 0.99, sigmoid units, biases b1 = 0.35 and b2 = 0.60 held fixed, error E = ½ Σ (target − output)²,
 * learning rate 0.5. {@link #explain} traces one backward pass and prints each weight's gradient as the chain
 * rule the engine followed; the example publishes E = 0.298371109, ∂E/∂w5 = 0.08216704, ∂E/∂w1 = 0.00043857.
 */
public final class StepByStep {
    /** The example's learning rate η. */
    public static final double LEARNING_RATE = 0.5;
    private static final int DIGITS = 8;
    /** The example prints its total error to 9 decimals. */
    private static final int ERROR_DIGITS = 9;

    public final Variable i1 = scalar("i1", 0.05, false);
    public final Variable i2 = scalar("i2", 0.10, false);
    public final Variable t1 = scalar("t1", 0.01, false);
    public final Variable t2 = scalar("t2", 0.99, false);
    public final Variable b1 = scalar("b1", 0.35, false);
    public final Variable b2 = scalar("b2", 0.60, false);
    public final Variable w1 = scalar("w1", 0.15, true);
    public final Variable w2 = scalar("w2", 0.20, true);
    public final Variable w3 = scalar("w3", 0.25, true);
    public final Variable w4 = scalar("w4", 0.30, true);
    public final Variable w5 = scalar("w5", 0.40, true);
    public final Variable w6 = scalar("w6", 0.45, true);
    public final Variable w7 = scalar("w7", 0.50, true);
    public final Variable w8 = scalar("w8", 0.55, true);

    /** The named values of one forward pass. */
    public record Pass(Variable netH1, Variable outH1, Variable netH2, Variable outH2, Variable netO1,
            Variable outO1, Variable netO2, Variable outO2, Variable error) {
        /**
         * The values in the order computed.
         *
         * @return net and out of h1, h2, o1, o2, then E
         */
        public List<Variable> values() {
            return List.of(netH1, outH1, netH2, outH2, netO1, outO1, netO2, outO2, error);
        }

        /**
         * For each weight, in the example's order (w5 to w8, then w1 to w4), the path from the output of the
         * unit it feeds down to it: (out, net, w), along which ∂E/∂w = ∂E/∂out · ∂out/∂net · ∂net/∂w.
         *
         * @param net the network this pass ran
         * @return the paths, each a list of three variables
         */
        public List<List<Variable>> paths(StepByStep net) {
            return List.of(List.of(outO1, netO1, net.w5), List.of(outO1, netO1, net.w6),
                    List.of(outO2, netO2, net.w7), List.of(outO2, netO2, net.w8),
                    List.of(outH1, netH1, net.w1), List.of(outH1, netH1, net.w2),
                    List.of(outH2, netH2, net.w3), List.of(outH2, netH2, net.w4));
        }
    }

    private static Variable scalar(String name, double value, boolean parameter) {
        Tensor t = Tensor.scalar(value);
        return (parameter ? Variable.parameter(t) : Variable.constant(t)).named(name);
    }

    /**
     * Forward pass: net_h1 = w1·i1 + w2·i2 + b1, out_h1 = σ(net_h1), likewise h2 (w3, w4), o1 (w5, w6 on
     * out_h1, out_h2, with b2) and o2 (w7, w8), and E = ½(t1 − out_o1)² + ½(t2 − out_o2)².
     *
     * @return the pass, its graph recorded for backward
     */
    public Pass forward() {
        Variable netH1 = net(w1, i1, w2, i2, b1).named("net_h1");
        Variable outH1 = Ops.sigmoid(netH1).named("out_h1");
        Variable netH2 = net(w3, i1, w4, i2, b1).named("net_h2");
        Variable outH2 = Ops.sigmoid(netH2).named("out_h2");
        Variable netO1 = net(w5, outH1, w6, outH2, b2).named("net_o1");
        Variable outO1 = Ops.sigmoid(netO1).named("out_o1");
        Variable netO2 = net(w7, outH1, w8, outH2, b2).named("net_o2");
        Variable outO2 = Ops.sigmoid(netO2).named("out_o2");
        Variable error = Ops.meanSquaredError(outO1, t1).named("E_o1")
                .add(Ops.meanSquaredError(outO2, t2).named("E_o2")).named("E");
        return new Pass(netH1, outH1, netH2, outH2, netO1, outO1, netO2, outO2, error);
    }

    /** net = wa·a + wb·b + bias. */
    private static Variable net(Variable wa, Variable a, Variable wb, Variable b, Variable bias) {
        return wa.mul(a).add(wb.mul(b)).add(bias);
    }

    /**
     * The total error of a fresh forward pass.
     *
     * @return E, its graph recorded for backward
     */
    public Variable error() {
        return forward().error();
    }

    /**
     * The trained weights; the biases are constants, as the example holds them fixed.
     *
     * @return w1 to w8
     */
    public List<Variable> weights() {
        return List.of(w1, w2, w3, w4, w5, w6, w7, w8);
    }

    /** Forgets the gradients of the last backward. */
    public void clearGrads() {
        weights().forEach(Variable::clearGrad);
    }

    /** One step of gradient descent, w ← w − η ∂E/∂w for every weight, then forgets the gradients used. */
    public void descend() {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (Variable w : weights()) {
                w.assign(w.value().sub(w.grad().value().mul(LEARNING_RATE)));
            }
        }
        clearGrads();
    }

    /**
     * Explains the first step of training as the example does, from a traced backward pass: the forward values,
     * the total error, each weight's gradient as a product of the chain rule's factors (checked against the
     * engine's {@code grad()}), the weights after the step, and the error after {@code steps} steps.
     *
     * @param out where to print, not null
     * @param steps how many steps of gradient descent to train, at least 1
     * @throws IllegalArgumentException if {@code steps} is less than 1
     * @throws IllegalStateException if a product of the trace's factors disagrees with the engine's gradient
     */
    public static void explain(PrintStream out, int steps) {
        checkNotNull(out, "StepByStep.explain: out is null");
        checkArgument(steps >= 1, "StepByStep.explain: steps is %s, expected at least 1", steps);
        StepByStep net = new StepByStep();
        Pass pass = net.forward();
        out.println("Forward pass");
        for (Variable v : pass.values()) {
            int digits = v == pass.error() ? ERROR_DIGITS : DIGITS;
            out.printf("  %s = %s%n", v.name(), Figures.significant(v.item(), digits));
        }

        BackwardTrace trace = new BackwardTrace();
        pass.error().backward(BackwardOptions.defaults().listener(trace));
        out.println("Backward pass: each factor is a derivative the trace recorded, each product the engine's grad()");
        for (List<Variable> path : pass.paths(net)) {
            BackwardTrace.Chain chain = trace.chain(path.get(0), path.get(1), path.get(2));
            checkAgrees(chain, path.get(2));
            out.println("  " + chain);
        }

        net.descend();
        out.printf("After one step of gradient descent (learning rate %s)%n", LEARNING_RATE);
        for (List<Variable> path : pass.paths(net)) {
            Variable w = path.get(2);
            out.printf("  %s = %s%n", w.name(), Figures.significant(w.item(), DIGITS));
        }
        for (int step = 1; step < steps; step++) {
            net.error().backward();
            net.descend();
        }
        out.printf("E after %d step%s = %s%n", steps, steps == 1 ? "" : "s",
                Figures.significant(net.error().item(), ERROR_DIGITS));
    }

    /** The trace's product must be the engine's gradient, up to the rounding of dividing out the upstream. */
    private static void checkAgrees(BackwardTrace.Chain chain, Variable w) {
        double grad = w.grad().item();
        if (Math.abs(chain.product() - grad) > 1e-12 * Math.abs(grad)) {
            throw new IllegalStateException("StepByStep: " + chain + " but " + w.name() + ".grad() = " + grad);
        }
    }

    /**
     * Prints {@link #explain} for one step, or for the number of steps given as the only argument.
     *
     * @param args empty, or the number of steps
     */
    public static void main(String[] args) {
        explain(System.out, args.length == 0 ? 1 : Integer.parseInt(args[0]));
    }
}
