package dev.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import org.junit.jupiter.api.Test;

/** How the losses normalise, for shapes other than a batch matrix. */
class LossesTest {
    @Test
    void softmaxCrossEntropyOfOneVectorIsMinusTheLogOfTheTargetsProbability() {
        Variable z = Variable.constant(Tensor.vector(1, 2, 3));
        Variable t = Variable.constant(Tensor.vector(0, 0, 1));
        double expected = -Math.log(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)));
        assertEquals(expected, Ops.softmaxCrossEntropy(z, t).item(), 1e-12);
    }

    @Test
    void softmaxCrossEntropyAveragesOverEveryDistributionOfAHigherRankTensor() {
        Shape shape = Shape.of(2, 3, 4);
        double[] oneHot = new double[shape.size()];
        for (int row = 0; row < 6; row++) {
            oneHot[row * 4 + row % 4] = 1;
        }
        Variable z = Variable.constant(Tensor.zeros(shape));
        Variable t = Variable.constant(Tensor.of(shape, oneHot));
        assertEquals(Math.log(4), Ops.softmaxCrossEntropy(z, t).item(), 1e-12);
    }

    @Test
    void softmaxCrossEntropyRefusesScalarLogits() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ops.softmaxCrossEntropy(Variable.constant(1.0), Variable.constant(1.0)));
        assertTrue(e.getMessage().startsWith("SoftmaxCrossEntropy(") && e.getMessage().contains("logits must have a class axis"),
                e.getMessage());
    }

    @Test
    void softmaxCrossEntropyRefusesALabelOutsideTheClasses() {
        Variable z = Variable.parameter(Tensor.zeros(2, 3));
        IllegalArgumentException below = assertThrows(IllegalArgumentException.class, () -> Ops.softmaxCrossEntropy(z, 0, -1));
        IllegalArgumentException above = assertThrows(IllegalArgumentException.class, () -> Ops.softmaxCrossEntropy(z, 3, 0));
        assertEquals("softmaxCrossEntropy: label -1 of row 1 is outside [0, 3)", below.getMessage());
        assertEquals("softmaxCrossEntropy: label 3 of row 0 is outside [0, 3)", above.getMessage());
        assertEquals(Math.log(3), Ops.softmaxCrossEntropy(z, 2, 0).item(), 1e-15); // the edges 0 and k − 1 are classes
    }

    @Test
    void sigmoidCrossEntropyOfAVectorTreatsEachElementAsOneExample() {
        Variable z = Variable.constant(Tensor.vector(0, 0));
        Variable t = Variable.constant(Tensor.vector(1, 0));
        assertEquals(Math.log(2), Ops.sigmoidCrossEntropy(z, t).item(), 1e-12); // mean over m = 2 examples
    }

    @Test
    void lossesNameBothShapesWhenPredictionAndTargetDiffer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ops.meanSquaredError(Variable.constant(Tensor.zeros(2, 3)), Variable.constant(Tensor.zeros(3, 2))));
        assertTrue(e.getMessage().contains("MeanSquaredError(") && e.getMessage().contains("prediction is (2, 3) but target is (3, 2)"),
                e.getMessage());
    }
}
