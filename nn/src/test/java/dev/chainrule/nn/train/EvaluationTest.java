package dev.chainrule.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.autodiff.GradMode;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Init;
import dev.chainrule.nn.MlpSpec;
import dev.chainrule.nn.Module;
import dev.chainrule.nn.Sequential;
import dev.chainrule.nn.metrics.ConfusionMatrix;
import org.junit.jupiter.api.Test;

class EvaluationTest {
    /** More rows than run at once, so that the batches are joined; dropout, so that evaluation mode matters. */
    private static final Tensor FEATURES = Tensor.normal(Randoms.seeded(2), 0, 3, Shape.of(2345, 4));

    private static Sequential network() {
        return MlpSpec.parse("mlp 4-6-3 tanh dropout 0.5/0.5").build(Init.he(), Randoms.seeded(1));
    }

    @Test
    void probabilitiesAreTheSoftmaxOfTheLogitsInEvaluationModeRowsSumToOneAndAgreeWithPredict() {
        Sequential net = network();

        Tensor probabilities = Evaluation.probabilities(net, FEATURES);
        int[] predicted = Evaluation.predict(net, FEATURES);

        assertTrue(net.isTraining(), "the mode is restored");
        assertEquals(Shape.of(2345, 3), probabilities.shape());
        Tensor sums = probabilities.sum(false, 1);
        for (int i = 0; i < sums.size(); i++) {
            assertEquals(1, sums.getFlat(i), 1e-12, "row " + i);
        }
        assertArrayEquals(predicted, ConfusionMatrix.predictions(probabilities));
        net.eval();
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            assertEquals(net.forward(Variable.constant(FEATURES)).value().softmax(), probabilities,
                    "in batches, bit for bit as in one pass, without dropout");
        }
    }

    @Test
    void probabilitiesRecordNoGraph() {
        Sequential net = network();
        Module watched = new Module() {
            @Override
            public Variable forward(Variable x) {
                assertFalse(GradMode.isEnabled(), "forward ran with recording on");
                return net.forward(x);
            }
        };
        assertEquals(Shape.of(2345, 3), Evaluation.probabilities(watched, FEATURES).shape());
    }

    @Test
    void featuresThatAreNotRowsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Evaluation.probabilities(network(), Tensor.zeros(4)));
        assertEquals("Evaluation.probabilities: features (4): expected a matrix (examples × features) with at least "
                + "one row", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Evaluation.predict(network(), Tensor.zeros(0, 4)));
    }
}
