package dev.chainrule.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.autodiff.GradCheck;
import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The course's regularized cost on its gradient-checking network (3 inputs, 5 hidden units, 3 classes, m = 5,
 * "debug" values sin(1..n)/10): chainrule's graph must give the J(Θ) of the formula, computed here by hand, and
 * the gradients of backpropagation as the course writes it: Δ/m + (λ/m)Θ for weights, Δ/m for biases.
 */
class CourseCostTest {
    private static final int M = 5, IN = 3, HIDDEN = 5, CLASSES = 3;

    /** sin(1), sin(2), … / 10 in row-major order: the course's debugInitializeWeights, transposed to our layout. */
    private static Tensor debug(Shape shape, int offset) {
        double[] values = new double[shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.sin(offset + i + 1) / 10;
        }
        return Tensor.of(shape, values);
    }

    private static final Tensor X = debug(Shape.of(M, IN), 100);
    private static final Tensor W1 = debug(Shape.of(IN, HIDDEN), 0);
    private static final Tensor B1 = debug(Shape.of(HIDDEN), 20);
    private static final Tensor W2 = debug(Shape.of(HIDDEN, CLASSES), 40);
    private static final Tensor B2 = debug(Shape.of(CLASSES), 60);
    /** Labels 1 + mod(1:m, 3) in the course, 0-based here, one-hot. */
    private static final Tensor Y = oneHot(new int[] {1, 2, 0, 1, 2});

    private static Tensor oneHot(int[] labels) {
        double[] values = new double[labels.length * CLASSES];
        for (int i = 0; i < labels.length; i++) {
            values[i * CLASSES + labels[i]] = 1;
        }
        return Tensor.of(Shape.of(labels.length, CLASSES), values);
    }

    /** J(Θ) through chainrule: sigmoid cross-entropy from logits, plus the L2 term over weights only. */
    private static Variable cost(double lambda, Variable x, Variable w1, Variable b1, Variable w2, Variable b2) {
        Variable hidden = Ops.sigmoid(Ops.affine(x, w1, b1));
        Variable logits = Ops.affine(hidden, w2, b2);
        List<Parameter> parameters = List.of(new Parameter("W1", w1, Parameter.Role.WEIGHT),
                new Parameter("b1", b1, Parameter.Role.BIAS), new Parameter("W2", w2, Parameter.Role.WEIGHT),
                new Parameter("b2", b2, Parameter.Role.BIAS));
        return Ops.add(Ops.sigmoidCrossEntropy(logits, Variable.constant(Y)), Regularization.l2(lambda, M, parameters));
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** a2 = σ(x·W1 + b1) for every example, by loops. */
    private static double[][] hidden() {
        double[][] a2 = new double[M][HIDDEN];
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < HIDDEN; j++) {
                double z = B1.get(j);
                for (int k = 0; k < IN; k++) {
                    z += X.get(i, k) * W1.get(k, j);
                }
                a2[i][j] = sigmoid(z);
            }
        }
        return a2;
    }

    /** h = a3 = σ(a2·W2 + b2). */
    private static double[][] output(double[][] a2) {
        double[][] h = new double[M][CLASSES];
        for (int i = 0; i < M; i++) {
            for (int c = 0; c < CLASSES; c++) {
                double z = B2.get(c);
                for (int j = 0; j < HIDDEN; j++) {
                    z += a2[i][j] * W2.get(j, c);
                }
                h[i][c] = sigmoid(z);
            }
        }
        return h;
    }

    private static double sumOfSquares(Tensor t) {
        return t.mul(t).sum().item();
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 1, 3})
    void theGraphsCostIsTheCoursesRegularizedJ(double lambda) {
        double[][] h = output(hidden());
        double j = 0;
        for (int i = 0; i < M; i++) {
            for (int c = 0; c < CLASSES; c++) {
                double y = Y.get(i, c);
                j += y * Math.log(h[i][c]) + (1 - y) * Math.log(1 - h[i][c]);
            }
        }
        j = -j / M + lambda / (2 * M) * (sumOfSquares(W1) + sumOfSquares(W2)); // biases excluded

        double graph = cost(lambda, Variable.constant(X), Variable.parameter(W1), Variable.parameter(B1),
                Variable.parameter(W2), Variable.parameter(B2)).item();

        assertEquals(j, graph, 1e-14 * Math.abs(j), "J(Θ) with λ = " + lambda);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 3})
    void theGraphsGradientsAreTheCoursesBackpropagation(double lambda) {
        double[][] a2 = hidden();
        double[][] h = output(a2);
        double[][] dW1 = new double[IN][HIDDEN], dW2 = new double[HIDDEN][CLASSES];
        double[] db1 = new double[HIDDEN], db2 = new double[CLASSES];
        for (int i = 0; i < M; i++) { // one example at a time, accumulating Δ as the course does
            double[] delta3 = new double[CLASSES];
            for (int c = 0; c < CLASSES; c++) {
                delta3[c] = h[i][c] - Y.get(i, c); // δ at the output = a − y
                db2[c] += delta3[c];
                for (int j = 0; j < HIDDEN; j++) {
                    dW2[j][c] += a2[i][j] * delta3[c];
                }
            }
            for (int j = 0; j < HIDDEN; j++) {
                double back = 0;
                for (int c = 0; c < CLASSES; c++) {
                    back += W2.get(j, c) * delta3[c];
                }
                double delta2 = back * a2[i][j] * (1 - a2[i][j]); // δ⁽²⁾ = Θ⁽²⁾ᵀ δ⁽³⁾ .* g′(z⁽²⁾)
                db1[j] += delta2;
                for (int k = 0; k < IN; k++) {
                    dW1[k][j] += X.get(i, k) * delta2;
                }
            }
        }
        Variable w1 = Variable.parameter(W1), b1 = Variable.parameter(B1);
        Variable w2 = Variable.parameter(W2), b2 = Variable.parameter(B2);
        cost(lambda, Variable.constant(X), w1, b1, w2, b2).backward();

        assertClose(regularized(dW1, W1, lambda), w1.grad().value(), "dJ/dW1 = Δ1/m + (λ/m)·W1");
        assertClose(regularized(dW2, W2, lambda), w2.grad().value(), "dJ/dW2 = Δ2/m + (λ/m)·W2");
        assertClose(Tensor.vector(db1).mul(1.0 / M), b1.grad().value(), "dJ/db1 = Δ/m, no penalty");
        assertClose(Tensor.vector(db2).mul(1.0 / M), b2.grad().value(), "dJ/db2 = Δ/m, no penalty");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 3})
    void theRegularizedCostPassesTheGradientCheck(double lambda) {
        GradCheck.defaults().check(xs -> cost(lambda, xs[0], xs[1], xs[2], xs[3], xs[4]), X, W1, B1, W2, B2)
                .assertPassed();
    }

    private static Tensor regularized(double[][] delta, Tensor w, double lambda) {
        return Tensor.matrix(delta).mul(1.0 / M).add(w.mul(lambda / M));
    }

    private static void assertClose(Tensor expected, Tensor actual, String what) {
        assertTrue(actual.allClose(expected, 1e-15, 1e-12), what + ": expected " + expected + ", got " + actual);
    }
}
