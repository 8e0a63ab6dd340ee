package dev.chainrule.autodiff;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Checks backward against finite differences, element by element, for any graph built from {@link Variable}s,
 * and reports the worst element rather than a bare boolean. Depends on no test library: call it from any test
 * framework.
 *
 * <pre>{@code
 * // x, w and b are Tensors: the point at which to check; the graph receives them as Variables.
 * GradCheck.defaults().check(xs -> Ops.affine(xs[0], xs[1], xs[2]), x, w, b).assertPassed();
 * }</pre>
 *
 * <p>It is built to fail the commonest wrong backward passes:
 * <ul>
 *   <li>The numerical derivative is the course's central difference (J(θ + ε) − J(θ − ε)) / 2ε, Richardson-
 *       extrapolated: (8[J(θ + ε) − J(θ − ε)] − [J(θ + 2ε) − J(θ − 2ε)]) / 12ε, whose error is O(ε⁴) rather
 *       than O(ε²). In double precision that is accurate to about 1e-10, so the tolerances can be tight:
 *       an element passes when |analytic − numeric| ≤ atol + rtol·|numeric|, with atol = 1e-8 and
 *       rtol = 1e-6 by default (a derivative 1e-4 off fails; PyTorch's gradcheck allows 1e-3).</li>
 *   <li>The output y is reduced to J = Σ y ⊙ u with an upstream gradient u: random and seeded unless given,
 *       standard normal for a tensor and ±λ with λ in [1.5, 3] for a scalar, never 1, so that a node that
 *       ignores the gradient arriving at it fails, losses included.</li>
 *   <li>Every combination of inputs as parameters and constants is backpropagated (for up to
 *       {@value #ALL_COMBINATIONS_UP_TO} inputs; beyond, all of them, each alone, and each left out): every
 *       parameter must receive the numerical gradient, so a gradient computed for the wrong input fails,
 *       and the engine refuses a node that returns a gradient for an input that needs none.</li>
 *   <li>NaN or infinity in the analytic or the numerical gradient fails, reported at its element.</li>
 *   <li>{@link #checkSecondOrder} takes its oracle from finite differences of plain first-order gradients, not
 *       from the create-graph path that it checks.</li>
 * </ul>
 */
public final class GradCheck {
    /** A graph under test: the inputs, as variables, to the output. */
    @FunctionalInterface
    public interface Graph {
        /**
         * Builds the graph.
         *
         * @param xs one variable per input tensor, in order: parameters or constants, as the check chooses
         * @return the output
         */
        Variable apply(Variable... xs);
    }

    /** Up to this many inputs, every combination of parameters and constants is checked. */
    public static final int ALL_COMBINATIONS_UP_TO = 4;

    private static final GradCheck DEFAULTS = new GradCheck(1e-3, 1e-8, 1e-6, null, 0L, Double.NaN);

    private final double epsilon;
    private final double atol;
    private final double rtol;
    private final Tensor upstream;
    private final long seed;
    /** Where one-sided differences meet, or NaN for central differences everywhere. */
    private final double kink;

    private GradCheck(double epsilon, double atol, double rtol, Tensor upstream, long seed, double kink) {
        checkArgument(epsilon > 0 && atol >= 0 && rtol >= 0,
                "GradCheck: ε %s must be positive, tolerances %s and %s not negative", epsilon, atol, rtol);
        this.epsilon = epsilon;
        this.atol = atol;
        this.rtol = rtol;
        this.upstream = upstream;
        this.seed = seed;
        this.kink = kink;
    }

    /**
     * The default settings: ε = 1e-3 (the extrapolated difference reaches θ ± 2ε: check points closer than that to a
     * pole with a smaller ε, and to a kink with {@link #kinkAt}), atol = 1e-8, rtol = 1e-6,
     * random upstream gradients and second-order directions from seed 0, central differences everywhere.
     *
     * @return the default check
     */
    public static GradCheck defaults() {
        return DEFAULTS;
    }

    /**
     * Checks {@code graph} at {@code inputs} with the default settings.
     *
     * @param graph the graph under test
     * @param inputs the point to check at, one tensor per input of the graph
     * @throws AssertionError with the report if the check fails
     */
    public static void assertMatches(Graph graph, Tensor... inputs) {
        DEFAULTS.check(graph, inputs).assertPassed();
    }

    /**
     * Checks the gradients of gradients of {@code graph} with the default settings.
     *
     * @param graph the graph under test
     * @param inputs the point to check at, one tensor per input of the graph
     * @throws AssertionError with the report if the check fails
     */
    public static void assertSecondOrderMatches(Graph graph, Tensor... inputs) {
        DEFAULTS.checkSecondOrder(graph, inputs).assertPassed();
    }

    /**
     * @param newEpsilon the step of the finite differences, positive
     * @return a check with this step
     */
    public GradCheck epsilon(double newEpsilon) {
        return new GradCheck(newEpsilon, atol, rtol, upstream, seed, kink);
    }

    /**
     * @param newAtol the absolute tolerance, not negative
     * @param newRtol the tolerance relative to the numerical derivative, not negative
     * @return a check with these tolerances
     */
    public GradCheck tolerances(double newAtol, double newRtol) {
        return new GradCheck(epsilon, newAtol, newRtol, upstream, seed, kink);
    }

    /**
     * @param gradient the gradient of the output to backpropagate, of the output's shape, instead of a random one
     * @return a check with this upstream gradient
     */
    public GradCheck upstream(Tensor gradient) {
        return new GradCheck(epsilon, atol, rtol, checkNotNull(gradient, "GradCheck.upstream: gradient is null"),
                seed, kink);
    }

    /**
     * @param newSeed the seed of the random upstream gradients and second-order directions
     * @return a check with this seed
     */
    public GradCheck seed(long newSeed) {
        return new GradCheck(epsilon, atol, rtol, upstream, newSeed, kink);
    }

    /**
     * Differences every input element on its own side of a kink, so that no difference straddles it: forward
     * differences for an element above {@code at}, backward differences for one at or below it, each the
     * one-sided (−3J(θ) + 4J(θ + h) − J(θ + 2h)) / 2h. At the kink itself that measures the left derivative,
     * the convention of ReLU′(0) = 0 and LeakyReLU′(0) = α.
     *
     * @param at where the derivative of the checked graph jumps, in terms of its inputs' values
     * @return a check with one-sided differences around {@code at}
     */
    public GradCheck kinkAt(double at) {
        checkArgument(Double.isFinite(at), "GradCheck.kinkAt: the kink must be finite, got %s", at);
        return new GradCheck(epsilon, atol, rtol, upstream, seed, at);
    }

    /**
     * The upstream gradient this check backpropagates from an output of the given shape.
     *
     * @param outputShape the shape of the graph's output
     * @return the given upstream gradient, or a random one drawn from the seed: standard normal elements, or for
     *     a single element ±λ with λ uniform in [1.5, 3]
     * @throws IllegalArgumentException if an upstream gradient was given and its shape is not {@code outputShape}
     */
    public Tensor upstreamFor(Shape outputShape) {
        checkNotNull(outputShape, "GradCheck.upstreamFor: outputShape is null");
        if (upstream != null) {
            checkArgument(upstream.shape().equals(outputShape),
                    "GradCheck: the upstream gradient is %s but the output is %s: they must have the same shape",
                    upstream.shape(), outputShape);
            return upstream;
        }
        RandomGenerator random = Randoms.seeded(seed);
        if (outputShape.size() == 1) {
            double lambda = 1.5 + 1.5 * random.nextDouble();
            return Tensor.full(outputShape, random.nextBoolean() ? lambda : -lambda);
        }
        return Tensor.normal(random, 0, 1, outputShape);
    }

    /**
     * Compares backward with finite differences for every element of every input, once for every combination
     * of inputs as parameters and constants.
     *
     * @param graph the graph under test
     * @param inputs the point to check at, one tensor per input of the graph
     * @return the worst element found over all combinations
     */
    public Report check(Graph graph, Tensor... inputs) {
        checkGraphAndInputs(graph, inputs);
        Variable y = graph.apply(variables(inputs, all(inputs.length)));
        String nodes = nodeKinds(y);
        Tensor u = upstreamFor(y.shape());
        Tensor[] numeric = numericGradients(point -> projected(graph, point, u), inputs);
        Report worst = Report.passing(nodes);
        for (boolean[] isParameter : parameterSets(inputs.length)) {
            Variable[] xs = variables(inputs, isParameter);
            Tensor[] analytic = gradients(graph.apply(xs), xs, isParameter, BackwardOptions.defaults().seed(u));
            worst = worst.orWorse(compare(nodes, withConstants(isParameter), inputs, analytic, numeric));
        }
        return worst;
    }

    /**
     * Checks second derivatives: the first-order check applied to h(θ) = Σᵢ ⟨∂J/∂θᵢ, vᵢ⟩ for random, seeded
     * directions vᵢ. The gradients under test come from backward through a create-graph backward; the oracle is
     * finite differences of h computed from plain first-order gradients (no create-graph), so that a backward
     * whose graph-building path alone is wrong fails. The create-graph gradients' values are compared with the
     * plain ones first.
     *
     * @param graph the graph under test
     * @param inputs the point to check at, one tensor per input of the graph; all are parameters
     * @return the worst element found
     */
    public Report checkSecondOrder(Graph graph, Tensor... inputs) {
        checkGraphAndInputs(graph, inputs);
        RandomGenerator random = Randoms.seeded(seed + 1);
        Tensor[] directions = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            directions[i] = Tensor.normal(random, 0, 1, inputs[i].shape());
        }
        boolean[] allParameters = all(inputs.length);
        Variable[] xs = variables(inputs, allParameters);
        Variable y = graph.apply(xs);
        String nodes = nodeKinds(y);
        BackwardOptions firstOrder = BackwardOptions.defaults().seed(upstreamFor(y.shape()));

        Tensor[] numeric = numericGradients(point -> {
            Variable[] ps = variables(point, allParameters);
            return dot(gradients(graph.apply(ps), ps, allParameters, firstOrder), directions);
        }, inputs);
        Variable[] recorded = graphGradients(y, xs, firstOrder.createGraph());
        // A fresh graph: a plain backward through y's would free the nodes that h's create-graph gradients use.
        Tensor[] plain = gradients(graph.apply(xs), xs, allParameters, firstOrder);
        Variable h = Variable.constant(0.0);
        for (int i = 0; i < recorded.length; i++) {
            h = Ops.add(h, Ops.sum(Ops.mul(recorded[i], Variable.constant(directions[i]))));
        }
        Tensor[] analytic = gradients(h, xs, allParameters, BackwardOptions.defaults());
        return compare(nodes, " (create-graph gradients against plain ones)", inputs, values(recorded), plain)
                .orWorse(compare(nodes, " (second derivatives)", inputs, analytic, numeric));
    }

    // ---- the analytic side ----------------------------------------------------------------------------------

    /** The gradients of y for the parameters among xs, as values; null for constants, zeros if y needs none. */
    private static Tensor[] gradients(Variable y, Variable[] xs, boolean[] isParameter, BackwardOptions options) {
        Tensor[] result = new Tensor[xs.length];
        List<Variable> parameters = new ArrayList<>();
        for (int i = 0; i < xs.length; i++) {
            if (isParameter[i]) {
                parameters.add(xs[i]);
            }
        }
        Variable[] gs = graphGradients(y, parameters.toArray(new Variable[0]), options);
        for (int i = 0, p = 0; i < xs.length; i++) {
            result[i] = isParameter[i] ? gs[p++].value() : null;
        }
        return result;
    }

    /** The gradients of y for each parameter, zeros for those it does not depend on. */
    private static Variable[] graphGradients(Variable y, Variable[] parameters, BackwardOptions options) {
        if (y.requiresGrad()) {
            return Gradients.of(options.allowUnused(), y, parameters);
        }
        return Arrays.stream(parameters).map(x -> Variable.constant(Tensor.zeros(x.shape()))).toArray(Variable[]::new);
    }

    /**
     * The sets of inputs made parameters, the others constants: all of them first; then every other non-empty
     * subset for up to {@link #ALL_COMBINATIONS_UP_TO} inputs, or beyond that each input alone and each left out.
     */
    private static List<boolean[]> parameterSets(int n) {
        List<boolean[]> sets = new ArrayList<>();
        sets.add(all(n));
        if (n <= ALL_COMBINATIONS_UP_TO) {
            for (int mask = (1 << n) - 2; mask > 0; mask--) {
                boolean[] set = new boolean[n];
                for (int i = 0; i < n; i++) {
                    set[i] = (mask & (1 << i)) != 0;
                }
                sets.add(set);
            }
            return sets;
        }
        for (int i = 0; i < n; i++) {
            boolean[] alone = new boolean[n];
            alone[i] = true;
            boolean[] leftOut = all(n);
            leftOut[i] = false;
            sets.add(alone);
            sets.add(leftOut);
        }
        return sets;
    }

    // ---- the numerical side ---------------------------------------------------------------------------------

    /** The finite-difference gradient of J for every element of every input. */
    private Tensor[] numericGradients(ToDoubleFunction<Tensor[]> J, Tensor[] inputs) {
        Tensor[] result = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            int input = i;
            double[] gradient = new double[inputs[i].size()];
            for (int j = 0; j < gradient.length; j++) {
                int position = j;
                gradient[j] = derivative(v -> {
                    Tensor[] point = inputs.clone();
                    point[input] = inputs[input].withFlat(position, v);
                    return J.applyAsDouble(point);
                }, inputs[i].getFlat(j));
            }
            result[i] = Tensor.of(inputs[i].shape(), gradient);
        }
        return result;
    }

    /** f′(x): the extrapolated central difference, or around a kink the one-sided difference on x's side. */
    private double derivative(DoubleUnaryOperator f, double x) {
        if (!Double.isNaN(kink)) {
            double h = x > kink ? epsilon : -epsilon;
            return (-3 * f.applyAsDouble(x) + 4 * f.applyAsDouble(x + h) - f.applyAsDouble(x + 2 * h)) / (2 * h);
        }
        double e = epsilon;
        double near = f.applyAsDouble(x + e) - f.applyAsDouble(x - e);
        double far = f.applyAsDouble(x + 2 * e) - f.applyAsDouble(x - 2 * e);
        return (8 * near - far) / (12 * e);
    }

    /** J = Σ graph(point) ⊙ u. */
    private static double projected(Graph graph, Tensor[] point, Tensor u) {
        return graph.apply(variables(point, all(point.length))).value().mul(u).sum().item();
    }

    /** Σᵢ ⟨gᵢ, vᵢ⟩. */
    private static double dot(Tensor[] gs, Tensor[] vs) {
        double sum = 0;
        for (int i = 0; i < gs.length; i++) {
            sum += gs[i].mul(vs[i]).sum().item();
        }
        return sum;
    }

    // ---- comparing ------------------------------------------------------------------------------------------

    /** The worst element of every input that has an analytic gradient. */
    private Report compare(String nodes, String context, Tensor[] inputs, Tensor[] analytic, Tensor[] numeric) {
        Report worst = Report.passing(nodes);
        for (int i = 0; i < inputs.length; i++) {
            if (analytic[i] == null) {
                continue;
            }
            for (int j = 0; j < inputs[i].size(); j++) {
                worst = worst.orWorse(new Report(nodes, context, i, inputs[i].shape(), j, analytic[i].getFlat(j),
                        numeric[i].getFlat(j), atol, rtol));
            }
        }
        return worst;
    }

    /** Like {@code  (with inputs 0, 2 constant)}, or nothing when every input is a parameter. */
    private static String withConstants(boolean[] isParameter) {
        int[] constants = IntStream.range(0, isParameter.length).filter(i -> !isParameter[i]).toArray();
        if (constants.length == 0) {
            return "";
        }
        String list = Arrays.stream(constants).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        return " (with " + (constants.length == 1 ? "input " : "inputs ") + list + " constant)";
    }

    // ---- plumbing -------------------------------------------------------------------------------------------

    private static void checkGraphAndInputs(Graph graph, Tensor[] inputs) {
        checkNotNull(graph, "GradCheck: graph is null");
        checkNotNull(inputs, "GradCheck: inputs is null");
        for (int i = 0; i < inputs.length; i++) {
            checkNotNull(inputs[i], "GradCheck: input %s is null", i);
        }
    }

    private static boolean[] all(int n) {
        boolean[] all = new boolean[n];
        Arrays.fill(all, true);
        return all;
    }

    /** Input i as a parameter named {@code input i} where isParameter[i], else as a constant. */
    private static Variable[] variables(Tensor[] inputs, boolean[] isParameter) {
        Variable[] xs = new Variable[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Variable x = isParameter[i] ? Variable.parameter(inputs[i]) : Variable.constant(inputs[i]);
            xs[i] = x.named("input " + i);
        }
        return xs;
    }

    private static Tensor[] values(Variable[] xs) {
        return Arrays.stream(xs).map(Variable::value).toArray(Tensor[]::new);
    }

    /** The kinds of node in the graph behind y, sorted, e.g. {@code [Affine, Sigmoid]}. */
    private static String nodeKinds(Variable y) {
        return Graphs.nodes(y).stream().map(Function::kind)
                .collect(Collectors.toCollection(TreeSet::new)).toString();
    }

    /** The outcome of a check: the worst element found, or a pass. */
    public static final class Report {
        private final String nodes;
        private final String context;
        private final int input;
        private final Shape inputShape;
        private final int position;
        private final double analytic;
        private final double numeric;
        private final double atol;
        private final double rtol;

        private Report(String nodes, String context, int input, Shape inputShape, int position, double analytic,
                double numeric, double atol, double rtol) {
            this.nodes = nodes;
            this.context = context;
            this.input = input;
            this.inputShape = inputShape;
            this.position = position;
            this.analytic = analytic + 0.0; // prints −0 as 0
            this.numeric = numeric + 0.0;
            this.atol = atol;
            this.rtol = rtol;
        }

        private static Report passing(String nodes) {
            return new Report(nodes, "", -1, null, -1, 0, 0, 1, 0);
        }

        /** This report, or {@code other} if its element is worse. */
        private Report orWorse(Report other) {
            return other.badness() > badness() ? other : this;
        }

        /** Error over allowed error: above 1 fails. An exact match is 0 even with no tolerance; NaN or ∞ fails. */
        private double badness() {
            if (!Double.isFinite(analytic) || !Double.isFinite(numeric)) {
                return Double.POSITIVE_INFINITY;
            }
            double error = absoluteError();
            return error == 0 ? 0 : error / (atol + rtol * Math.abs(numeric));
        }

        /**
         * @return whether every element of every input was within tolerance, with finite gradients
         */
        public boolean passed() {
            return badness() <= 1.0;
        }

        /**
         * @return the index of the input holding the worst element, or −1 when every element matched exactly
         */
        public int input() {
            return input;
        }

        /**
         * @return the row-major position of the worst element within its input
         */
        public int position() {
            return position;
        }

        /**
         * @return the worst element's gradient by backward
         */
        public double analytic() {
            return analytic;
        }

        /**
         * @return the worst element's gradient by finite differences
         */
        public double numeric() {
            return numeric;
        }

        /**
         * @return |analytic − numeric| at the worst element
         */
        public double absoluteError() {
            return Math.abs(analytic - numeric);
        }

        /**
         * @return |analytic − numeric| / |numeric| at the worst element
         */
        public double relativeError() {
            return absoluteError() / Math.max(Math.abs(numeric), Double.MIN_NORMAL);
        }

        /**
         * @return the kinds of node in the checked graph, sorted, like {@code [Affine, Sigmoid]}
         */
        public String nodes() {
            return nodes;
        }

        /**
         * Throws an {@link AssertionError} carrying this report unless the check passed.
         *
         * @throws AssertionError with {@link #toString()} as its message
         */
        public void assertPassed() {
            if (!passed()) {
                throw new AssertionError(toString());
            }
        }

        /**
         * Like {@code GradCheck FAILED for [Affine] (with input 0 constant): worst element is input 1 (3, 2) at
         * [2, 0]: analytic …, numeric …, absolute error …, relative error … (atol 1e-08, rtol 1e-06)}.
         */
        @Override
        public String toString() {
            if (input < 0) {
                return "GradCheck passed for " + nodes + ": every gradient is exact";
            }
            return String.format("GradCheck %s for %s%s: worst element is input %d %s at %s: analytic %.10g, "
                            + "numeric %.10g, absolute error %.3g, relative error %.3g (atol %.1g, rtol %.1g)",
                    passed() ? "passed" : "FAILED", nodes, context, input, inputShape,
                    Arrays.toString(inputShape.unravel(position)), analytic, numeric, absoluteError(),
                    relativeError(), atol, rtol);
        }
    }
}
