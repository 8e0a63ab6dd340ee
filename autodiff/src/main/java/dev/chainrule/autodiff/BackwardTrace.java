package dev.chainrule.autodiff;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import dev.chainrule.core.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A record of one backward pass, for teaching and debugging: every node the engine visited, in the order
 * visited, with the gradient that reached its output and the gradient it passed to each input. It is a
 * {@link BackwardListener}, so it shows what the engine computed, not a second computation:
 *
 * <pre>{@code
 * BackwardTrace trace = new BackwardTrace();
 * loss.backward(BackwardOptions.defaults().listener(trace));
 * System.out.print(trace);
 * }</pre>
 *
 * <p>Where an edge joins scalars it also knows the local derivative. A node's backward is linear in the
 * upstream gradient gy (gx = ∂y/∂x · gy), so ∂y/∂x = gx / gy. Where gy is 0 that is 0/0, and the local
 * derivative is reported unknown ({@link Input#local()} empty), never guessed; seed backward with a nonzero
 * gradient to learn it. From the local derivatives, {@link #derivative} chains ∂a/∂b between any two variables
 * of the pass.
 *
 * <p>One trace records one pass: a node that does not lie below the nodes already recorded (the start of
 * another backward) is refused. The trace keeps the variables it met, to answer questions about them, but not
 * the nodes: a pass that frees its graph frees it as usual. Like the graph, a trace belongs to one thread.
 */
public final class BackwardTrace implements BackwardListener {
    private final List<Step> steps = new ArrayList<>();
    private final Labels labels = new Labels();
    /** The step that computed each recorded output. */
    private final Map<Variable, Step> creatorSteps = new IdentityHashMap<>();
    /** Every variable a recorded step passed a gradient to, with the gradients passed, in the order passed. */
    private final Map<Variable, List<Tensor>> received = new IdentityHashMap<>();

    /** An empty trace, to pass to {@link BackwardOptions#listener}. */
    public BackwardTrace() {}

    /**
     * One node visited by backward.
     *
     * @param index its place in the pass, from 1 (the output's node) on
     * @param kind the node's class, like {@code Sigmoid}
     * @param output the node's output, the variable itself (kept for identity; its value is the forward one)
     * @param label the output's name, or a fallback like {@code Mul#3} when it has none
     * @param arguments the labels of all of the node's inputs, in order, whether or not they got a gradient
     * @param upstream the gradient that reached the output, dL/d(output), summed over its consumers
     * @param inputs the inputs that received a gradient, in input order
     */
    public record Step(int index, String kind, Variable output, String label, List<String> arguments,
            Tensor upstream, List<Input> inputs) {
        /**
         * Copies the lists, so that a step cannot change.
         *
         * @param index as above
         * @param kind as above
         * @param output as above
         * @param label as above
         * @param arguments as above, not null
         * @param upstream as above
         * @param inputs as above, not null
         */
        public Step {
            arguments = List.copyOf(arguments);
            inputs = List.copyOf(inputs);
        }
    }

    /**
     * One input of a visited node that received a gradient.
     *
     * @param position the input's index among the node's inputs
     * @param variable the input, the variable itself (kept for identity)
     * @param label its name, or a fallback like {@code parameter#2}
     * @param gradient what the node returned for it: upstream · local derivative, its share of dL/d(input)
     * @param local ∂(output)/∂(input) = gradient / upstream where both are scalars and the upstream is not 0;
     *     empty otherwise
     */
    public record Input(int position, Variable variable, String label, Tensor gradient, OptionalDouble local) {}

    /**
     * Records one visited node; called by the engine.
     *
     * @throws IllegalStateException if the node's output received no gradient from the steps recorded so far:
     *     it belongs to another backward pass, and a trace records one
     */
    @Override
    public void visited(Function node, Variable gy, Variable[] gxs) {
        Variable output = node.output();
        if (!steps.isEmpty() && !received.containsKey(output)) {
            throw new IllegalStateException("BackwardTrace: " + node + " is not below the nodes traced so far: "
                    + "a trace records one backward pass; make a new BackwardTrace for each");
        }
        String label = labels.of(output);
        List<Variable> xs = Graphs.inputs(node);
        List<String> arguments = new ArrayList<>();
        List<Input> inputs = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            Variable x = xs.get(i);
            arguments.add(labels.withShape(x));
            if (gxs[i] != null) {
                Tensor gx = gxs[i].value();
                inputs.add(new Input(i, x, labels.of(x), gx, local(gy.value(), gx)));
                received.computeIfAbsent(x, unused -> new ArrayList<>()).add(gx);
            }
        }
        Step step = new Step(steps.size() + 1, node.kind(), output, label, arguments,
                gy.value(), inputs);
        steps.add(step);
        creatorSteps.put(output, step);
    }

    /** gx = ∂y/∂x · gy for scalars, so ∂y/∂x = gx / gy; unknown where gy is 0 or either is not a scalar. */
    private static OptionalDouble local(Tensor gy, Tensor gx) {
        if (gy.size() != 1 || gx.size() != 1 || gy.item() == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(gx.item() / gy.item());
    }

    /**
     * The steps, in the order the engine visited the nodes: the output's node first, every node before the
     * nodes that computed its inputs.
     *
     * @return an unmodifiable view, which grows while the pass runs
     */
    public List<Step> steps() {
        return Collections.unmodifiableList(steps);
    }

    /**
     * dL/dv as the engine accumulated it, L being the output backward started from: for a computed value, the
     * upstream gradient that reached its node; for a leaf, the sum of the gradients passed to it.
     *
     * @param v a variable of the traced pass, not null
     * @return its gradient, any shape; empty if the pass passed no gradient to it
     */
    public Optional<Tensor> gradientOf(Variable v) {
        checkNotNull(v, "BackwardTrace.gradientOf: v is null");
        Step creator = creatorSteps.get(v);
        if (creator != null) {
            return Optional.of(creator.upstream());
        }
        return Optional.ofNullable(received.get(v)).map(shares -> shares.stream().reduce(Tensor::add).orElseThrow());
    }

    /**
     * dL/dv for a scalar v, as {@link #gradientOf} gives it.
     *
     * @param v a scalar variable that received a gradient in the traced pass, not null
     * @return its gradient
     * @throws IllegalArgumentException if the pass passed no gradient to v, or v is not a scalar
     */
    public double gradient(Variable v) {
        Tensor g = gradientOf(v).orElseThrow(() -> new IllegalArgumentException(notInPass("gradient", v)));
        checkArgument(g.size() == 1, "BackwardTrace.gradient: %s is not a scalar; use gradientOf(%s)",
                labels.withShape(v), labels.of(v));
        return g.item();
    }

    /**
     * ∂of/∂wrt from the recorded local derivatives alone: the sum over every path from {@code of} down to
     * {@code wrt} of the product of the local derivatives along it. Steps come consumers first, so one sweep
     * settles each variable's ∂of/∂v before the step that computed v passes it on (a dynamic programme).
     *
     * @param of a scalar variable of the traced pass, not null
     * @param wrt a scalar variable of the traced pass, not null; {@code of} itself gives 1
     * @return the derivative
     * @throws IllegalArgumentException if either was not in the traced pass, is not a scalar, or no recorded
     *     path leads from {@code of} down to {@code wrt}
     * @throws IllegalStateException if a path runs through an edge whose local derivative is unknown (see
     *     {@link Input#local()})
     */
    public double derivative(Variable of, Variable wrt) {
        checkScalarInPass(checkNotNull(of, "BackwardTrace.derivative: of is null"));
        checkScalarInPass(checkNotNull(wrt, "BackwardTrace.derivative: wrt is null"));
        Map<Variable, Double> derivatives = new IdentityHashMap<>();
        Map<Variable, Step> unknownVia = new IdentityHashMap<>(); // a step with an unknown local on a path
        derivatives.put(of, 1.0);
        for (Step step : steps) {
            Double outer = derivatives.get(step.output());
            if (outer == null) {
                continue;
            }
            for (Input in : step.inputs()) {
                derivatives.merge(in.variable(), outer * in.local().orElse(Double.NaN), Double::sum);
                Step unknown = in.local().isPresent() ? unknownVia.get(step.output()) : step;
                if (unknown != null) {
                    unknownVia.putIfAbsent(in.variable(), unknown);
                }
            }
        }
        checkArgument(derivatives.containsKey(wrt), "BackwardTrace.derivative: no path in the traced pass leads "
                + "from %s down to %s", labels.of(of), labels.of(wrt));
        Step unknown = unknownVia.get(wrt);
        if (unknown != null) {
            throw new IllegalStateException("BackwardTrace.derivative: ∂" + labels.of(of) + "/∂" + labels.of(wrt)
                    + " is unknown: its paths run through step " + unknown.index() + " (" + unknown.label()
                    + "), whose local derivatives " + whyUnknown(unknown));
        }
        return derivatives.get(wrt);
    }

    private static String whyUnknown(Step step) {
        if (step.upstream().size() != 1) {
            return "join tensors, not scalars";
        }
        return "are 0/0: the gradient reaching it was 0; backpropagate with a nonzero seed to learn them";
    }

    /**
     * The chain rule along a path of variables, each factor as the trace recorded it: for (out_o1, net_o1, w5),
     * ∂E/∂w5 = ∂E/∂out_o1 · ∂out_o1/∂net_o1 · ∂net_o1/∂w5, the first factor {@link #gradient} and the others
     * {@link #derivative}s. Its product is dL/d(last) when every path from L to the last variable passes
     * through each variable of the chain, as in a layered network.
     *
     * @param first the variable whose gradient starts the chain, not null
     * @param rest the variables after it, each below the one before, none null
     * @return the chain, which prints as the line above with the figures
     * @throws IllegalArgumentException as {@link #gradient} and {@link #derivative} do
     * @throws IllegalStateException as {@link #derivative} does
     */
    public Chain chain(Variable first, Variable... rest) {
        checkNotNull(rest, "BackwardTrace.chain: rest is null");
        checkNotNull(first, "BackwardTrace.chain: first is null");
        List<Double> factors = new ArrayList<>(List.of(gradient(first)));
        List<String> path = new ArrayList<>(List.of(labels.of(first)));
        Variable above = first;
        for (Variable v : rest) {
            factors.add(derivative(above, checkNotNull(v, "BackwardTrace.chain: a variable in rest is null")));
            path.add(labels.of(v));
            above = v;
        }
        return new Chain(lossLabel(), path, factors);
    }

    /**
     * The chain rule along a path, with its factors.
     *
     * @param loss the label of L, the output backward started from
     * @param path the labels of the variables along the path, from the top down
     * @param factors dL/d(path[0]), then ∂path[k−1]/∂path[k] for each later k
     */
    public record Chain(String loss, List<String> path, List<Double> factors) {
        /**
         * Copies the lists, and checks that there is one factor per variable.
         *
         * @param loss as above
         * @param path as above, not null, not empty
         * @param factors as above, not null, as many as the variables of the path
         * @throws IllegalArgumentException if the counts differ or the path is empty
         */
        public Chain {
            path = List.copyOf(path);
            factors = List.copyOf(factors);
            checkArgument(path.size() == factors.size() && !path.isEmpty(),
                    "Chain: %s variables but %s factors: expected one factor per variable, at least one", path.size(),
                    factors.size());
        }

        /**
         * The product of the factors, left to right.
         *
         * @return dL/d(last variable of the path), along the path
         */
        public double product() {
            return factors.stream().reduce(1.0, (a, b) -> a * b);
        }

        /** Like {@code ∂E/∂w5 = ∂E/∂out_o1 · ∂out_o1/∂net_o1 · ∂net_o1/∂w5 = 0.74136507 · … = 0.082167041}. */
        @Override
        public String toString() {
            StringBuilder symbols = new StringBuilder(TraceText.partial(loss, path.get(0)));
            StringBuilder figures = new StringBuilder(Figures.figure(factors.get(0)));
            for (int k = 1; k < path.size(); k++) {
                symbols.append(" · ").append(TraceText.partial(path.get(k - 1), path.get(k)));
                figures.append(" · ").append(Figures.figure(factors.get(k)));
            }
            return TraceText.partial(loss, path.get(path.size() - 1)) + " = " + symbols + " = " + figures + " = "
                    + Figures.figure(product());
        }
    }

    /** The trace as text: each step with its chain-rule products (scalars) or shapes and norms (tensors). */
    @Override
    public String toString() {
        return steps.isEmpty() ? "(no backward pass traced)\n" : new TraceText(lossLabel(), steps, received).render();
    }

    private String lossLabel() {
        checkState(!steps.isEmpty(), "BackwardTrace: no backward pass has been traced yet");
        return steps.get(0).label();
    }

    private void checkScalarInPass(Variable v) {
        checkArgument(creatorSteps.containsKey(v) || received.containsKey(v), notInPass("derivative", v));
        checkArgument(v.value().size() == 1, "BackwardTrace.derivative: %s is %s, not a scalar: derivative chains "
                + "scalar local factors; use gradientOf for tensors", labels.of(v), v.shape());
    }

    private String notInPass(String method, Variable v) {
        return "BackwardTrace." + method + ": " + v + " received no gradient in the traced pass"
                + (steps.isEmpty() ? " (no pass was traced: pass this trace to BackwardOptions.listener)" : "");
    }
}
