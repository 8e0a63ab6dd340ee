package dev.chainrule.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DropoutTest {
    private static final Tensor X = Tensor.full(Shape.of(50, 40), 2.0);

    @Test
    void inTrainingItDropsAboutPAndScalesTheRestInEvaluationItIsTheIdentity() {
        Dropout dropout = new Dropout(0.25, Randoms.seeded(3));
        Variable x = Variable.parameter(X);

        Tensor y = dropout.forward(x).value();
        long kept = Arrays.stream(y.toArray()).filter(v -> v != 0).count();
        // 2000 elements kept with probability 0.75: mean 1500, standard deviation 19.4; 5 deviations either way
        assertTrue(Math.abs(kept - 1500) < 97, "kept " + kept);
        assertTrue(Arrays.stream(y.toArray()).allMatch(v -> v == 0 || v == 2.0 / 0.75), "kept ones scaled");

        dropout.eval();
        assertSame(x, dropout.forward(x), "evaluation mode passes x through untouched");
    }

    @Test
    void theGradientFlowsThroughTheKeptElementsOnlyAndEachPassDrawsANewMask() {
        Dropout dropout = new Dropout(0.5, Randoms.seeded(4));
        Variable x = Variable.parameter(X);
        Tensor first = dropout.forward(x).value();
        Variable y = dropout.forward(x);
        Ops.sum(y).backward();

        Tensor expected = y.value().map(v -> v == 0 ? 0 : 2.0);
        assertEquals(expected, x.grad().value());
        assertNotEquals(first, y.value());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.0, Randoms.seeded(1)));
    }
}
