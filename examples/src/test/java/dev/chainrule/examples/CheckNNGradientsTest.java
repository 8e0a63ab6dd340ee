package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The course's gradient check: backpropagation agrees with central differences, and a planted error shows. */
class CheckNNGradientsTest {
    /** sin(1..n)/10: MATLAB's Θ(:) of a debug matrix with n elements. */
    private static DoubleStream debugColumn(int n) {
        return IntStream.rangeClosed(1, n).mapToDouble(i -> Math.sin(i) / 10);
    }

    /** The course's debug matrix built independently: element (r, c) is sin(1 + r + c·rows)/10. */
    private static Tensor courseDebugMatrix(int rows, int columns) {
        double[][] values = new double[rows][columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                values[r][c] = Math.sin(1 + r + c * rows) / 10;
            }
        }
        return Tensor.matrix(values);
    }

    @Test
    void theUnrolledParametersAreTheCoursesThetaColumnByColumn() {
        double[] expected = DoubleStream.concat(debugColumn(5 * 4), debugColumn(3 * 6)).toArray();

        assertArrayEquals(expected, CheckNNGradients.check(0).theta(), 0.0);
        assertEquals(courseDebugMatrix(5, 4), CheckNNGradients.debugInitializeWeights(5, 3));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 3})
    void backpropagationAgreesWithCentralDifferences(double lambda) {
        CheckNNGradients.Result result = CheckNNGradients.check(lambda);

        assertTrue(result.relativeDifference() < 1e-9, "relative difference " + result.relativeDifference());
        assertEquals(38, result.backprop().length);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 3})
    void theCostIsTheCoursesFormula(double lambda) {
        Tensor theta1 = courseDebugMatrix(5, 4), theta2 = courseDebugMatrix(3, 6);
        Tensor x = courseDebugMatrix(5, 3);
        Tensor y = Tensor.of(Shape.of(5, 3), 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1);  // labels 2 3 1 2 3

        double expected = CourseNotation.cost(x, y, lambda, theta1, theta2);

        assertEquals(expected, CheckNNGradients.check(lambda).cost(), 1e-14 * expected);
    }

    @Test
    void aPlantedPenaltyOnTheBiasesIsCaught() {
        double lambda = 3;
        CheckNNGradients.Result result = CheckNNGradients.check(lambda);
        double[] wrong = result.backprop().clone();
        // The bias columns Θ(:, 0) lead each layer's block of θ: 5 entries at 0, 3 entries at 20.
        for (int i : new int[] {0, 1, 2, 3, 4, 20, 21, 22}) {
            wrong[i] += lambda / CheckNNGradients.M * result.theta()[i];
        }

        double difference = CheckNNGradients.relativeDifference(result.numerical(), wrong);
        assertTrue(difference > 1e-4, "relative difference " + difference);
    }

    @Test
    void aPlantedMissingOneOverMIsCaught() {
        CheckNNGradients.Result result = CheckNNGradients.check(0);
        double[] wrong = Arrays.stream(result.backprop()).map(g -> g * CheckNNGradients.M).toArray();

        double difference = CheckNNGradients.relativeDifference(result.numerical(), wrong);
        assertTrue(difference > 1e-4, "relative difference " + difference);
    }

    @Test
    void printsBothGradientsSideBySideAndTheirRelativeDifference() {
        List<String> lines = Printed.linesOf(() -> CheckNNGradients.main(new String[0]));

        for (double lambda : new double[] {0, 3}) {
            CheckNNGradients.Result result = CheckNNGradients.check(lambda);
            int header = lines.indexOf(String.format("λ = %s: J = %.10f", lambda, result.cost()));
            assertTrue(header >= 0, "no cost line for λ = " + lambda + " in\n" + lines);
            for (int i = 0; i < 38; i++) {
                double[] row = Printed.numbers(lines.get(header + 2 + i));
                assertEquals(result.numerical()[i], row[0], 1e-10);
                assertEquals(result.backprop()[i], row[1], 1e-10);
            }
            double printed = Printed.numbers(lines.get(header + 40))[0];
            assertEquals(result.relativeDifference(), printed, 1e-3 * printed);
        }
    }
}
