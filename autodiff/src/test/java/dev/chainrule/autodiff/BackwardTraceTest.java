package dev.chainrule.autodiff;

import static dev.chainrule.autodiff.testing.Properties.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.autodiff.testing.Gens;
import dev.chainrule.autodiff.testing.PropertyTest;
import dev.chainrule.core.Tensor;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** The trace of a backward pass: what it records, the derivatives it chains from that, and how it prints. */
class BackwardTraceTest {
    private static final double EXACT = 1e-14;

    /** y = exp(u), u = tanh(x): dy/du = y, du/dx = 1 − u², dy/dx = y(1 − u²). */
    record ExpTanh(Variable x, Variable u, Variable y, BackwardTrace trace) {
        static ExpTanh tracedAt(double x0, BackwardOptions options) {
            return tracedThrough(x0, options, trace -> trace);
        }

        /** Traced through a listener that {@code listening} makes of the trace, to tamper with what it sees. */
        static ExpTanh tracedThrough(double x0, BackwardOptions options,
                java.util.function.Function<BackwardTrace, BackwardListener> listening) {
            Variable x = Variable.parameter(Tensor.scalar(x0)).named("x");
            Variable u = Ops.tanh(x).named("u");
            Variable y = Ops.exp(u).named("y");
            BackwardTrace trace = new BackwardTrace();
            y.backward(options.listener(listening.apply(trace)));
            return new ExpTanh(x, u, y, trace);
        }
    }

    @Test
    void localDerivativesOfAScalarChainAreTheClosedForms() {
        ExpTanh c = ExpTanh.tracedAt(0.7, BackwardOptions.defaults());
        double u = Math.tanh(0.7);
        double y = Math.exp(u);

        assertEquals(y, c.trace().derivative(c.y(), c.u()), EXACT * y);
        assertEquals(1 - u * u, c.trace().derivative(c.u(), c.x()), EXACT);
        assertEquals(y * (1 - u * u), c.trace().derivative(c.y(), c.x()), EXACT * y);
        assertEquals(1.0, c.trace().derivative(c.u(), c.u()));
    }

    @Test
    void gradientsAreWhatTheEngineAccumulated() {
        ExpTanh c = ExpTanh.tracedAt(-0.4, BackwardOptions.defaults());

        assertEquals(1.0, c.trace().gradient(c.y()));
        assertEquals(Math.exp(Math.tanh(-0.4)), c.trace().gradient(c.u()), EXACT);
        assertEquals(c.x().grad().item(), c.trace().gradient(c.x())); // the same sum, so the same double
    }

    @Test
    void chainedDerivativeMatchesGradCheckAndACentralDifference() {
        DoubleUnaryOperator f = x -> Math.exp(Math.tanh(x));
        double x0 = 1.3;
        double h = 1e-5;
        ExpTanh c = ExpTanh.tracedAt(x0, BackwardOptions.defaults());

        GradCheck.assertMatches(xs -> Ops.exp(Ops.tanh(xs[0])), Tensor.scalar(x0));
        assertEquals((f.applyAsDouble(x0 + h) - f.applyAsDouble(x0 - h)) / (2 * h),
                c.trace().derivative(c.y(), c.x()), 1e-9);
    }

    @PropertyTest
    void derivativeFromTheLocalsEqualsTheEnginesGradient() {
        qt().forAll(Gens.values(-3, 3)).checkAssert(x0 -> {
            ExpTanh c = ExpTanh.tracedAt(x0, BackwardOptions.defaults());
            double grad = c.x().grad().item();
            assertEquals(grad, c.trace().derivative(c.y(), c.x()), 1e-14 * Math.abs(grad), "at x = " + x0);
        });
    }

    @Test
    void aVariableUsedTwiceGetsTheSumAndItsDerivativeSumsBothPaths() {
        Variable x = Variable.parameter(Tensor.scalar(0.5)).named("x");
        Variable e = Ops.exp(x).named("e");
        Variable y = x.mul(e).named("y"); // dy/dx = e (x as a factor) + x·e (through e)
        BackwardTrace trace = new BackwardTrace();

        y.backward(BackwardOptions.defaults().listener(trace));

        double expected = Math.exp(0.5) * 1.5;
        assertEquals(expected, trace.derivative(y, x), EXACT * expected);
        assertEquals(x.grad().item(), trace.gradient(x));
        assertTrue(trace.toString().contains("∂y/∂x += ∂y/∂y · ∂y/∂x = 1 · 1.6487213 = 1.6487213"), trace.toString());
    }

