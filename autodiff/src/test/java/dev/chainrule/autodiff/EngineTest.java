package dev.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The backward engine: accumulation, recording, graph lifetime, seeds, deep graphs, errors, higher order. */
class EngineTest {

    // ---- fan-out and accumulation ---------------------------------------------------------------------------

    @Test
    void aVariableUsedThreeTimesReceivesTheSumOfItsGradients() {
        Variable x = Variable.parameter(Tensor.vector(-1.5, 0.0, 2.0));

        Ops.sum(x.mul(x).add(x)).backward();

        // d/dx (x² + x) = 2x + 1
        assertClose(Tensor.vector(-2.0, 1.0, 5.0), x.grad().value(), 1e-12);
    }

    @Test
    void aDiamondWithBranchesOfUnequalLengthSumsBothPathsBeforeTheSharedNodeRuns() {
        // h = tanh x;  y = exp(exp h) + h:  dy/dx = (exp(exp h)·exp h + 1)(1 − h²).
        // The long branch arrives three generations later than the short one; tanh must wait for both.
        double x0 = 0.3;
        Variable x = Variable.parameter(Tensor.scalar(x0));
        Variable h = Ops.tanh(x);

        Ops.add(Ops.exp(Ops.exp(h)), h).backward();

        double h0 = Math.tanh(x0);
        double expected = (Math.exp(Math.exp(h0)) * Math.exp(h0) + 1) * (1 - h0 * h0);
        assertEquals(expected, x.grad().item(), 1e-12 * expected);
    }

    @Test
    void aWeightSharedByTwoAffineLayersReceivesTheSumOfBothLayersGradients() {
        RandomGenerator random = Randoms.seeded(11);
        Tensor xValue = Tensor.normal(random, 0, 1, Shape.of(2, 3));
        Tensor wValue = Tensor.normal(random, 0, 0.7, Shape.of(3, 3));
        Tensor bValue = Tensor.normal(random, 0, 0.5, Shape.of(3));
        Variable x = Variable.constant(xValue);

        Variable w = Variable.parameter(wValue);
        Variable b = Variable.parameter(bValue);
        twoLayers(x, w, b, w, b).backward();

        // Oracle: the same network with an own copy of the parameters per layer.
        Variable w1 = Variable.parameter(wValue), w2 = Variable.parameter(wValue);
        Variable b1 = Variable.parameter(bValue), b2 = Variable.parameter(bValue);
        twoLayers(x, w1, b1, w2, b2).backward();

        assertNotEquals(w1.grad().value(), w2.grad().value(), "the two layers must contribute differently");
        assertClose(w1.grad().value().add(w2.grad().value()), w.grad().value(), 1e-12);
        assertClose(b1.grad().value().add(b2.grad().value()), b.grad().value(), 1e-12);
    }

    private static Variable twoLayers(Variable x, Variable w1, Variable b1, Variable w2, Variable b2) {
        return Ops.sum(Ops.tanh(Ops.affine(Ops.tanh(Ops.affine(x, w1, b1)), w2, b2)));
    }

    // ---- which leaves receive gradients ---------------------------------------------------------------------

