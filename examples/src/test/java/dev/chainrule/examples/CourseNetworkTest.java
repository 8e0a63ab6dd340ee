package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.util.List;
import org.apache.commons.math3.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** chainrule's cost and gradients for the course's network are the course's formulas, which are right themselves. */
class CourseNetworkTest {
    private static final List<String> LINES = Printed.linesOf(() -> CourseNetwork.main(new String[0]));

    @Test
    void theCostIsTheCoursesFormula() {
        double byHand = Printed.value(LINES, "J(Θ) by the course's formula");

        assertEquals(byHand, Printed.value(LINES, "J(Θ) by chainrule"), 1e-14 * byHand);
    }

    @Test
    void theGradientsAreTheCoursesBackpropagation() {
        List<String> differences = LINES.stream().filter(l -> l.contains("largest difference")).toList();

        assertEquals(2, differences.size(), "one per layer");
        differences.forEach(line -> assertTrue(Printed.numbers(line)[0] <= 1e-15, line));
        assertEquals(1 + 5 + 1 + 3, LINES.stream().filter(l -> l.contains("dJ/dΘ") || l.matches("( +-?\\d.*)+"))
                .count(), "a title and one printed row per unit of each layer");
    }

    /** The oracle checked on its own: its backpropagation is the central difference of its cost, per element of Θ. */
    @Test
    void theCoursesBackpropagationIsTheDerivativeOfItsCost() {
        RandomGenerator random = Randoms.seeded(3);
        Tensor x = Tensor.normal(random, 0, 1, Shape.of(6, 4));
        Tensor y = Tensor.bernoulli(random, 0.5, Shape.of(6, 3));
        Tensor[] thetas = {Tensor.normal(random, 0, 1, Shape.of(5, 5)), Tensor.normal(random, 0, 1, Shape.of(3, 6))};
        double lambda = 2, epsilon = 1e-5;

        Tensor[] gradients = CourseNotation.gradients(x, y, lambda, thetas);
        for (int l = 0; l < thetas.length; l++) {
            for (int i = 0; i < thetas[l].size(); i++) {
                double above = cost(x, y, lambda, thetas, l, i, epsilon);
                double numerical = (above - cost(x, y, lambda, thetas, l, i, -epsilon)) / (2 * epsilon);
                assertEquals(numerical, gradients[l].getFlat(i), 1e-8, "Θ⁽" + (l + 1) + "⁾ element " + i);
            }
        }
    }

    /** J with element i of Θ⁽ˡ⁾ moved by h. */
    private static double cost(Tensor x, Tensor y, double lambda, Tensor[] thetas, int l, int i, double h) {
        Tensor[] moved = thetas.clone();
        moved[l] = thetas[l].withFlat(i, thetas[l].getFlat(i) + h);
        return CourseNotation.cost(x, y, lambda, moved);
    }
}
