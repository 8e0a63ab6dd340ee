package dev.chainrule.autodiff;

import static com.google.common.base.Preconditions.checkArgument;

import dev.chainrule.core.Randoms;
import dev.chainrule.core.Tensor;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Checks backward against central differences (J(θ + ε) − J(θ − ε)) / 2ε, element by element, for any graph
 * built from {@link Variable}s, and reports the worst element rather than a bare boolean. A non-scalar output
 * is reduced to J = Σ output ⊙ u with an upstream gradient u (random and seeded unless given), so every
 * element of the Jacobian takes part. Depends on no test library: call it from any test framework.
 *
 * <pre>{@code
 * GradCheck.defaults().check(xs -> Ops.affine(xs[0], xs[1], xs[2]), x, w, b).assertPassed();
 * }</pre>
 *
 * Defaults suit double precision: ε = 1e-6 and an element passes when |analytic − numeric| ≤ atol + rtol·|numeric|
 * with atol = 1e-5 and rtol = 1e-3, as in PyTorch's gradcheck.
 */
public final class GradCheck {
    /** A graph under test: the inputs, as parameters, to the output. */
    @FunctionalInterface
    public interface Graph {
        Variable apply(Variable... xs);
    }

    private static final GradCheck DEFAULTS = new GradCheck(1e-6, 1e-5, 1e-3, null, 0L);

    private final double epsilon;
    private final double atol;
    private final double rtol;
    private final Tensor upstream;
    private final long seed;

    private GradCheck(double epsilon, double atol, double rtol, Tensor upstream, long seed) {
        checkArgument(epsilon > 0 && atol >= 0 && rtol >= 0, "GradCheck: ε %s must be positive, tolerances %s and %s not negative",
                epsilon, atol, rtol);
        this.epsilon = epsilon;
        this.atol = atol;
        this.rtol = rtol;
        this.upstream = upstream;
        this.seed = seed;
    }

    /** ε = 1e-6, atol = 1e-5, rtol = 1e-3, random upstream gradients from seed 0. */
    public static GradCheck defaults() {
        return DEFAULTS;
    }

    /** Checks {@code graph} at {@code inputs} with the default settings; throws {@link AssertionError} with the report. */
    public static void assertMatches(Graph graph, Tensor... inputs) {
        DEFAULTS.check(graph, inputs).assertPassed();
    }

    /** Checks the gradients of gradients of {@code graph} with the default settings. */
    public static void assertSecondOrderMatches(Graph graph, Tensor... inputs) {
        DEFAULTS.checkSecondOrder(graph, inputs).assertPassed();
    }

    public GradCheck epsilon(double newEpsilon) {
        return new GradCheck(newEpsilon, atol, rtol, upstream, seed);
    }

    public GradCheck tolerances(double newAtol, double newRtol) {
        return new GradCheck(epsilon, newAtol, newRtol, upstream, seed);
    }

    /** Uses this gradient of the output (its shape) instead of a random one. */
    public GradCheck upstream(Tensor gradient) {
        return new GradCheck(epsilon, atol, rtol, gradient, seed);
    }

    /** Seeds the random upstream gradients and second-order directions. */
    public GradCheck seed(long newSeed) {
        return new GradCheck(epsilon, atol, rtol, upstream, newSeed);
    }

    /** Compares backward with central differences for every element of every input. */
    public Report check(Graph graph, Tensor... inputs) {
        Variable[] params = parameters(inputs);
        Variable y = graph.apply(params);
        String nodes = nodeKinds(y);
        Tensor u = upstreamFor(y, Randoms.seeded(seed));
        Variable[] analytic = y.requiresGrad()
                ? Gradients.of(BackwardOptions.defaults().seed(u), y, params)
                : new Variable[inputs.length];
        Report worst = Report.passing(nodes);
        for (int i = 0; i < inputs.length; i++) {
            Tensor x = inputs[i];
            Tensor gx = analytic[i] == null ? Tensor.zeros(x.shape()) : analytic[i].value();
            for (int j = 0; j < x.size(); j++) {
                double xj = x.getFlat(j);
                double plus = projected(graph, inputs, i, x.withFlat(j, xj + epsilon), u);
                double minus = projected(graph, inputs, i, x.withFlat(j, xj - epsilon), u);
                double numeric = (plus - minus) / (2 * epsilon);
                Report element = new Report(nodes, i, x, j, gx.getFlat(j), numeric, atol, rtol);
                if (element.badness() > worst.badness()) {
                    worst = element;
                }
            }
        }
        return worst;
    }

