package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Parameter;
import dev.chainrule.nn.Sequential;
import dev.chainrule.nn.optim.ParameterVector;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Conjugate gradient over the unrolled parameters lowers the cost round after round and learns the circle. */
class ConjugateGradientTrainingTest {
    @Test
    void theCostNeverRisesAndTheCircleIsLearned() {
        List<double[]> rounds = Printed.linesOf(() -> ConjugateGradientTraining.main(new String[0])).stream()
                .filter(l -> l.startsWith("after")).map(l -> Printed.numbers(l.substring(l.indexOf(':')))).toList();

        assertEquals(ConjugateGradientTraining.ROUNDS, rounds.size());
        assertTrue(rounds.get(0)[0] < Math.log(2), "below the cost of guessing ½ everywhere: " + rounds.get(0)[0]);
        for (int r = 1; r < rounds.size(); r++) {
            assertTrue(rounds.get(r)[0] <= rounds.get(r - 1)[0], "round " + (r + 1) + " raised J");
        }
        double[] last = rounds.get(rounds.size() - 1);
        assertTrue(last[0] < 0.05, "J = " + last[0]);
        assertTrue(last[1] >= 0.99, "training accuracy " + last[1]);
    }

    @Test
    void theUnrolledVectorRoundTripsToTheParametersExactly() {
        List<Parameter> parameters = ConjugateGradientTraining.network(2).parameters();
        List<Tensor> before = parameters.stream().map(p -> p.variable().value()).toList();
        ParameterVector theta = ParameterVector.of(parameters);

        double[] values = theta.values();
        double[] expected = before.stream().flatMapToDouble(t -> Arrays.stream(t.toArray())).toArray();
        assertArrayEquals(expected, values, 0.0, "each parameter in order, row-major");

        double[] moved = IntStream.range(0, values.length).mapToDouble(i -> values[i] + i).toArray();
        theta.assign(moved);
        int offset = 0;
        for (Parameter p : parameters) {
            double[] part = Arrays.copyOfRange(moved, offset, offset + p.variable().value().size());
            assertArrayEquals(part, p.variable().value().toArray(), 0.0, p.name());
            offset += part.length;
        }

        theta.assign(values);
        assertEquals(before, parameters.stream().map(p -> p.variable().value()).toList(), "bit for bit");
    }
}
