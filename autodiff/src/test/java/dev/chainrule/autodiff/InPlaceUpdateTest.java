package dev.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Parameters change in place, as an optimizer's step changes them, and a graph recorded before the change is
 * refused rather than backpropagated with the new values: PyTorch's version counter, here.
 */
class InPlaceUpdateTest {
    private static final Tensor X = Tensor.matrix(new double[] {1, 2, 3}, new double[] {-1, 0.5, 2});
    private static final Tensor W = Tensor.matrix(new double[] {0.1, -0.2}, new double[] {0.3, 0.4}, new double[] {-0.5, 0.6});

    @Test
    void assignKeepsTheSameVariableWithItsNameAndGradientAndCountsTheVersion() {
        Variable w = Variable.parameter(W).named("W");
        Ops.sum(Ops.mul(w, w)).backward();
        Variable grad = w.grad();

        try (GradMode.Scope ignored = GradMode.noGrad()) {
            w.assign(W.mul(0.5));
        }

        assertEquals("W", w.name());
        assertSame(grad, w.grad());
        assertEquals(W.mul(0.5), w.value());
        assertEquals(1, w.version());
    }

    @Test
    void aGraphRecordedBeforeAnUpdateIsRefusedNamingTheParameter() {
        Variable x = Variable.constant(X).named("x");
        Variable w = Variable.parameter(W).named("W");
        Variable b = Variable.parameter(Tensor.vector(0.1, -0.1)).named("b");
        Variable loss = Ops.sum(Ops.sigmoid(Ops.affine(x, w, b)));

        try (GradMode.Scope ignored = GradMode.noGrad()) {
            w.assign(W.sub(W.mul(0.1)));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);

        assertTrue(e.getMessage().startsWith("W (3, 2) was modified in place after the graph used it; recompute the "
                + "forward pass (Affine recorded version 0, it is now 1)"), e.getMessage());
        assertTrue(!w.hasGrad() && !b.hasGrad(), "nothing was accumulated");
    }

    @Test
    void theForwardPassRecomputedAfterAnUpdateGivesTheGradientAtTheNewValue() {
        Variable w = Variable.parameter(W).named("W");
        Tensor updated = W.add(1.0);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            w.assign(updated);
        }
        Ops.sum(Ops.tanh(Ops.matmul(Variable.constant(X), w))).backward();

