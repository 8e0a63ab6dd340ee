package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.autodiff.Variable;
import org.junit.jupiter.api.Test;

class StepByStepTest {
    @Test
    void reproducesThePublishedErrorAndGradients() {
        StepByStep net = new StepByStep();
        Variable error = net.error();
        error.backward();

        assertEquals(0.298371109, error.item(), 1e-9);
        assertEquals(0.082167041, net.w2.grad().value().get(0, 0), 1e-9); // ∂E/∂w5
        assertEquals(0.000438568, net.w1.grad().value().get(0, 0), 1e-9); // ∂E/∂w1
    }
}
