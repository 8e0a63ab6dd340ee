package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.util.List;
import org.apache.commons.math3.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** A shared weight's gradient is the sum over its uses and the finite difference of the loss; frozen gets none. */
class SharedWeightsTest {
    private static final List<String> LINES = Printed.linesOf(() -> SharedWeights.main(new String[0]));

    @Test
    void theSharedGradientIsTheSumOfThePerUseGradients() {
        double[] first = Printed.numbers(Printed.line(LINES, "dE/dW₁"));
        double[] second = Printed.numbers(Printed.line(LINES, "dE/dW₂"));
        double[] shared = Printed.numbers(Printed.line(LINES, "dE/dW, W shared"));

        for (int i = 0; i < 9; i++) {
            assertEquals(first[i] + second[i], shared[i], 1e-15, "element " + i);
        }
        assertTrue(Printed.value(LINES, "largest |dE/dW") <= 1e-15);
    }

    @Test
    void theSharedGradientIsTheCentralDifferenceOfTheLoss() {
        // The program's inputs, drawn again in its order from its seed.
        RandomGenerator random = Randoms.seeded(17);
        Variable x = Variable.constant(Tensor.normal(random, 0, 1, Shape.of(4, 3)));
        Variable target = Variable.constant(Tensor.normal(random, 0, 1, Shape.of(4, 1)));
        SharedWeights.Net net = new SharedWeights.Net(random);
        double[] shared = Printed.numbers(Printed.line(LINES, "dE/dW, W shared"));

        Tensor w = net.w.value();
        double h = 1e-6;
        for (int i = 0; i < 9; i++) {
            double above = loss(net, x, target, w.withFlat(i, w.getFlat(i) + h));
            double below = loss(net, x, target, w.withFlat(i, w.getFlat(i) - h));
            assertEquals((above - below) / (2 * h), shared[i], 1e-7, "element " + i);
        }
        assertTrue(Printed.line(LINES, "GradCheck").startsWith("GradCheck passed"));
    }

    private static double loss(SharedWeights.Net net, Variable x, Variable target, Tensor w) {
        Variable tied = Variable.constant(w);
        return Ops.meanSquaredError(net.readout.forward(SharedWeights.block(x, tied, tied)), target).item();
    }

    @Test
    void theFrozenReadoutGetsNoGradient() {
        assertTrue(Printed.line(LINES, "the frozen readout").endsWith("false"));
    }
}