    @Test
    void aSeedOtherThanOneScalesGradientsButNotLocalDerivatives() {
        ExpTanh c = ExpTanh.tracedAt(0.2, BackwardOptions.defaults().seed(Tensor.scalar(3)));
        double u = Math.tanh(0.2);

        assertEquals(3.0, c.trace().gradient(c.y()));
        assertEquals(1 - u * u, c.trace().derivative(c.u(), c.x()), EXACT);
        assertEquals(3 * Math.exp(u) * (1 - u * u), c.trace().gradient(c.x()), EXACT * 10);
    }

    @Test
    void aZeroSeedLeavesLocalDerivativesUnknownRatherThanDividingByZero() {
        ExpTanh c = ExpTanh.tracedAt(0.2, BackwardOptions.defaults().seed(Tensor.scalar(0)));

        assertTrue(c.trace().steps().get(0).inputs().get(0).local().isEmpty());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.trace().derivative(c.y(), c.x()));
        assertTrue(e.getMessage().contains("0/0"), e.getMessage());
        assertTrue(c.trace().toString().contains("∂y/∂u = ∂y/∂y · ∂y/∂u = 0 · ? (0/0: the upstream is 0) = 0"),
                c.trace().toString());
    }

    @Test
    void stepsComeInTheOrderVisitedWithUpstreamsAndLocals() {
        ExpTanh c = ExpTanh.tracedAt(0.7, BackwardOptions.defaults());
        List<BackwardTrace.Step> steps = c.trace().steps();

        assertEquals(List.of("Exp", "Tanh"), steps.stream().map(BackwardTrace.Step::kind).toList());
        assertEquals(List.of("y", "u"), steps.stream().map(BackwardTrace.Step::label).toList());
        assertEquals(List.of("u"), steps.get(0).arguments());
        assertEquals(Math.exp(Math.tanh(0.7)), steps.get(1).upstream().item(), EXACT);
        assertEquals("x", steps.get(1).inputs().get(0).label());
    }

    @Test
    void aScalarTracePrintsTheChainRuleAndUnnamedValuesGetTheirNodesKind() {
        Variable x = Variable.parameter(Tensor.scalar(2)).named("x");
        Variable y = Ops.tanh(x.mul(3)).named("y"); // x·3 unnamed

        BackwardTrace trace = new BackwardTrace();
        y.backward(BackwardOptions.defaults().listener(trace));

        String local = Figures.significant(1 - Math.pow(Math.tanh(6), 2), 8);
        String gradient = Figures.significant(trace.gradient(x), 8);
        assertEquals("1. y = Tanh(Mul#1)\n"
                + "    ∂y/∂Mul#1 = ∂y/∂y · ∂y/∂Mul#1 = 1 · " + local + " = " + local + "\n"
                + "2. Mul#1 = Mul(x, constant#2)\n"
                + "    ∂y/∂x = ∂y/∂Mul#1 · ∂Mul#1/∂x = " + local + " · 3 = " + gradient + "\n", trace.toString());
    }

    @Test
    void aTensorTracePrintsShapesAndNorms() {
        Variable x = Variable.constant(Tensor.ones(4, 3)).named("x");
        Variable w = Variable.parameter(Tensor.full(dev.chainrule.core.Shape.of(3, 10), 0.1)).named("W");
        Variable h = Ops.sigmoid(Ops.matmul(x, w)).named("h");
        Variable loss = Ops.sum(h).named("L");
        BackwardTrace trace = new BackwardTrace();

        loss.backward(BackwardOptions.defaults().listener(trace));

        String text = trace.toString();
        assertTrue(text.contains("h (4, 10) = Sigmoid(MatMul#"), text);
        assertTrue(text.contains("upstream ∂L/∂h = (4, 10) ‖·‖ = " + Figures.significant(Math.sqrt(40), 8)), text);
        assertTrue(text.contains("∂L/∂W = (3, 10) ‖·‖ = " + Figures.significant(Figures.norm(w.grad().value()), 8)),
                text);
        assertTrue(trace.gradientOf(w).orElseThrow().allClose(w.grad().value(), 0, 0));
    }

    @Test
    void variablesOutsideThePassPathsThatDoNotExistAndTensorsAreRefused() {
        ExpTanh c = ExpTanh.tracedAt(0.7, BackwardOptions.defaults());
        Variable stranger = Variable.parameter(Tensor.scalar(1)).named("z");
        Variable vector = Variable.parameter(Tensor.vector(1, 2)).named("v");

        assertThrows(IllegalArgumentException.class, () -> c.trace().derivative(c.y(), stranger));
        assertThrows(IllegalArgumentException.class, () -> c.trace().gradient(stranger));
        IllegalArgumentException upward = assertThrows(IllegalArgumentException.class,
                () -> c.trace().derivative(c.x(), c.y()));
        assertTrue(upward.getMessage().contains("no path"), upward.getMessage());
        IllegalArgumentException notInPass = assertThrows(IllegalArgumentException.class,
                () -> c.trace().derivative(vector, c.x()));
        assertTrue(notInPass.getMessage().contains("v (2) received no gradient in the traced pass"),
                notInPass.getMessage());
        assertFalse(c.trace().gradientOf(stranger).isPresent());
    }

    @Test
    void aSecondBackwardIntoTheSameTraceIsRefused() {
        Variable x = Variable.parameter(Tensor.scalar(0.3)).named("x");
        BackwardTrace trace = new BackwardTrace();
        Ops.exp(x).backward(BackwardOptions.defaults().listener(trace));

        assertThrows(IllegalStateException.class,
                () -> Ops.tanh(x).backward(BackwardOptions.defaults().listener(trace)));
    }

    /** The README's example, line for line. */
    @Test
    void readmeExample() {
        Variable x = Variable.parameter(Tensor.scalar(0.5)).named("x");
        Variable u = Ops.tanh(x).named("u");
        Variable y = Ops.exp(u).named("y");
        BackwardTrace trace = new BackwardTrace();
        y.backward(BackwardOptions.defaults().retainGraph().listener(trace));

        String steps = trace.toString();             // each node visited, as chain-rule products
        String chain = trace.chain(u, x).toString(); // ∂y/∂x = ∂y/∂u · ∂u/∂x = …
        double dydx = trace.derivative(y, x);        // from the recorded local derivatives alone
        String picture = GraphDot.of(y, trace);      // Graphviz text: dot -Tsvg graph.dot -o graph.svg

        assertEquals(x.grad().item(), dydx, 1e-15);
        assertEquals("1. y = Exp(u)\n    ∂y/∂u = ∂y/∂y · ∂y/∂u = 1 · 1.5874313 = 1.5874313\n"
                + "2. u = Tanh(x)\n    ∂y/∂x = ∂y/∂u · ∂u/∂x = 1.5874313 · 0.78644773 = 1.2484317\n", steps);
        assertEquals("∂y/∂x = ∂y/∂u · ∂u/∂x = 1.5874313 · 0.78644773 = 1.2484317", chain);
        assertTrue(picture.contains("label=\"u\\nvalue 0.46211716\\ngrad 1.5874313\""), picture);
    }

    /** Negative control: were a recorded local factor wrong by 1%, the chained product would miss the engine's. */
    @Test
    void aPlantedWrongLocalFactorIsCaughtByComparingTheProductWithTheEnginesGradient() {
        ExpTanh c = ExpTanh.tracedThrough(0.7, BackwardOptions.defaults(), trace -> (node, gy, gxs) -> trace.visited(
                node, gy, node.toString().startsWith("Tanh") ? new Variable[] {gxs[0].mul(1.01)} : gxs));

        double grad = c.x().grad().item();
        double product = c.trace().chain(c.u(), c.x()).product();
        assertEquals(1.01 * grad, product, 1e-12);
        assertTrue(Math.abs(product - grad) > 1e-3 * Math.abs(grad));
    }
}
