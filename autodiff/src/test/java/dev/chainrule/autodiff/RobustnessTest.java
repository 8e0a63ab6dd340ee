package dev.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Misuse and partial failure: the graph stays right, and the error says what happened. */
class RobustnessTest {
    @Test
    void reusingTheInputArrayAfterApplyDoesNotChangeTheRecordedGraph() {
        Variable a = Variable.parameter(Tensor.scalar(2));
        Variable b = Variable.parameter(Tensor.scalar(3));
        Variable[] inputs = {a, b};
        Variable y = new Arithmetic.Mul().apply(inputs);
        inputs[1] = Variable.parameter(Tensor.scalar(100));

        y.backward();

        assertEquals(3.0, a.grad().item());
        assertEquals(2.0, b.grad().item());
    }

    @Test
    void closingGradScopesOutOfOrderIsRefusedAndClosingTwiceDoesNothing() {
        GradMode.Scope outer = GradMode.noGrad();
        GradMode.Scope inner = GradMode.noGrad();
        assertThrows(IllegalStateException.class, outer::close);
        inner.close();
        inner.close();
        assertFalse(GradMode.isEnabled());
        outer.close();
        assertTrue(GradMode.isEnabled());
    }

    @Test
    void powWithExponentZeroHasGradientZeroEvenAtZero() {
        Variable x = Variable.parameter(Tensor.vector(0, 2));
        Ops.sum(Ops.pow(x, 0)).backward();
        assertEquals(Tensor.vector(0, 0), x.grad().value());
    }

    @Test
    void secondDerivativeOfTheIdentityPowerIsZeroAtZero() {
        GradCheck.Report report = GradCheck.defaults().checkSecondOrder(xs -> Ops.pow(xs[0], 1), Tensor.vector(0, 2));
        assertTrue(report.passed(), report.toString());
    }

    @Test
    void aBackwardThatFailsPartWayLeavesTheGraphWholeForAnotherTry() {
        Variable x = Variable.parameter(Tensor.vector(0.0, 1.0));
        Variable loss = Ops.sum(Ops.mul(Ops.pow(x, 0.5), 3.0)).named("loss");
        assertThrows(ArithmeticException.class,
                () -> loss.backward(BackwardOptions.defaults().listener(NonFinite.detector())));

        loss.backward();

        assertEquals(Double.POSITIVE_INFINITY, x.grad().value().getFlat(0));
        assertEquals(1.5, x.grad().value().getFlat(1), 1e-12);
    }

