package dev.chainrule.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Randoms;
import dev.chainrule.core.Tensor;
import dev.chainrule.nn.optim.LearningRate;
import dev.chainrule.nn.optim.Optimizer;
import dev.chainrule.nn.optim.Sgd;
import org.junit.jupiter.api.Test;

/**
 * Why weights start random: started equal, every hidden unit of a layer computes the same function, receives the
 * same gradient and so stays the same through training; the layer is as good as one unit. Random starts differ.
 */
class SymmetryBreakingTest {
    private static final Tensor X = Tensor.matrix(new double[] {0, 0}, new double[] {0, 1}, new double[] {1, 0},
            new double[] {1, 1});
    /** OR rather than XOR: with XOR's balanced targets a network of zeros gets no gradient at all. */
    private static final Tensor Y = Tensor.matrix(new double[] {0}, new double[] {1}, new double[] {1}, new double[] {1});

    /** Trains a 2-4-1 sigmoid network on OR for 200 steps; returns the first layer's weights. */
    private static Tensor trainedHiddenWeights(Init init) {
        Linear hidden = new Linear(2, 4, init, Randoms.seeded(11));
        Linear output = new Linear(4, 1, init, Randoms.seeded(12));
        Sequential net = new Sequential(hidden, Activation.sigmoid(), output);
        Optimizer sgd = Sgd.plain(net.parameters(), LearningRate.constant(0.5));
        for (int step = 0; step < 200; step++) {
            sgd.clearGrads();
            Ops.sigmoidCrossEntropy(net.forward(Variable.constant(X)), Variable.constant(Y)).backward();
            sgd.step();
        }
        return hidden.weight().value();
    }

    /** The largest difference between two columns (two hidden units' incoming weights). */
    private static double spreadBetweenUnits(Tensor w) {
        double spread = 0;
        for (int row = 0; row < w.shape().dim(0); row++) {
            for (int unit = 1; unit < w.shape().dim(1); unit++) {
                spread = Math.max(spread, Math.abs(w.get(row, unit) - w.get(row, 0)));
            }
        }
        return spread;
    }

    @Test
    void unitsStartedEqualStayEqualThroughTraining() {
        Tensor w = trainedHiddenWeights(Init.zeros());

        assertEquals(0.0, spreadBetweenUnits(w), 0.0, "every hidden unit is the same: " + w);
        assertTrue(w.map(Math::abs).max().item() > 0, "yet the weights did train: " + w);
    }

    @Test
    void randomlyStartedUnitsLearnDifferentThings() {
        Tensor w = trainedHiddenWeights(Init.epsilonUniform());

        assertTrue(spreadBetweenUnits(w) > 0.1, "the units differ: " + w);
    }
}
