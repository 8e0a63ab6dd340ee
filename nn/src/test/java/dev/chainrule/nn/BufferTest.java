package dev.chainrule.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Randoms;
import dev.chainrule.core.Tensor;
import dev.chainrule.nn.optim.LearningRate;
import dev.chainrule.nn.optim.Sgd;
import java.util.List;
import org.junit.jupiter.api.Test;

class BufferTest {
    private static final Tensor MEAN = Tensor.vector(1, -2, 0.5);
    private static final Tensor STD = Tensor.vector(2, 0.25, 1);

    private static Sequential standardizedNet() {
        return new Sequential(new Standardize(MEAN, STD), new Linear(3, 2, Init.he(), Randoms.seeded(1)));
    }

    @Test
    void buffersAreNamedLikeParametersAndAreNeverParameters() {
        Sequential net = new Sequential(standardizedNet(), Activation.tanh());

        assertEquals(List.of("layer1.layer1.mean", "layer1.layer1.std"),
                net.buffers().stream().map(Buffer::name).toList());
        assertEquals(List.of("layer1.layer2.W", "layer1.layer2.b"),
                net.parameters().stream().map(Parameter::name).toList());
        assertEquals("layer1.layer1.mean", net.buffers().get(0).variable().name(), "the variable carries its name");
        assertFalse(net.buffers().get(0).variable().requiresGrad());
        assertEquals(List.of(), new Linear(3, 2, Init.he(), Randoms.seeded(1)).buffers());
    }

    @Test
    void aBufferCannotTakeTheNameOfAParameterOrAChild() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Module() {
            final Variable w = addWeight("W", Tensor.ones(2));
            final Variable shadow = addBuffer("W", Tensor.zeros(2));

            @Override
            public Variable forward(Variable x) {
                return x;
            }
        });
        assertEquals("W is already a name in this module (parameters, buffers and children share one namespace)",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Module() {
            final Variable mean = addBuffer("mean", Tensor.ones(2));
            final Linear child = add("mean", new Linear(2, 2, Init.he(), Randoms.seeded(1)));

            @Override
            public Variable forward(Variable x) {
                return x;
            }
        });
    }

    @Test
    void trainingFreezingAndUnfreezingLeaveBuffersAlone() {
        Sequential net = standardizedNet();
        Sgd sgd = Sgd.plain(net.parameters(), LearningRate.constant(0.5));
        Tensor w = net.parameter("layer2.W").variable().value();

        Ops.sum(Ops.tanh(net.forward(Variable.constant(Tensor.matrix(new double[] {3, 1, 4}))))).backward();
        sgd.step();
        net.freeze();
        net.unfreeze();

        assertNotEquals(w, net.parameter("layer2.W").variable().value(), "the step changed the weights");
        for (Buffer b : net.buffers()) {
            assertFalse(b.variable().hasGrad(), b.name());
            assertFalse(b.variable().requiresGrad(), b.name() + " stays a constant through freeze and unfreeze");
            assertEquals(0, b.variable().version(), b.name() + " was never assigned");
        }
        assertEquals(List.of(MEAN, STD), net.buffers().stream().map(b -> b.variable().value()).toList());
    }

    @Test
    void theIdentityPlaceholderPassesItsInputThrough() {
        Tensor x = Tensor.matrix(new double[] {3, -1}, new double[] {0.5, 7});
        Standardize placeholder = Standardize.identity(2);

        assertEquals(x, placeholder.forward(Variable.constant(x)).value());
        assertEquals(2, placeholder.features());
        assertThrows(IllegalArgumentException.class, () -> Standardize.identity(0));
    }
}