    /**
     * Checks second derivatives: the first-order check applied to h(θ) = Σᵢ ⟨∂J/∂θᵢ, vᵢ⟩, whose gradients come
     * from backward through a create-graph backward. The directions vᵢ are random and seeded.
     */
    public Report checkSecondOrder(Graph graph, Tensor... inputs) {
        RandomGenerator random = Randoms.seeded(seed + 1);
        Tensor[] directions = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            directions[i] = Tensor.normal(random, 0, 1, inputs[i].shape());
        }
        Graph gradientDotDirection = xs -> {
            Variable y = graph.apply(xs);
            Variable[] gs = Gradients.of(BackwardOptions.defaults().createGraph().seed(upstreamFor(y, Randoms.seeded(seed))), y, xs);
            Variable h = Variable.constant(0.0);
            for (int i = 0; i < gs.length; i++) {
                if (gs[i] != null) {
                    h = Ops.add(h, Ops.sum(Ops.mul(gs[i], Variable.constant(directions[i]))));
                }
            }
            return h;
        };
        return check(gradientDotDirection, inputs);
    }

    /** J = Σ graph(inputs with input i replaced) ⊙ u. */
    private static double projected(Graph graph, Tensor[] inputs, int i, Tensor replaced, Tensor u) {
        Tensor[] perturbed = inputs.clone();
        perturbed[i] = replaced;
        return graph.apply(parameters(perturbed)).value().mul(u).sum().item();
    }

    private Tensor upstreamFor(Variable y, RandomGenerator random) {
        if (upstream != null) {
            checkArgument(upstream.shape().equals(y.shape()), "GradCheck: upstream gradient %s does not match output %s",
                    upstream.shape(), y.shape());
            return upstream;
        }
        return y.value().size() == 1 ? Tensor.ones(y.shape()) : Tensor.normal(random, 0, 1, y.shape());
    }

    private static Variable[] parameters(Tensor[] inputs) {
        Variable[] params = new Variable[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            params[i] = Variable.parameter(inputs[i]).named("input " + i);
        }
        return params;
    }

    /** The kinds of node in the graph behind y, sorted, e.g. {@code [Affine, Sigmoid]}. */
    private static String nodeKinds(Variable y) {
        return Graphs.nodes(y).stream().map(node -> node.getClass().getSimpleName())
                .collect(Collectors.toCollection(TreeSet::new)).toString();
    }

    /** The outcome of a check: the worst element found, or a pass. */
    public static final class Report {
        private final String nodes;
        private final int input;
        private final Tensor inputValue;
        private final int position;
        private final double analytic;
        private final double numeric;
        private final double atol;
        private final double rtol;

        private Report(String nodes, int input, Tensor inputValue, int position, double analytic, double numeric,
                double atol, double rtol) {
            this.nodes = nodes;
            this.input = input;
            this.inputValue = inputValue;
            this.position = position;
            this.analytic = analytic + 0.0; // prints −0 as 0
            this.numeric = numeric + 0.0;
            this.atol = atol;
            this.rtol = rtol;
        }

        private static Report passing(String nodes) {
            return new Report(nodes, -1, null, -1, 0, 0, 1, 0);
        }

        /** Error over allowed error: above 1 fails. An exact match is 0 even with no tolerance; NaN fails. */
        private double badness() {
            double error = absoluteError();
            if (Double.isNaN(error)) {
                return Double.POSITIVE_INFINITY;
            }
            return error == 0 ? 0 : error / (atol + rtol * Math.abs(numeric));
        }

        public boolean passed() {
            return badness() <= 1.0;
        }

        /** Index of the input holding the worst element, or −1 when every element passed at zero error. */
        public int input() {
            return input;
        }

        /** Row-major position of the worst element within its input. */
        public int position() {
            return position;
        }

        public double analytic() {
            return analytic;
        }

        public double numeric() {
            return numeric;
        }

        public double absoluteError() {
            return Math.abs(analytic - numeric);
        }

        public double relativeError() {
            return absoluteError() / Math.max(Math.abs(numeric), Double.MIN_NORMAL);
        }

        /** The kinds of node in the checked graph. */
        public String nodes() {
            return nodes;
        }

        /** Throws an {@link AssertionError} carrying this report unless the check passed. */
        public void assertPassed() {
            if (!passed()) {
                throw new AssertionError(toString());
            }
        }

        @Override
        public String toString() {
            if (input < 0) {
                return "GradCheck passed for " + nodes + ": every gradient is exact";
            }
            return String.format("GradCheck %s for %s: worst element is input %d %s at %s: analytic %.10g, numeric %.10g, "
                            + "absolute error %.3g, relative error %.3g (atol %.1g, rtol %.1g)",
                    passed() ? "passed" : "FAILED", nodes, input, inputValue.shape(), index(), analytic, numeric,
                    absoluteError(), relativeError(), atol, rtol);
        }

        /** The worst element's multi-index, like {@code [2, 0]}. */
        private String index() {
            return Arrays.toString(inputValue.shape().unravel(position));
        }
    }
}