    @Test
    void constantsAndFrozenLeavesReceiveNoGradientWhileParametersDo() {
        Variable w = Variable.parameter(Tensor.vector(1.0, 2.0));
        Variable data = Variable.constant(Tensor.vector(3.0, 4.0));
        Variable frozen = Variable.constant(Tensor.vector(0.5, -0.5)).named("frozen.W");

        Ops.sum(w.mul(data).mul(frozen)).backward();

        assertFalse(data.hasGrad());
        assertFalse(frozen.hasGrad());
        assertFalse(frozen.requiresGrad());
        assertClose(Tensor.vector(1.5, -2.0), w.grad().value(), 1e-15);
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilCleared() {
        Variable x = Variable.parameter(Tensor.vector(1.0, -3.0));

        Ops.sum(x.mul(x)).backward();
        assertClose(Tensor.vector(2.0, -6.0), x.grad().value(), 1e-15);
        Ops.sum(x.mul(x)).backward();
        assertClose(Tensor.vector(4.0, -12.0), x.grad().value(), 1e-15);

        x.clearGrad();
        assertFalse(x.hasGrad());
        Ops.sum(x.mul(x)).backward();
        assertClose(Tensor.vector(2.0, -6.0), x.grad().value(), 1e-15);
    }

    // ---- recording ------------------------------------------------------------------------------------------

    @Test
    @SuppressWarnings("try") // the scope is opened for its effect only
    void noGradScopeRecordsNothingAndRestoresRecordingWhenClosed() {
        Variable x = Variable.parameter(Tensor.vector(0.5, -0.5));
        assertTrue(GradMode.isEnabled());

        Variable y;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            assertFalse(GradMode.isEnabled());
            y = Ops.tanh(x.mul(x));
        }

        assertNull(y.creator());
        assertFalse(y.requiresGrad());
        assertTrue(y.isLeaf());
        assertTrue(GradMode.isEnabled());
        assertNotNull(Ops.tanh(x).creator(), "recording resumes after the scope");
    }

    @Test
    @SuppressWarnings("try") // the scope is opened for its effect only
    void noGradScopeRestoresRecordingWhenAnExceptionLeavesIt() {
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> {
            try (GradMode.Scope ignored = GradMode.noGrad()) {
                throw new IllegalStateException("thrown inside the scope");
            }
        });

