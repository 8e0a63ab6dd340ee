package dev.chainrule.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Randoms;
import dev.chainrule.core.Tensor;
import java.util.List;
import org.apache.commons.math3.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class ModuleTest {
    private static final RandomGenerator RANDOM = Randoms.seeded(1);
    private static final Tensor X = Tensor.matrix(new double[] {0.5, -1, 2}, new double[] {1, 0.25, -0.5});

    /** x + tanh(x·W + b): a skip connection around a layer. */
    static final class Residual extends Module {
        final Linear inner = add("inner", new Linear(3, 3, Init.xavierNormal(), Randoms.seeded(2)));

        @Override
        public Variable forward(Variable x) {
            return Ops.add(x, Ops.tanh(inner.forward(x)));
        }
    }

    /** Two layers that use one and the same weight: the second layer is registered, the first only refers to it. */
    static final class Tied extends Module {
        final Linear second = add("second", new Linear(3, 3, Init.xavierNormal(), Randoms.seeded(3)));

        @Override
        public Variable forward(Variable x) {
            return second.forward(Ops.tanh(Ops.matmul(x, second.weight())));
        }
    }

    @Test
    void parametersAreNamedHierarchicallyInTheOrderRegistered() {
        Sequential net = new Sequential(new Linear(3, 4, Init.he(), RANDOM), Activation.relu(), new Linear(4, 2, Init.he(), RANDOM));

        List<String> names = net.parameters().stream().map(Parameter::name).toList();

        assertEquals(List.of("layer1.W", "layer1.b", "layer3.W", "layer3.b"), names);
        assertEquals("layer3.W", net.parameter("layer3.W").variable().name(), "the variable carries its name into errors");
        assertTrue(net.parameter("layer1.W").isWeight() && !net.parameter("layer1.b").isWeight());
    }

    @Test
    void nestedModulesPrefixTheirChildrensNames() {
        Module outer = new Module() {
            final Residual block = add("block", new Residual());
            final Linear head = add("head", new Linear(3, 1, Init.he(), RANDOM));

            @Override
            public Variable forward(Variable x) {
                return head.forward(block.forward(x));
            }
        };

        assertEquals(List.of("block.inner.W", "block.inner.b", "head.W", "head.b"),
                outer.parameters().stream().map(Parameter::name).toList());
        assertEquals("block.inner.W", outer.parameter("block.inner.W").variable().name());
    }

    @Test
    void aSharedWeightIsOneParameterAndReceivesTheSumOfBothUses() {
        Tied tied = new Tied();
        Ops.sum(tied.forward(Variable.constant(X))).backward();

        assertEquals(2, tied.parameters().size());
        Variable w = tied.second.weight();
        Variable alone = Variable.parameter(w.value());
        Ops.sum(Ops.affine(Ops.tanh(Ops.matmul(Variable.constant(X), alone)), alone, tied.second.bias().detach())).backward();
        assertTrue(w.grad().value().allClose(alone.grad().value(), 1e-15, 0), "both paths counted");
    }

    @Test
    void aSkipConnectionDifferentiatesBothPaths() {
        Residual residual = new Residual();
        Variable x = Variable.parameter(X);
        Ops.sum(residual.forward(x)).backward();

        // d/dx Σ (x + tanh(xW + b)) = 1 + (1 − tanh²)·Wᵀ summed: compare with the graph written out
        Variable x2 = Variable.parameter(X);
        Variable w = Variable.constant(residual.inner.weight().value());
        Variable b = Variable.constant(residual.inner.bias().value());
        Ops.sum(Ops.add(x2, Ops.tanh(Ops.affine(x2, w, b)))).backward();
        assertTrue(x.grad().value().allClose(x2.grad().value(), 1e-15, 0));
        assertTrue(residual.inner.weight().hasGrad());
    }

    @Test
    void frozenModulesKeepTheirValuesAndGetNoGradientUntilUnfrozen() {
        Linear first = new Linear(3, 4, Init.he(), RANDOM);
        Linear second = new Linear(4, 1, Init.he(), RANDOM);
        Sequential net = new Sequential(first, Activation.tanh(), second);

        first.freeze();
        Ops.sum(net.forward(Variable.constant(X))).backward();
        assertFalse(first.weight().hasGrad() || first.bias().hasGrad());
        assertTrue(second.weight().hasGrad());

        net.clearGrads();
        first.unfreeze();
        Ops.sum(net.forward(Variable.constant(X))).backward();
        assertTrue(first.weight().hasGrad() && second.weight().hasGrad());
    }

    @Test
    void trainingAndEvaluationModeReachEveryChild() {
        Linear inner = new Linear(3, 3, Init.he(), RANDOM);
        Sequential net = new Sequential(new Sequential(inner), Activation.relu());

        assertSame(net, net.eval());
        assertFalse(net.isTraining() || inner.isTraining());
        net.train();
        assertTrue(net.isTraining() && inner.isTraining());
    }

    @Test
    void badNamesAndUnknownParametersAreRefusedClearly() {
        Sequential net = new Sequential(new Linear(3, 1, Init.he(), RANDOM));

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> net.parameter("layer2.W"));
        assertEquals("no parameter layer2.W; the parameters are [layer1.W, layer1.b]", unknown.getMessage());
        Module twice = new Module() {
            @Override
            public Variable forward(Variable x) {
                return x;
            }

            {
                addWeight("W", Tensor.ones(1, 1));
            }
        };
        assertEquals(1, twice.parameters().size());
        IllegalArgumentException dotted = assertThrows(IllegalArgumentException.class, () -> new Module() {
            final Linear bad = add("a.b", new Linear(1, 1, Init.he(), RANDOM));

            @Override
            public Variable forward(Variable x) {
                return bad.forward(x);
            }
        });
        assertEquals("name \"a.b\" must be non-empty and without dots", dotted.getMessage());
    }

    @Test
    void linearChecksTheShapesItIsGiven() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Linear(Tensor.zeros(3, 2), Tensor.zeros(3)));
        assertEquals("Linear: weights (3, 2) and bias (3): W must be (in × out) and b (out)", e.getMessage());
    }
    @Test
    void aModuleAddedToASecondParentTakesThatParentsPathNotBoth() {
        Linear shared = new Linear(3, 1, Init.he(), RANDOM);
        Module a = new Module() {
            final Linear inner = add("a", shared);

            @Override
            public Variable forward(Variable x) {
                return inner.forward(x);
            }
        };
        Module b = new Module() {
            final Linear inner = add("b", shared);

            @Override
            public Variable forward(Variable x) {
                return inner.forward(x);
            }
        };

        assertEquals("b.W", shared.weight().name());
        assertEquals(List.of("a.W", "a.b"), a.parameters().stream().map(Parameter::name).toList());
        assertEquals(List.of("b.W", "b.b"), b.parameters().stream().map(Parameter::name).toList());
    }
}