    @Test
    void aFreedNodeKeepsItsNameInTheError() {
        Variable x = Variable.parameter(Tensor.vector(1, 2));
        Variable loss = Ops.sum(x).named("loss");
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().startsWith("Sum → loss: its graph was freed"), e.getMessage());
    }

    @Test
    void gradientsOfAnIntermediateRunOnlyTheNodesAboveIt() {
        Variable x = Variable.constant(Tensor.matrix(new double[] {1, 2, 3}, new double[] {4, 5, 6}));
        Variable w = Variable.parameter(Tensor.ones(3, 4));
        Variable h = Ops.matmul(x, w).named("h");
        Variable loss = Ops.sum(Ops.tanh(h)).named("loss");
        List<String> visited = new ArrayList<>();

        Variable[] gh = Gradients.of(BackwardOptions.defaults().listener((node, gy, gxs) -> visited.add(node.toString())),
                loss, h);

        assertEquals(List.of("Sum → loss", "Tanh"), visited);
        assertEquals(h.shape(), gh[0].shape());
        assertFalse(w.hasGrad());
        Ops.sum(h).backward(); // the MatMul below h was not run, so not freed
        assertEquals(Tensor.matrix(new double[] {5, 5, 5, 5}, new double[] {7, 7, 7, 7}, new double[] {9, 9, 9, 9}),
                w.grad().value()); // dW = xᵀ·1: each row is a column sum of x
    }

    @Test
    void gradientsWithRespectToTheInputAloneSkipTheWeightGradient() {
        Variable x = Variable.parameter(Tensor.ones(2, 3));
        Variable w = Variable.parameter(Tensor.ones(3, 5));
        Variable loss = Ops.sum(Ops.matmul(x, w));
        List<Variable[]> produced = new ArrayList<>();

        Gradients.of(BackwardOptions.defaults().listener((node, gy, gxs) -> produced.add(gxs)), loss, x);

        Variable[] matmulGrads = produced.get(1);
        assertEquals(x.shape(), matmulGrads[0].shape());
        assertNull(matmulGrads[1], "dW was computed though only dx was asked for");
    }

    @Test
    void aNullInputIsNamedNotABareNullPointer() {
        Variable x = Variable.parameter(Tensor.vector(1, 2)).named("x");
        NullPointerException unary = assertThrows(NullPointerException.class, () -> Ops.sigmoid(null));
        assertEquals("Sigmoid(null): input 0 is null", unary.getMessage());
        NullPointerException binary = assertThrows(NullPointerException.class, () -> Ops.add(x, null));
        assertEquals("Add(x (2), null): input 1 is null", binary.getMessage());
    }

    @Test
    void aBroadcastErrorNamesTheNodeAndItsInputs() {
        Variable a = Variable.parameter(Tensor.zeros(2, 3)).named("a");
        Variable b = Variable.parameter(Tensor.zeros(4)).named("b");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ops.mul(a, b));
        assertTrue(e.getMessage().startsWith("Mul(a (2, 3), b (4)): mul: (2, 3) and (4) do not broadcast"), e.getMessage());
    }

    @Test
    void reluOfANegativeNumberOrOfMinusZeroIsPlusZero() {
        assertEquals("[0.0, 0.0, 2.0]", Ops.relu(Variable.constant(Tensor.vector(-3, -0.0, 2))).value().toString());
        assertEquals("[0.0, 2.0]", Ops.leakyRelu(Variable.constant(Tensor.vector(-0.0, 2)), 0.1).value().toString());
    }

    /** A node that reads its saved input and output outside backward, as a user's inspection code might. */
    static final class Peeking extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].mul(2.0); }

        @Override protected Variable[] backward(Variable gy) { return grads(gy.mul(2.0)); }

        Variable savedInput() { return input(0); }

        Variable savedOutput() { return output(); }
    }

    @Test
    void aFreedNodesSavedInputAndOutputSayTheGraphWasFreed() {
        Peeking node = new Peeking();
        Ops.sum(node.apply(Variable.parameter(Tensor.vector(1, 2)))).backward();

        IllegalStateException input = assertThrows(IllegalStateException.class, node::savedInput);
        IllegalStateException output = assertThrows(IllegalStateException.class, node::savedOutput);

        assertTrue(input.getMessage().startsWith("Peeking: its graph was freed"), input.getMessage());
        assertTrue(output.getMessage().startsWith("Peeking: its graph was freed"), output.getMessage());
    }

    @Test
    void reshapeTakesDimensionsToo() {
        Variable x = Variable.parameter(Tensor.vector(1, 2, 3, 4, 5, 6));
        Variable y = Ops.reshape(x, 3, 2);
        Ops.sum(Ops.mul(y, y)).backward();
        assertEquals(Tensor.matrix(new double[] {1, 2}, new double[] {3, 4}, new double[] {5, 6}), y.value());
        assertEquals(Tensor.vector(2, 4, 6, 8, 10, 12), x.grad().value());
    }

    @Test
    void tooFewInputsNameTheNode() {
        Variable x = Variable.parameter(Tensor.ones(2, 3)).named("x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LinearAlgebra.Affine().apply(x));
        assertTrue(e.getMessage().startsWith("Affine(x (2, 3)): "), e.getMessage());
    }
    // ---- what a new user trips on ----------------------------------------------------------------------------

    @Test
    void gradOfAParameterThatNoBackwardReachedSaysWhyAndHasGradTestsForIt() {
        Variable w = Variable.parameter(Tensor.vector(1, 2)).named("W");
        Variable unused = Variable.parameter(Tensor.vector(3)).named("unused");
        Ops.sum(Ops.mul(w, w)).backward();

        IllegalStateException e = assertThrows(IllegalStateException.class, unused::grad);

        assertFalse(unused.hasGrad());
        assertTrue(w.hasGrad());
        assertTrue(e.getMessage().startsWith("unused (1) has no gradient: no backward has reached it"), e.getMessage());
        assertTrue(e.getMessage().contains("does not depend on it"), e.getMessage());
    }

    @Test
    void gradOfAConstantOrOfAnIntermediateValueSaysWhyItHasNone() {
        Variable x = Variable.constant(Tensor.vector(1, 2)).named("x");
        Variable w = Variable.parameter(Tensor.vector(3, 4)).named("W");
        Variable h = Ops.mul(x, w).named("h");
        Ops.sum(h).backward(BackwardOptions.defaults().retainGraph());

        String constant = assertThrows(IllegalStateException.class, x::grad).getMessage();
        String intermediate = assertThrows(IllegalStateException.class, h::grad).getMessage();

        assertTrue(constant.startsWith("x (2) has no gradient: it requires none") && constant.contains("Variable.parameter"),
                constant);
        assertTrue(intermediate.startsWith("h (2) has no gradient: it is computed by Mul → h")
                && intermediate.contains("Gradients.of(loss, it)"), intermediate);
    }

    @Test
    void differentiatingAGradientComputedWithoutCreateGraphSaysToUseCreateGraph() {
        Variable x = Variable.parameter(Tensor.vector(0.5, 1.5)).named("x");
        Variable g = Gradients.of(Ops.sum(Ops.tanh(x)), x)[0];
        x.clearGrad();
        Ops.sum(Ops.mul(x, x)).backward();

        IllegalArgumentException fromGradients = assertThrows(IllegalArgumentException.class,
                () -> Gradients.of(Ops.sum(g), x));
        IllegalArgumentException fromGrad = assertThrows(IllegalArgumentException.class,
                () -> Ops.sum(Ops.mul(x.grad(), 2.0)).backward());

        for (IllegalArgumentException e : List.of(fromGradients, fromGrad)) {
            assertTrue(e.getMessage().contains("computed from a gradient that backward made without createGraph()")
                    && e.getMessage().contains("BackwardOptions.defaults().createGraph()"), e.getMessage());
        }
    }

    @Test
    void messagesReadAsEnglishForACountOfOne() {
        Variable logits = Variable.parameter(Tensor.zeros(2, 3));
        IllegalArgumentException labels = assertThrows(IllegalArgumentException.class,
                () -> Ops.softmaxCrossEntropy(logits, 1));
        GradMode.Scope outer = GradMode.noGrad();
        GradMode.Scope inner = GradMode.noGrad();
        IllegalStateException scopes = assertThrows(IllegalStateException.class, outer::close);
        inner.close();
        outer.close();

        assertTrue(labels.getMessage().endsWith("got 1 label"), labels.getMessage());
        assertTrue(scopes.getMessage().contains("while 1 scope opened after it is still open"), scopes.getMessage());
        assertEquals("1 input", Messages.count(1, "input"));
        assertEquals("0 inputs", Messages.count(0, "input"));
        assertEquals("2 inputs", Messages.count(2, "input"));
    }
    @Test
    void aNodeThatWasNotRecordedSaysSoWhenAskedForItsInputs() {
        Function node = new Activations.Tanh();
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            node.apply(Variable.parameter(Tensor.vector(1, 2)));
        }

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Graphs.inputs(node));

        assertTrue(e.getMessage().startsWith("Tanh: it was not recorded"), e.getMessage());
    }

    @Test
    void integerLabelsForLogitsThatAreNotAMatrixSayTheyMustBeOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ops.softmaxCrossEntropy(Variable.parameter(Tensor.zeros(2, 3, 4)), 0, 1));

        assertEquals("softmaxCrossEntropy: logits with integer labels must be a matrix (rows × classes), got (2, 3, 4)",
                e.getMessage());
    }

    @Test
    void applyingANodeToANullArrayNamesTheNode() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> new Activations.Tanh().apply((Variable[]) null));

        assertEquals("Tanh: xs is null", e.getMessage());
    }
    @Test
    void clipRefusesBoundsInTheWrongOrderOrNotANumber() {
        Variable x = Variable.parameter(Tensor.vector(1, 2));
        IllegalArgumentException reversed = assertThrows(IllegalArgumentException.class, () -> Ops.clip(x, 2, 1));
        assertEquals("clip: low 2.0 and high 1.0 must be numbers with low ≤ high", reversed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ops.clip(x, Double.NaN, 1));
        assertEquals(Tensor.vector(1, 1), Ops.clip(x, 1, 1).value(), "low = high is allowed");
    }
}
