package dev.chainrule.autodiff;

import dev.chainrule.autodiff.testing.Case;
import dev.chainrule.autodiff.testing.Gens;
import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.util.Arrays;
import org.quicktheories.core.Gen;

/**
 * Assertions shared by the node properties. Each failure message says what was checked, what was expected and
 * what came; QuickTheories adds the (shrunk) case and the seed.
 */
final class PropertyChecks {
    /** Forward results and oracles differ only by rounding in the order of summation. */
    private static final double ATOL = 1e-9;
    private static final double RTOL = 1e-9;

    private PropertyChecks() {}

    /** GradCheck at the case's inputs, with the random upstream gradient (and directions) drawn from {@code seed}. */
    static void assertGradientsMatch(Case c, long seed) {
        GradCheck.defaults().seed(seed).check(c.graph(), c.inputs()).assertPassed();
    }

    static void assertSecondOrderGradientsMatch(Case c, long seed) {
        GradCheck.defaults().seed(seed).checkSecondOrder(c.graph(), c.inputs()).assertPassed();
    }

    /**
     * The case's graph followed by y ⊙ y, for second-order checks of linear nodes: the gradient reaching the node
     * then depends on the inputs, so that the node's backward is itself differentiated, not just replayed.
     */
    static Case squared(Case c) {
        return new Case("squared " + c.shapes(), xs -> {
            Variable y = c.graph().apply(xs);
            return Ops.mul(y, y);
        }, c.inputs());
    }

    /** The upstream gradient GradCheck uses with this seed: never 1 for a single element, else standard normal. */
    static Tensor upstream(Shape shape, long seed) {
        return GradCheck.defaults().seed(seed).upstreamFor(shape);
    }

    /** The gradients of the case's graph for every input, by backward from {@link #upstream} of {@code seed}. */
    static Variable[] gradients(Case c, long seed) {
        Variable[] xs = parameters(c.inputs());
        Variable y = c.graph().apply(xs);
        return Gradients.of(BackwardOptions.defaults().seed(upstream(y.shape(), seed)), y, xs);
    }

    /** The gradients of the case's graph for every input, from the upstream gradient of the case's own seed. */
    static Variable[] gradients(Case c) {
        return gradients(c, c.seed());
    }

    /**
     * A node and its composed twin (the same function built from other nodes) agree to rounding: in value, in the
     * gradient of every input from the case's upstream gradient, and in the second derivatives along random
     * directions, both recorded by create-graph. An exact oracle, far tighter than finite differences.
     */
    static void assertSameAsTwin(Case node, Case twin) {
        Variable[] xs = parameters(node.inputs());
        String what = node.shapes() + " against its twin " + twin.shapes();
        assertClose(what, twin.graph().apply(xs).value(), node.graph().apply(xs).value());
        Variable[] expected = gradients(twin, node.seed());
        Variable[] actual = gradients(node, node.seed());
        for (int i = 0; i < expected.length; i++) {
            assertClose(what + ": gradient of input " + i, expected[i].value(), actual[i].value());
        }
        Tensor[] expectedSecond = secondDerivativesAlongDirections(twin, node.seed());
        Tensor[] actualSecond = secondDerivativesAlongDirections(node, node.seed());
        for (int i = 0; i < expectedSecond.length; i++) {
            assertClose(what + ": second derivative of input " + i, expectedSecond[i], actualSecond[i]);
        }
    }

    /** d/dθ Σᵢ ⟨∂J/∂θᵢ, vᵢ⟩ by backward through a create-graph backward, for directions v drawn from the seed. */
    private static Tensor[] secondDerivativesAlongDirections(Case c, long seed) {
        Variable[] xs = parameters(c.inputs());
        Variable y = c.graph().apply(xs);
        BackwardOptions options = BackwardOptions.defaults().seed(upstream(y.shape(), seed)).createGraph().allowUnused();
        Variable[] gs = Gradients.of(options, y, xs);
        Variable h = Variable.constant(0.0);
        for (int i = 0; i < gs.length; i++) {
            Tensor v = Tensor.normal(Randoms.seeded(seed + i), 0, 1, xs[i].shape());
            h = Ops.add(h, Ops.sum(Ops.mul(gs[i], Variable.constant(v))));
        }
        if (!h.requiresGrad()) {
            return Arrays.stream(xs).map(x -> Tensor.zeros(x.shape())).toArray(Tensor[]::new);
        }
        return Arrays.stream(Gradients.of(BackwardOptions.defaults().allowUnused(), h, xs)).map(Variable::value)
                .toArray(Tensor[]::new);
    }

