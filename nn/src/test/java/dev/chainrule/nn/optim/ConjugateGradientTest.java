package dev.chainrule.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Init;
import dev.chainrule.nn.Linear;
import dev.chainrule.nn.Parameter;
import dev.chainrule.nn.Regularization;
import java.util.List;
import org.apache.commons.math3.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class ConjugateGradientTest {
    @Test
    void findsTheMinimumOfABowl() {
        Variable w = Variable.parameter(Tensor.vector(2, 1, -3)).named("w");
        Tensor a = Tensor.vector(1, 4, 0.5), c = Tensor.vector(0.5, -1.5, 2);
        List<Parameter> parameters = List.of(new Parameter("w", w, Parameter.Role.WEIGHT));

        ConjugateGradient.Result result = ConjugateGradient.minimize(parameters, () -> {
            Variable d = Ops.sub(w, Variable.constant(c));
            return Ops.mul(Ops.sum(Ops.mul(Ops.mul(d, d), Variable.constant(a))), 0.5);
        }, 100);

        assertTrue(w.value().allClose(c, 1e-7, 0), "w = " + w.value());
        assertEquals(0, result.cost(), 1e-14);
        assertTrue(result.iterations() <= 10, "a quadratic in 3 dimensions needs few iterations: " + result);
    }

    /**
     * Regularized logistic regression is convex: conjugate gradient and many small steps of Adam must agree on its
     * minimum, and the gradient there must vanish.
     */
    @Test
    void agreesWithAdamOnTheMinimumOfRegularizedLogisticRegression() {
        RandomGenerator random = Randoms.seeded(4);
        Tensor x = Tensor.normal(random, 0, 1, Shape.of(40, 3));
        Tensor y = x.matmul(Tensor.matrix(new double[] {1.5}, new double[] {-2}, new double[] {0.5}))
                .add(Tensor.normal(random, 0, 1, Shape.of(40, 1))).map(v -> v > 0 ? 1 : 0);

        Linear cgModel = new Linear(3, 1, Init.zeros(), random);
        ConjugateGradient.Result result = ConjugateGradient.minimize(cgModel.parameters(), () -> cost(cgModel, x, y), 200);

        Linear adamModel = new Linear(3, 1, Init.zeros(), random);
        Optimizer adam = Adam.adam(adamModel.parameters(), LearningRate.cosine(0.05, 0, 4000));
        for (int step = 0; step < 4000; step++) {
            adam.clearGrads();
            cost(adamModel, x, y).backward();
            adam.step();
        }

        assertEquals(cost(adamModel, x, y).item(), result.cost(), 1e-9);
        assertTrue(cgModel.weight().value().allClose(adamModel.weight().value(), 1e-5, 0),
                cgModel.weight().value() + " against " + adamModel.weight().value());
        cost(cgModel, x, y).backward();
        double[] g = ParameterVector.of(cgModel.parameters()).gradients();
        for (double gi : g) {
            assertEquals(0, gi, 1e-6, "the gradient vanishes at the minimum");
        }
    }

    /** fmincg returns after MaxIter iterations; Commons Math throws, and minimize must not pass that on. */
    /** Σ c·w² with c = (1, 10): conjugate gradient needs exactly two exact line searches in two dimensions. */
    @Test
    void maxIterationsCountsLineSearches() {
        for (int max = 1; max <= 2; max++) {
            Variable w = Variable.parameter(Tensor.vector(2, 1)).named("w");
            ConjugateGradient.Result result = ConjugateGradient.minimize(
                    List.of(new Parameter("w", w, Parameter.Role.WEIGHT)),
                    () -> Ops.sum(Ops.mul(Ops.mul(w, w), Variable.constant(Tensor.vector(1, 10)))), max);
            assertEquals(max, result.iterations(), result.toString());
            if (max == 1) {
                assertTrue(result.cost() > 1, "one line search cannot reach the minimum: " + result);
            } else {
                assertEquals(0, result.cost(), 1e-20, "two reach it: " + result);
            }
        }
    }

    @Test
    void stopsAfterMaxIterationsAtTheLowestPointFound() {
        RandomGenerator random = Randoms.seeded(5);
        Tensor x = Tensor.normal(random, 0, 1, Shape.of(40, 3));
        Tensor y = x.matmul(Tensor.matrix(new double[] {1.5}, new double[] {-2}, new double[] {0.5}))
                .map(v -> v > 0 ? 1 : 0);
        Linear model = new Linear(3, 1, Init.zeros(), random);
        double start = cost(model, x, y).item();

        ConjugateGradient.Result result = ConjugateGradient.minimize(model.parameters(), () -> cost(model, x, y), 2);

        assertTrue(result.cost() < start, result + " from " + start);
        assertEquals(cost(model, x, y).item(), result.cost(), 0.0, "the parameters hold the point reported");
        assertEquals(2, result.iterations(), result.toString());
        ConjugateGradient.Result more = ConjugateGradient.minimize(model.parameters(), () -> cost(model, x, y), 200);
        assertTrue(more.cost() < result.cost() && more.iterations() < 200, "it had not converged: " + more);
    }

    private static Variable cost(Linear model, Tensor x, Tensor y) {
        Variable logits = model.forward(Variable.constant(x));
        return Ops.add(Ops.sigmoidCrossEntropy(logits, Variable.constant(y)),
                Regularization.l2(1.0, x.shape().dim(0), model.parameters()));
    }
}
