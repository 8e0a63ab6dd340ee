package dev.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.core.Tensor;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NonFiniteTest {
    @Test
    void originNamesTheNodeWhoseOutputTurnedNonFinite() {
        Variable x = Variable.parameter(Tensor.vector(1, -1, 2)).named("x");
        Variable h = Ops.log(x).named("h");
        Variable loss = Ops.sum(Ops.mul(Ops.exp(h), 2.0));

        String origin = NonFinite.origin(loss).orElseThrow();

        assertTrue(origin.startsWith("Log → h produced NaN at [1] of (3)"), origin);
        assertTrue(origin.contains("x (3)"), origin);
    }

    @Test
    void originIsEmptyWhenEveryValueIsFinite() {
        Variable x = Variable.parameter(Tensor.vector(1, 2));
        assertEquals(Optional.empty(), NonFinite.origin(Ops.sum(Ops.log(x))));
    }

    @Test
    void originNamesTheLeafThatAlreadyHeldTheNonFiniteValue() {
        Variable x = Variable.constant(Tensor.vector(1, Double.POSITIVE_INFINITY)).named("x");
        Variable w = Variable.parameter(Tensor.vector(0.5, 2)).named("w");

        String origin = NonFinite.origin(Ops.sum(Ops.tanh(Ops.mul(x, w)))).orElseThrow();

        assertEquals("leaf x (2) holds Infinity at [1] of (2)", origin);
    }

    @Test
    void detectorTracesANaNInTheDataToTheLeafThatHeldIt() {
        Variable x = Variable.constant(Tensor.matrix(new double[] {1, Double.NaN}, new double[] {0, 1})).named("x");
        Variable w = Variable.parameter(Tensor.matrix(new double[] {0.5, -1}, new double[] {2, 0.25})).named("W");
        Variable b = Variable.parameter(Tensor.vector(0, 0)).named("b");
        Variable t = Variable.constant(Tensor.matrix(new double[] {1, 0}, new double[] {0, 1}));
        Variable loss = Ops.sigmoidCrossEntropy(Ops.affine(x, w, b).named("z"), t);

        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> loss.backward(BackwardOptions.defaults().listener(NonFinite.detector())));

        assertTrue(e.getMessage().startsWith("leaf x (2, 2) holds NaN at [0, 1] of (2, 2) in the forward pass; "
                + "backward then met it in SigmoidCrossEntropy"), e.getMessage());
    }

    @Test
    void detectorNamesTheNodeThatProducedANaNInTheForwardPassNotTheNodeThatMetIt() {
        Variable x = Variable.parameter(Tensor.vector(1, -1)).named("x");
        Variable h = Ops.log(x).named("h"); // log(−1) = NaN: Log is to blame
        Variable loss = Ops.meanSquaredError(Ops.tanh(h), Variable.constant(Tensor.vector(0, 0)));

        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> loss.backward(BackwardOptions.defaults().listener(NonFinite.detector())));

        assertTrue(e.getMessage().startsWith("Log → h produced NaN at [1] of (2) from finite inputs [x (2)] in the "
                + "forward pass; backward then met it in MeanSquaredError"), e.getMessage());
    }

    @Test
    void detectorStopsBackwardAtTheNodeWhoseGradientTurnedNonFinite() {
        Variable x = Variable.parameter(Tensor.vector(0.0, 1.0)).named("x");
        Variable loss = Ops.sum(Ops.mul(Ops.pow(x, 0.5), 3.0)); // finite forward; d√x/dx is infinite at 0

        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> loss.backward(BackwardOptions.defaults().listener(NonFinite.detector())));

        assertTrue(e.getMessage().startsWith("Pow: backward produced Infinity at [0] of (2)"), e.getMessage());
        assertTrue(e.getMessage().contains("input 0 (x (2))"), e.getMessage());
    }

    @Test
    void detectorLetsAFiniteBackwardThrough() {
        Variable x = Variable.parameter(Tensor.vector(0.5, 1.0));
        Ops.sum(Ops.pow(x, 0.5)).backward(BackwardOptions.defaults().listener(NonFinite.detector()));
        assertEquals(0.5 / Math.sqrt(0.5), x.grad().value().getFlat(0), 1e-12);
    }
    /** The first element is the edge a search for "the first non-finite position" most easily gets wrong. */
    @Test
    void nonFiniteValuesAtTheFirstElementAreFoundToo() {
        Variable x = Variable.constant(Tensor.vector(Double.NaN, 1)).named("x");
        Variable w = Variable.parameter(Tensor.vector(-1, 2)).named("w");
        Variable h = Ops.log(w).named("h");

        assertEquals("leaf x (2) holds NaN at [0] of (2)", NonFinite.origin(Ops.sum(Ops.mul(x, w))).orElseThrow());
        assertEquals("Log → h produced NaN at [0] of (2) from finite inputs [w (2)]",
                NonFinite.origin(Ops.sum(h)).orElseThrow());
        Variable p = Variable.parameter(Tensor.vector(0.0, 1.0)).named("p");
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> Ops.sum(Ops.pow(p, 0.5))
                .backward(BackwardOptions.defaults().listener(NonFinite.detector())));
        assertTrue(e.getMessage().startsWith("Pow: backward produced Infinity at [0] of (2)"), e.getMessage());
    }
    @Test
    void detectorStopsAtANonFiniteSeedRatherThanBlamingANode() {
        Variable x = Variable.parameter(Tensor.vector(1, 2)).named("x");
        Variable y = Ops.tanh(x).named("y");

        ArithmeticException e = assertThrows(ArithmeticException.class, () -> y.backward(BackwardOptions.defaults()
                .seed(Tensor.vector(Double.NaN, 1)).listener(NonFinite.detector())));

        assertEquals("Tanh → y: the gradient arriving at it holds NaN at [0] of (2): the seed is not finite, or "
                + "finite gradients summed over its consumers overflowed", e.getMessage());
    }
}