    /** Tensors of rank 0 to 3 (scalars, batches of one, size-1 dimensions) with values from {@code values}. */
    static Gen<Tensor> tensorsOfRankUpTo3(Gen<Double> values) {
        return Gens.tensors(Gens.shapes(0, 3), values);
    }

    /** The case's output value, its inputs given as constants. */
    static Tensor forward(Case c) {
        return c.graph().apply(Arrays.stream(c.inputs()).map(Variable::constant).toArray(Variable[]::new)).value();
    }

    static Variable[] parameters(Tensor... values) {
        Variable[] xs = new Variable[values.length];
        for (int i = 0; i < values.length; i++) {
            xs[i] = Variable.parameter(values[i]);
        }
        return xs;
    }

    /** Every input receives a gradient of its own shape, however the graph broadcast it. */
    static void assertGradientShapesMatchInputs(Case c, long seed) {
        Variable[] gs = gradients(c, seed);
        for (int i = 0; i < gs.length; i++) {
            Shape expected = c.input(i).shape();
            if (gs[i] == null || !gs[i].shape().equals(expected)) {
                throw new AssertionError(String.format("%s: gradient of input %d should have the input's shape %s, "
                        + "got %s", c.shapes(), i, expected, gs[i] == null ? "no gradient" : gs[i].shape()));
            }
        }
    }

    /** Tensors with their shapes, for QuickTheories to print generated tensors that are not inside a Case. */
    static String describe(Tensor... tensors) {
        StringBuilder sb = new StringBuilder();
        for (Tensor t : tensors) {
            sb.append(sb.length() == 0 ? "" : "; ").append(t.shape()).append(' ').append(t);
        }
        return sb.toString();
    }

    static void assertClose(String what, Tensor expected, Tensor actual) {
        assertClose(what, expected, actual, ATOL, RTOL);
    }

    /** Same shape, and every element within atol + rtol·|expected|. */
    static void assertClose(String what, Tensor expected, Tensor actual, double atol, double rtol) {
        if (!actual.allClose(expected, atol, rtol)) {
            throw new AssertionError(String.format("%s: expected %s %s, got %s %s (atol %.1g, rtol %.1g)",
                    what, expected.shape(), expected, actual.shape(), actual, atol, rtol));
        }
    }

    /** The action is refused with an IllegalArgumentException whose message names every one of the shapes. */
    static void assertRefused(String what, Runnable action, Shape... shapes) {
        IllegalArgumentException e;
        try {
            action.run();
            throw new AssertionError(what + " accepted " + Arrays.toString(shapes) + "; expected it refused");
        } catch (IllegalArgumentException refused) {
            e = refused;
        }
        for (Shape shape : shapes) {
            if (!e.getMessage().contains(shape.toString())) {
                throw new AssertionError(what + ": the refusal should name " + shape + ": " + e.getMessage());
            }
        }
    }

    static void assertFinite(String what, Tensor t) {
        for (int i = 0; i < t.size(); i++) {
            if (!Double.isFinite(t.getFlat(i))) {
                throw new AssertionError(String.format("%s: expected finite values, got %s %s", what, t.shape(), t));
            }
        }
    }

    /** The value and the gradients of every input are finite, for an upstream gradient drawn from {@code seed}. */
    static void assertValueAndGradientsFinite(Case c, long seed) {
        assertFinite(c.shapes() + " value", c.graph().apply(parameters(c.inputs())).value());
        Variable[] gs = gradients(c, seed);
        for (int i = 0; i < gs.length; i++) {
            assertFinite(c.shapes() + " gradient of input " + i, gs[i].value());
        }
    }
}
