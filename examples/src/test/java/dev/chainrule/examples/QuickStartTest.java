package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.autodiff.Gradients;
import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The quick start (README quotes it; ReadmeTest checks the quote) prints the right cost and gradients. */
class QuickStartTest {
    @Test
    void printsTheCostAndGradientsOfTheComposedGraph() {
        List<String> lines = Printed.linesOf(() -> QuickStart.main(new String[0]));

        // The oracle: the same cost built from σ, log and mean instead of the fused nodes.
        Variable x = Variable.constant(Tensor.matrix(new double[] {1, 2, 3}, new double[] {4, 5, 6}));
        Variable y = Variable.constant(Tensor.matrix(new double[] {1, 0}, new double[] {0, 1}));
        Variable w = Variable.parameter(Tensor.matrix(new double[] {0.1, -0.2}, new double[] {0.0, 0.3},
                new double[] {-0.1, 0.2}));
        Variable b = Variable.parameter(Tensor.vector(0.0, 0.1));
        Variable h = Ops.sigmoid(Ops.add(Ops.matmul(x, w), b));
        Variable perElement = Ops.add(Ops.mul(y, Ops.log(h)), Ops.mul(Ops.oneMinus(y), Ops.log(Ops.oneMinus(h))));
        Variable cost = Ops.mul(Ops.sum(perElement), -1.0 / 2);
        Variable[] grads = Gradients.of(cost, w, b);

        assertEquals(cost.item(), Printed.value(lines, "J "), 1e-12);
        assertTensorPrinted(grads[0].value(), Printed.line(lines, "dJ/dW"));
        assertTensorPrinted(grads[1].value(), Printed.line(lines, "dJ/db"));
    }

    private static void assertTensorPrinted(Tensor expected, String line) {
        double[] numbers = Printed.numbers(line);
        assertEquals(expected.size(), numbers.length, line);
        for (int i = 0; i < numbers.length; i++) {
            assertEquals(expected.getFlat(i), numbers[i], 1e-12, line);
        }
    }
}