        assertEquals("thrown inside the scope", thrown.getMessage());
        assertTrue(GradMode.isEnabled());
        assertTrue(Ops.tanh(Variable.parameter(Tensor.scalar(1.0))).requiresGrad());
    }

    @Test
    @SuppressWarnings("try") // the scopes are opened for their effect only
    void nestedNoGradScopesRestoreTheSettingOfTheEnclosingScope() {
        try (GradMode.Scope outer = GradMode.noGrad()) {
            try (GradMode.Scope inner = GradMode.noGrad()) {
                assertFalse(GradMode.isEnabled());
            }
            assertFalse(GradMode.isEnabled(), "closing the inner scope must not re-enable recording");
        }
        assertTrue(GradMode.isEnabled());
    }

    @Test
    @SuppressWarnings("try") // the scope is opened for its effect only
    void aNoGradScopeHoldsOnItsOwnThreadAlone() throws InterruptedException {
        boolean[] elsewhere = new boolean[2];
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Thread other = new Thread(() -> {
                elsewhere[0] = GradMode.isEnabled();
                elsewhere[1] = Ops.tanh(Variable.parameter(Tensor.scalar(1.0))).requiresGrad();
            });
            other.start();
            other.join();
            assertFalse(GradMode.isEnabled(), "this thread's scope, after another thread asked for its own setting");
            assertFalse(Ops.tanh(Variable.parameter(Tensor.scalar(1.0))).requiresGrad());
        }
        assertTrue(elsewhere[0] && elsewhere[1], "another thread records while this one has a noGrad scope open");
    }

    @Test
    void detachCutsTheGraphSoThatNoGradientFlowsThroughTheDetachedCopy() {
        Variable x = Variable.parameter(Tensor.scalar(3.0)).named("x");
        Variable detached = x.detach();

        detached.mul(x).backward();

        assertFalse(detached.requiresGrad());
        assertTrue(detached.isLeaf());
        assertEquals("x", detached.name());
        assertFalse(detached.hasGrad());
        assertEquals(3.0, x.grad().item(), 0.0, "only the path through x itself counts: d(c·x)/dx = c, not 2x");
    }

    // ---- graph lifetime -------------------------------------------------------------------------------------

    @Test
    void aSecondBackwardThroughAFreedGraphThrowsAndSuggestsRetainGraph() {
        Variable x = Variable.parameter(Tensor.vector(0.1, 0.2));
        Variable y = Ops.sum(Ops.tanh(x));
        y.backward();

        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);

        assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());
    }

    @Test
    void aRetainedGraphCanBeBackpropagatedTwiceAndAccumulatesTwice() {
        Variable x = Variable.parameter(Tensor.vector(0.1, -0.7));
        Variable y = Ops.sum(Ops.tanh(x.mul(x)));

        y.backward(BackwardOptions.defaults().retainGraph());
        Tensor once = x.grad().value();
        y.backward(BackwardOptions.defaults().retainGraph());

        assertClose(once.mul(2.0), x.grad().value(), 1e-15);
    }

    // ---- seeds ----------------------------------------------------------------------------------------------

    @Test
    void backwardOnANonScalarWithoutASeedThrowsNamingItsShape() {
        Variable x = Variable.parameter(Tensor.zeros(2, 3));
        Variable y = x.mul(x);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, y::backward);

        assertTrue(e.getMessage().contains("(2, 3)"), e.getMessage());
        assertTrue(e.getMessage().contains("seed"), e.getMessage());
    }

    @Test
    void backwardOnANonScalarWithASeedGivesTheVectorJacobianProduct() {
        Variable x = Variable.parameter(Tensor.matrix(new double[] {1, 2, 3}, new double[] {-1, 0.5, 4}));
        Tensor seed = Tensor.matrix(new double[] {1, 0, -2}, new double[] {0.5, 3, 1});

        x.mul(x).backward(BackwardOptions.defaults().seed(seed));

        // d(x²) = 2x ⊙ seed
        assertClose(x.value().mul(2.0).mul(seed), x.grad().value(), 1e-15);
    }

    @Test
    void backwardWithASeedOfTheWrongShapeThrowsNamingBothShapes() {
        Variable x = Variable.parameter(Tensor.zeros(2, 3));
        Variable y = x.mul(x);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> y.backward(BackwardOptions.defaults().seed(Tensor.zeros(3, 2))));

        assertTrue(e.getMessage().contains("(3, 2)") && e.getMessage().contains("(2, 3)"), e.getMessage());
    }

    @Test
    void backwardOnAValueThatRequiresNoGradientThrows() {
        Variable c = Variable.constant(Tensor.vector(1.0, 2.0));
        Variable fromConstants = Ops.sum(c.mul(c));

        assertFalse(fromConstants.requiresGrad());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, fromConstants::backward);
        assertTrue(e.getMessage().contains("does not require a gradient"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Variable.constant(2.0).backward());
    }

    // ---- deep graphs ----------------------------------------------------------------------------------------

    private static final int DEEP = 100_000;
    private static final double FACTOR = 1.0000001;

    /** h = x · FACTOR^n, built as n Mul nodes in a chain. */
    private static Variable chainOfProducts(Variable x, int n) {
        Variable h = x;
        for (int i = 0; i < n; i++) {
            h = Ops.mul(h, FACTOR);
        }
        return h;
    }

    @Test
    void aChainOfOneHundredThousandNodesBackpropagatesWithoutOverflowingTheStack() {
        Variable x = Variable.parameter(Tensor.scalar(2.0));

        chainOfProducts(x, DEEP).backward();

        double expected = Math.pow(FACTOR, DEEP); // ≈ e^0.01
        assertEquals(expected, x.grad().item(), 1e-9 * expected);
    }

    @Test
    void gradCheckWalksAChainOfOneHundredThousandNodesWithoutOverflowingTheStack() {
        GradCheck.Report report = GradCheck.defaults().check(xs -> chainOfProducts(xs[0], DEEP), Tensor.scalar(0.5));

        assertTrue(report.passed(), report.toString());
        assertEquals("[Mul]", report.nodes());
    }

    // ---- error messages -------------------------------------------------------------------------------------

    @Test
    void affineWithMismatchedShapesNamesTheNodeAndBothShapes() {
        Variable x = Variable.constant(Tensor.zeros(32, 100));
        Variable w = Variable.parameter(Tensor.zeros(128, 10));
        Variable b = Variable.parameter(Tensor.zeros(10));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ops.affine(x, w, b));

        assertMessageContains(e, "Affine", "x is (32, 100) but W is (128, 10): x's columns must equal W's rows");
    }

    @Test
    void affineOfAVectorSaysThatXAndWMustBeMatrices() {
        Variable x = Variable.constant(Tensor.zeros(3));
        Variable w = Variable.parameter(Tensor.zeros(3, 2));
        Variable b = Variable.parameter(Tensor.zeros(2));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ops.affine(x, w, b));

        assertMessageContains(e, "x and W must be matrices, got x (3) and W (3, 2)");
    }

    @Test
    void gradientsOfAConstantSaysItRequiresNone() {
        Variable x = Variable.parameter(Tensor.vector(1.0, 2.0)).named("x");
        Variable c = Variable.constant(Tensor.vector(5.0)).named("c");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gradients.of(Ops.sum(Ops.mul(x, c)).named("y"), c));

        assertMessageContains(e, "Gradients.of: y () does not depend on input 0 (c (1)), which requires no gradient");
    }

    @Test
    void affineWithMismatchedShapesNamesTheNamedParameter() {
        Variable x = Variable.constant(Tensor.zeros(32, 100));
        Variable w = Variable.parameter(Tensor.zeros(128, 10)).named("layer2.W");
        Variable b = Variable.parameter(Tensor.zeros(10)).named("layer2.b");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ops.affine(x, w, b));

        assertMessageContains(e, "Affine", "layer2.W", "(32, 100)", "(128, 10)");
    }

    @Test
    void addWithShapesThatDoNotBroadcastNamesTheOperationAndBothShapes() {
        Variable a = Variable.parameter(Tensor.zeros(2, 3));
        Variable b = Variable.parameter(Tensor.zeros(4));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ops.add(a, b));

        assertMessageContains(e, "add", "(2, 3)", "(4)");
    }

    @Test
    void matmulWithMismatchedInnerDimensionsSaysWhichDimensionsDiffer() {
        Variable a = Variable.parameter(Tensor.zeros(3, 4));
        Variable b = Variable.parameter(Tensor.zeros(5, 2));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ops.matmul(a, b));

        assertMessageContains(e, "matmul: (3, 4) · (5, 2): inner dimensions 4 and 5 differ");
    }

    private static void assertMessageContains(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "expected \"" + part + "\" in: " + e.getMessage());
        }
    }

    // ---- the engine checks what user-defined nodes return ---------------------------------------------------

    /** y = 2x, whose backward wrongly returns the gradient transposed. */
    static final class ReturnsTransposedGradient extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].mul(2.0); }

        @Override protected Variable[] backward(Variable gy) { return grads(Ops.transpose(gy).mul(2.0)); }
    }

    /** y = a + b, whose backward forgets the gradient of b. */
    static final class ReturnsOneGradientForTwoInputs extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].add(xs[1]); }

        @Override protected Variable[] backward(Variable gy) { return grads(gy); }
    }

    @Test
    void aGradientOfTheWrongShapeFailsBackwardNamingTheNodeAndBothShapes() {
        Variable x = Variable.parameter(Tensor.zeros(2, 3)).named("x");
        Variable y = Ops.sum(new ReturnsTransposedGradient().apply(x));

        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);

        assertMessageContains(e, "ReturnsTransposedGradient", "(3, 2)", "x (2, 3)");
    }

    /** y = a ⊙ b that returns no gradient for b, even when b needs one. */
    static final class ReturnsNullForANeededGradient extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].mul(xs[1]); }

        @Override protected Variable[] backward(Variable gy) { return grads(needsGrad(0) ? gy.mul(input(1)) : null, null); }
    }

    @Test
    void aMissingGradientForAnInputThatNeedsOneFailsBackwardNamingTheNodeAndInput() {
        Variable a = Variable.parameter(Tensor.ones(2)).named("a");
        Variable b = Variable.parameter(Tensor.ones(2)).named("b");
        Variable y = Ops.sum(new ReturnsNullForANeededGradient().apply(a, b));

        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);

        assertMessageContains(e, "ReturnsNullForANeededGradient: backward returned no gradient for input 1 (b (2)), "
                + "which needs one");
    }

    @Test
    void theWrongNumberOfGradientsFailsBackwardNamingTheNode() {
        Variable a = Variable.parameter(Tensor.zeros(2));
        Variable b = Variable.parameter(Tensor.zeros(2));
        Variable y = Ops.sum(new ReturnsOneGradientForTwoInputs().apply(a, b));

        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);

        assertMessageContains(e, "ReturnsOneGradientForTwoInputs", "backward returned 1 gradient for 2 inputs");
    }

    // ---- listeners ------------------------------------------------------------------------------------------

    @Test
    void aListenerSeesEveryNodeOnceAndEachBeforeTheNodesThatProducedItsInputs() {
        Variable x = Variable.parameter(Tensor.vector(0.3, -0.2, 0.9));
        Variable w = Variable.parameter(Tensor.vector(1.5, 0.5, -1.0));
        Variable h = Ops.tanh(x.mul(w));
        Variable y = Ops.sum(h.mul(h).add(Ops.sigmoid(h).mul(x)));
        Map<Function, List<Function>> producers = producersOfInputs(y);
        List<Function> visited = new ArrayList<>();

        y.backward(BackwardOptions.defaults().listener((node, gy, gxs) -> visited.add(node)));

        Set<Function> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(visited);
        assertEquals(visited.size(), distinct.size(), () -> "a node was visited twice: " + visited);
        assertEquals(producers.keySet(), distinct, () -> "visited " + visited);
        for (int k = 0; k < visited.size(); k++) {
            Function node = visited.get(k);
            for (Function producer : producers.get(node)) {
                int p = indexOf(visited, producer);
                assertTrue(p > k, node + " (visit " + k + ") must come before its input's producer " + producer
                        + " (visit " + p + "): " + visited);
            }
        }
    }

    /** Every node behind y, with the nodes that made its inputs; walked before backward frees the graph. */
    private static Map<Function, List<Function>> producersOfInputs(Variable y) {
        Map<Function, List<Function>> producers = new IdentityHashMap<>();
        Deque<Function> pending = new ArrayDeque<>();
        pending.push(y.creator());
        while (!pending.isEmpty()) {
            Function node = pending.pop();
            if (producers.containsKey(node)) {
                continue;
            }
            List<Function> made = new ArrayList<>();
            for (int i = 0; i < node.inputCount(); i++) {
                Function creator = node.input(i).creator();
                if (creator != null) {
                    made.add(creator);
                    pending.push(creator);
                }
            }
            producers.put(node, made);
        }
        return producers;
    }

    private static int indexOf(List<Function> nodes, Function node) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i) == node) {
                return i;
            }
        }
        return -1;
    }

    // ---- higher order ---------------------------------------------------------------------------------------

    @Test
    void withCreateGraphTheGradientIsDifferentiableAgain() {
        Variable x = Variable.parameter(Tensor.vector(-1.0, 0.5, 2.0));
        Variable y = Ops.sum(x.mul(x).mul(x));

        Variable gx = Gradients.of(BackwardOptions.defaults().createGraph(), y, x)[0];

        assertTrue(gx.requiresGrad());
        assertNotNull(gx.creator());
        assertClose(x.value().mul(x.value()).mul(3.0), gx.value(), 1e-12);
    }

    @Test
    void withoutCreateGraphTheGradientIsAPlainValue() {
        Variable x = Variable.parameter(Tensor.vector(-1.0, 0.5, 2.0));

        Variable gx = Gradients.of(Ops.sum(x.mul(x).mul(x)), x)[0];

        assertFalse(gx.requiresGrad());
        assertNull(gx.creator());
    }

    @Test
    void theSecondDerivativeOfXCubedIsSixX() {
        Tensor at = Tensor.vector(-1.0, 0.5, 2.0);

        Variable x = Variable.parameter(at);
        Variable gx = Gradients.of(BackwardOptions.defaults().createGraph(), Ops.sum(x.mul(x).mul(x)), x)[0];
        Variable ggx = Gradients.of(Ops.sum(gx), x)[0];
        assertClose(at.mul(6.0), ggx.value(), 1e-12);

        // The same through Pow, whose backward is itself a Pow.
        Variable z = Variable.parameter(at);
        Variable gz = Gradients.of(BackwardOptions.defaults().createGraph(), Ops.sum(Ops.pow(z, 3)), z)[0];
        Variable ggz = Gradients.of(Ops.sum(gz), z)[0];
        assertClose(at.mul(6.0), ggz.value(), 1e-12);
    }

    @Test
    void theThirdDerivativeOfXCubedIsSix() {
        Variable x = Variable.parameter(Tensor.vector(-1.0, 0.5, 2.0));
        BackwardOptions createGraph = BackwardOptions.defaults().createGraph();

        Variable g1 = Gradients.of(createGraph, Ops.sum(x.mul(x).mul(x)), x)[0];
        Variable g2 = Gradients.of(createGraph, Ops.sum(g1), x)[0];
        Variable g3 = Gradients.of(Ops.sum(g2), x)[0];

        assertClose(Tensor.vector(6.0, 6.0, 6.0), g3.value(), 1e-12);
    }

    @Test
    void backwardWithCreateGraphLeavesADifferentiableGradientInTheLeaf() {
        Variable x = Variable.parameter(Tensor.vector(-1.0, 0.5, 2.0));

        Ops.sum(x.mul(x).mul(x)).backward(BackwardOptions.defaults().createGraph());
        Variable ggx = Gradients.of(Ops.sum(x.grad()), x)[0];

        assertClose(x.value().mul(6.0), ggx.value(), 1e-12);
    }

    @Test
    void hessianVectorProductOfATwoLayerNetworkMatchesFiniteDifferencesOfItsGradient() {
        RandomGenerator random = Randoms.seeded(2024);
        Variable x = Variable.constant(Tensor.normal(random, 0, 1, Shape.of(5, 3)));
        int[] labels = {0, 2, 1, 2, 0};
        Shape[] shapes = {Shape.of(3, 4), Shape.of(4), Shape.of(4, 3), Shape.of(3)};
        Tensor[] theta = new Tensor[shapes.length];
        Tensor[] v = new Tensor[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            theta[i] = Tensor.normal(random, 0, 0.8, shapes[i]);
            v[i] = Tensor.normal(random, 0, 1, shapes[i]);
        }

        // H·v = ∇⟨∇L(θ), v⟩, by backward through a create-graph backward.
        Variable[] params = parameters(theta);
        Variable[] g = Gradients.of(BackwardOptions.defaults().createGraph(), twoLayerLoss(x, labels, params), params);
        Variable gDotV = Variable.constant(0.0);
        for (int i = 0; i < g.length; i++) {
            gDotV = Ops.add(gDotV, Ops.sum(Ops.mul(g[i], Variable.constant(v[i]))));
        }
        Variable[] hv = Gradients.of(gDotV, params);

        // (∇L(θ + εv) − ∇L(θ − εv)) / 2ε: truncation error O(ε²) ≈ 1e-10 and rounding ≈ 1e-16/ε ≈ 1e-11, far
        // inside atol 1e-6 + rtol 1e-4.
        double epsilon = 1e-5;
        Tensor[] plus = gradientAt(x, labels, shifted(theta, v, epsilon));
        Tensor[] minus = gradientAt(x, labels, shifted(theta, v, -epsilon));
        for (int i = 0; i < theta.length; i++) {
            Tensor finiteDifference = plus[i].sub(minus[i]).mul(1 / (2 * epsilon));
            assertTrue(hv[i].value().allClose(finiteDifference, 1e-6, 1e-4),
                    "H·v for parameter " + i + ": expected " + finiteDifference + " but was " + hv[i].value());
        }
        assertFalse(hv[0].value().allClose(Tensor.zeros(3, 4), 1e-3, 0), "H·v must not be trivially zero");
    }

    /** Softmax cross-entropy of a tanh hidden layer and linear logits; params are W1, b1, W2, b2. */
    private static Variable twoLayerLoss(Variable x, int[] labels, Variable[] params) {
        Variable hidden = Ops.tanh(Ops.affine(x, params[0], params[1]));
        return Ops.softmaxCrossEntropy(Ops.affine(hidden, params[2], params[3]), labels);
    }

    private static Tensor[] gradientAt(Variable x, int[] labels, Tensor[] theta) {
        Variable[] params = parameters(theta);
        Variable[] g = Gradients.of(twoLayerLoss(x, labels, params), params);
        Tensor[] values = new Tensor[g.length];
        for (int i = 0; i < g.length; i++) {
            values[i] = g[i].value();
        }
        return values;
    }

    private static Tensor[] shifted(Tensor[] theta, Tensor[] v, double step) {
        Tensor[] result = new Tensor[theta.length];
        for (int i = 0; i < theta.length; i++) {
            result[i] = theta[i].add(v[i].mul(step));
        }
        return result;
    }

    private static Variable[] parameters(Tensor[] values) {
        Variable[] params = new Variable[values.length];
        for (int i = 0; i < values.length; i++) {
            params[i] = Variable.parameter(values[i]);
        }
        return params;
    }

    // ---- Gradients.of ---------------------------------------------------------------------------------------

    @Test
    void gradientsOfLeavesTheAccumulatedGradientsUntouched() {
        Variable x = Variable.parameter(Tensor.vector(1.0, 2.0));
        Variable fresh = Variable.parameter(Tensor.vector(3.0, 4.0));
        Ops.sum(x.mul(x)).backward();
        Variable before = x.grad();

        Variable[] g = Gradients.of(Ops.sum(x.mul(fresh)), x, fresh);

        assertSame(before, x.grad());
        assertClose(Tensor.vector(2.0, 4.0), x.grad().value(), 0.0);
        assertFalse(fresh.hasGrad());
        assertClose(Tensor.vector(3.0, 4.0), g[0].value(), 0.0);
        assertClose(Tensor.vector(1.0, 2.0), g[1].value(), 0.0);
    }

    @Test
    void gradientsOfAnInputTheOutputDoesNotDependOnIsRefusedUnlessUnusedInputsAreAllowed() {
        Variable x = Variable.parameter(Tensor.vector(1.0, 2.0)).named("x");
        Variable unused = Variable.parameter(Tensor.vector(5.0)).named("unused");
        Variable y = Ops.sum(Ops.tanh(x)).named("y");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gradients.of(BackwardOptions.defaults().retainGraph(), y, unused, x));
        Variable[] g = Gradients.of(BackwardOptions.defaults().allowUnused(), y, unused, x);

        assertMessageContains(e, "Gradients.of: y () does not depend on input 0 (unused (1))", "allowUnused()");
        assertEquals(Tensor.zeros(1), g[0].value());
        assertClose(Tensor.vector(1 - Math.pow(Math.tanh(1), 2), 1 - Math.pow(Math.tanh(2), 2)), g[1].value(), 1e-15);
    }

    @Test
    void gradientsOfAnIntermediateValueIsTheSumOverAllItsConsumers() {
        Variable x = Variable.parameter(Tensor.vector(0.4, -1.1));
        Variable h = Ops.tanh(x);
        Variable y = Ops.sum(h.mul(h).add(h));

        Variable[] g = Gradients.of(y, h, x);

        // dy/dh = 2h + 1;  dy/dx = (2h + 1)(1 − h²)
        Tensor dh = h.value().mul(2.0).add(1.0);
        assertClose(dh, g[0].value(), 1e-15);
        assertClose(dh.mul(h.value().mul(h.value()).neg().add(1.0)), g[1].value(), 1e-15);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static void assertClose(Tensor expected, Tensor actual, double atol) {
        assertTrue(actual.allClose(expected, atol, 0), () -> "expected " + expected + " but was " + actual);
    }

    /**
     * A node of an anonymous class, which has no simple name, is named by the name it was compiled to, in its
     * toString and in the engine's messages, where it used to be named by an empty string.
     */
    @Test
    void anAnonymousNodeIsNamedByItsCompiledName() {
        Function anonymous = new Function() {
            @Override
            protected Tensor forward(Tensor... xs) {
                return xs[0];
            }

            @Override
            protected Variable[] backward(Variable gy) {
                return grads(gy, gy); // one gradient too many
            }
        };
        String name = anonymous.getClass().getName().substring(anonymous.getClass().getName().lastIndexOf('.') + 1);
        assertTrue(name.startsWith("EngineTest$"), name);
        assertEquals(name, anonymous.toString());
        Variable y = anonymous.apply(Variable.parameter(Tensor.scalar(2)));
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().startsWith(name + ": backward returned 2 gradients for 1 input"), e.getMessage());
    }

    /** x², whose backward asks {@link Gradients#of} for 2x on a graph of its own over the same x. */
    private static final class SquareByAnInnerBackward extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].mul(xs[0]); }

        @Override protected Variable[] backward(Variable gy) {
            Variable x = input(0);
            Variable twoX;
            try (GradMode.Scope recording = GradMode.set(true)) {
                twoX = Gradients.of(x.mul(x), x)[0];
            }
            return grads(gy.mul(twoX));
        }
    }

    @Test
    void aBackwardRunInsideANodesBackwardKeepsTheOuterBackwardsGradientsApart() {
        Variable x = Variable.parameter(Tensor.scalar(3.0));
        // x·d, with d of generation 5, runs before the square (generation 1) and leaves x a gradient of d = 1
        Variable d = Variable.parameter(Tensor.scalar(1.0));
        for (int i = 0; i < 5; i++) {
            d = d.mul(1.0);
        }
        Variable loss = x.mul(d).add(new SquareByAnInnerBackward().apply(x).mul(0.5));

        loss.backward();

        // d(x·d + x²/2)/dx = d + x = 4; the inner backward's 2x = 6 must not land in x's pending gradient
        assertEquals(4.0, x.grad().item(), 0.0);
        assertNull(x.pendingGradient, "x holds no gradient after backward");
        assertNull(x.pendingOwner, "x is given back after backward");
    }

    @Test
    void aBackwardThatFailsPartWayGivesEveryVariableBack() {
        Variable x = Variable.parameter(Tensor.scalar(2.0));
        Variable h = x.mul(3.0);
        Variable broken = new Function() {
            @Override protected Tensor forward(Tensor... xs) { return xs[0]; }

            @Override protected Variable[] backward(Variable gy) { throw new ArithmeticException("planted"); }
        }.apply(h);
        Variable loss = x.mul(h).add(broken); // x and h get gradients before the broken node runs

        assertThrows(ArithmeticException.class, () -> loss.backward(BackwardOptions.defaults().retainGraph()));

        for (Variable v : List.of(x, h, loss)) {
            assertNull(v.pendingOwner, v + " is given back");
            assertNull(v.pendingGradient, v + " holds no gradient");
        }
        assertFalse(x.hasGrad(), "nothing was accumulated");
    }
}