        Variable fresh = Variable.parameter(updated);
        Ops.sum(Ops.tanh(Ops.matmul(Variable.constant(X), fresh))).backward();
        assertEquals(fresh.grad().value(), w.grad().value());
    }

    @Test
    void updatingAParameterWhileRecordingIsRefused() {
        Variable w = Variable.parameter(W).named("W");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.assign(W.mul(2.0)));

        assertTrue(e.getMessage().startsWith("assign: W (3, 2) requires a gradient; change it under GradMode.noGrad()"),
                e.getMessage());
        assertEquals(0, w.version());
    }

    @Test
    void aConstantMayBeChangedWhileRecordingAndAGraphThatUsedItIsRefusedToo() {
        Variable data = Variable.constant(X).named("data");
        Variable w = Variable.parameter(W).named("W");
        Variable loss = Ops.sum(Ops.matmul(data, w));

        data.assign(X.mul(2.0));

        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().startsWith("data (2, 3) was modified in place"), e.getMessage());
    }

    @Test
    void anotherShapeOrAComputedValueCannotBeAssigned() {
        Variable w = Variable.parameter(W).named("W");
        Variable h = Ops.tanh(w).named("h");
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> w.assign(Tensor.zeros(2, 3)));
            IllegalStateException computed = assertThrows(IllegalStateException.class, () -> h.assign(W));

            assertEquals("assign: W (3, 2) cannot take a value of shape (2, 3): a variable keeps its shape", shape.getMessage());
            assertTrue(computed.getMessage().startsWith("assign: h (3, 2) is computed by Tanh → h"), computed.getMessage());
        }
    }

    @Test
    void anUnnamedInputIsNamedByItsPosition() {
        Variable w = Variable.parameter(W);
        Variable y = Ops.sum(Ops.tanh(w));
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            w.assign(W.neg());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().startsWith("input 0 (3, 2) was modified in place"), e.getMessage());
    }
    @Test
    void aFrozenLeafReceivesNoGradientAndUnfreezingItRestoresIt() {
        Variable x = Variable.constant(X);
        Variable w = Variable.parameter(W).named("W");
        Variable b = Variable.parameter(Tensor.vector(0.1, -0.1)).named("b");

        w.setRequiresGrad(false);
        Ops.sum(Ops.affine(x, w, b)).backward();
        assertTrue(!w.hasGrad() && b.hasGrad(), "only b is trained while W is frozen");

        w.setRequiresGrad(true);
        Ops.sum(Ops.affine(x, w, b)).backward();
        assertEquals(X.matmulTransA(Tensor.ones(2, 2)), w.grad().value()); // dW = xᵀ·1
    }

    @Test
    void freezingAfterTheForwardPassStillKeepsTheGradientAway() {
        Variable w = Variable.parameter(W).named("W");
        Variable b = Variable.parameter(Tensor.vector(0.1, -0.1)).named("b");
        Variable loss = Ops.sum(Ops.affine(Variable.constant(X), w, b));

        w.setRequiresGrad(false);
        loss.backward();

        assertTrue(!w.hasGrad() && b.hasGrad());
    }

    /**
     * A node whose every input was frozen after the forward pass computes nothing: single-input nodes, fused or
     * not, and a loss whose logits were frozen, in a plain backward and with create-graph.
     */
    @Test
    void nodesWhoseInputsWereAllFrozenAfterTheForwardPassArePassedBy() {
        List<java.util.function.UnaryOperator<Variable>> nodes = List.of(Ops::sigmoid, Ops::tanh, Ops::exp,
                v -> Ops.pow(v, 2), Ops::neg, v -> Ops.softmax(v), v -> Ops.reshape(v, 6),
                v -> Ops.softmaxCrossEntropy(v, Variable.constant(Tensor.ones(3, 2).mul(0.5))));
        for (BackwardOptions options : List.of(BackwardOptions.defaults(), BackwardOptions.defaults().createGraph())) {
            for (java.util.function.UnaryOperator<Variable> node : nodes) {
                Variable frozen = Variable.parameter(W);
                Variable trained = Variable.parameter(W);
                Variable loss = Ops.add(Ops.sum(node.apply(frozen)), Ops.sum(Ops.mul(trained, trained)));
                frozen.setRequiresGrad(false);
                loss.backward(options);
                assertTrue(!frozen.hasGrad() && trained.hasGrad(), "the frozen input has no gradient");
            }
        }
    }

    /**
     * A node's backward may freeze one of its inputs, for the passes after this one: this pass still takes the
     * gradients it asked the node for, as they were needed when it asked.
     */
    @Test
    void aBackwardThatFreezesAnInputForLaterPassesCompletesThisOne() {
        Variable a = Variable.parameter(W);
        Variable b = Variable.parameter(W);
        Function freezesB = new Function() {
            @Override
            protected Tensor forward(Tensor... xs) {
                return xs[0].add(xs[1]);
            }

            @Override
            protected Variable[] backward(Variable gy) {
                Variable[] gradients = grads(gy, gy);
                input(1).setRequiresGrad(false);
                return gradients;
            }
        };
        Ops.sum(freezesB.apply(a, b)).backward();
        assertEquals(Tensor.ones(3, 2), a.grad().value());
        assertFalse(b.requiresGrad());
    }

    /** Softmax cross-entropy's fused backward computes no gradient for logits that need none. */
    @Test
    void theGradientOfTheTargetsAloneLeavesTheLogitsAlone() {
        Variable z = Variable.parameter(W);
        Variable t = Variable.constant(Tensor.ones(3, 2).mul(0.5));
        Variable[] g = Gradients.of(BackwardOptions.defaults().allowUnused(), Ops.softmaxCrossEntropy(z, t), t);
        assertEquals(Tensor.zeros(3, 2), g[0].value());
    }

    @Test
    void aComputedValueCannotBeFrozen() {
        Variable h = Ops.tanh(Variable.parameter(W).named("W")).named("h");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.setRequiresGrad(false));
        assertTrue(e.getMessage().startsWith("setRequiresGrad: h (3, 2) is computed by Tanh → h"), e.getMessage());
    }

    // ---- update: in place while no one holds the value, on a copy otherwise ----------------------------------

    private static final Tensor W_PLUS_ONE = W.add(1.0);

    private static void addOne(Variable w) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            w.update(elements -> {
                for (int i = 0; i < elements.length; i++) {
                    elements[i] += 1;
                }
            });
        }
    }

    @Test
    void updateWritesInPlaceOnceTheCallersTensorIsCopiedAndCountsTheVersion() {
        Tensor callers = W.add(0.0);
        Variable w = Variable.parameter(callers).named("W");

        addOne(w);
        Tensor written = w.valueInGraph();
        addOne(w);

        assertEquals(W, callers, "the caller's tensor is copied, never written");
        assertSame(written, w.valueInGraph(), "the second update wrote the same elements");
        assertEquals(W.add(1.0).add(1.0), w.value());
        assertEquals(2, w.version());
    }

    /** Without the copy, each of these would see the later update: a value taken, a detached copy, a reshape. */
    @Test
    void whatWasTakenFromTheValueBeforeAnUpdateKeepsItsElements() {
        Variable w = Variable.parameter(W).named("W");
        addOne(w);
        Tensor taken = w.value();
        Variable detached = w.detach();
        addOne(w);
        Variable reshaped = Ops.reshape(w, 6);
        Tensor beforeThird = w.valueInGraph();
        addOne(w);

        assertEquals(W_PLUS_ONE, taken);
        assertEquals(W_PLUS_ONE, detached.value());
        assertEquals(W_PLUS_ONE.add(1.0).reshape(6), reshaped.value());
        assertTrue(beforeThird != w.valueInGraph(), "the reshape shared the elements, so the update copied them");
        assertEquals(W_PLUS_ONE.add(2.0), w.value());
    }

    @Test
    void anUpdateAfterAssignCopiesTheAssignedTensor() {
        Variable w = Variable.parameter(W);
        addOne(w); // now written in place
        Tensor assigned = W.mul(2.0);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            w.assign(assigned);
        }
        addOne(w);
        assertEquals(W.mul(2.0), assigned);
        assertEquals(W.mul(2.0).add(1.0), w.value());
    }

    /** A node that returns its input as its output shares the parameter's elements, so the update copies them. */
    @Test
    void aNodeThatReturnsItsInputGivesTheValueAway() {
        Variable w = Variable.parameter(W);
        addOne(w);
        Variable same = new Function() {
            @Override protected Tensor forward(Tensor... xs) { return xs[0]; }

            @Override protected Variable[] backward(Variable gy) { return grads(gy); }
        }.apply(w);
        addOne(w);
        assertEquals(W_PLUS_ONE, same.value());
    }

    @Test
    void aGraphRecordedBeforeAnInPlaceUpdateIsRefused() {
        Variable x = Variable.constant(X);
        Variable w = Variable.parameter(W).named("W");
        Variable b = Variable.parameter(Tensor.vector(0.1, -0.1)).named("b");
        addOne(w);
        Variable loss = Ops.sum(Ops.sigmoid(Ops.affine(x, w, b)));
        addOne(w);

        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);

        assertTrue(e.getMessage().startsWith("W (3, 2) was modified in place after the graph used it; recompute the "
                + "forward pass (Affine recorded version 1, it is now 2)"), e.getMessage());
    }

    @Test
    void updateFollowsAssignsRules() {
        Variable w = Variable.parameter(W).named("W");
        Variable h = Ops.tanh(w).named("h");

        IllegalStateException recording = assertThrows(IllegalStateException.class, () -> w.update(e -> e[0] = 0));
        IllegalStateException computed;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            computed = assertThrows(IllegalStateException.class, () -> h.update(e -> e[0] = 0));
        }

        assertTrue(recording.getMessage().startsWith("update: W (3, 2) requires a gradient; change it under "
                + "GradMode.noGrad()"), recording.getMessage());
        assertTrue(computed.getMessage().startsWith("update: h (3, 2) is computed by Tanh → h"), computed.getMessage());
        assertEquals(W, w.value());
        assertEquals(0, w.version());
    }
}
