package dev.chainrule.nn.optim;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.autodiff.GradMode;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.nn.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunctionGradient;
import org.apache.commons.math3.optim.nonlinear.scalar.gradient.NonLinearConjugateGradientOptimizer;

/**
 * Full-batch training by nonlinear conjugate gradient (Polak–Ribière, from Apache Commons Math): the analogue of
 * the course's advanced optimizer (fmincg, fminunc). The parameters are unrolled into one vector
 * ({@link ParameterVector}); each evaluation rolls a point back into them, computes the cost and backpropagates it.
 */
public final class ConjugateGradient {
    private ConjugateGradient() {}

    /**
     * What a minimization reached.
     *
     * @param cost the cost at the final point, which the parameters now hold
     * @param iterations how many conjugate-gradient iterations (line searches) ran
     * @param evaluations how many times the cost was computed
     */
    public record Result(double cost, int iterations, int evaluations) {}

    /**
     * Minimizes {@code cost} over {@code parameters}, starting from their current values, and leaves them at the
     * minimum found.
     *
     * @param parameters what to optimize
     * @param cost builds the full-batch cost from the parameters' current values (called once per evaluation)
     * @param maxIterations how many iterations at most, like fmincg's MaxIter: reaching it ends the minimization
     *     normally, at the point reached
     * @return the final cost and the work done
     * @throws org.apache.commons.math3.exception.TooManyEvaluationsException if the line searches need more than
     *     100 evaluations per iteration allowed
     */
    public static Result minimize(List<Parameter> parameters, Supplier<Variable> cost, int maxIterations) {
        checkNotNull(cost, "ConjugateGradient: cost is null");
        checkArgument(maxIterations > 0, "ConjugateGradient: maxIterations must be positive, got %s", maxIterations);
        ParameterVector vector = ParameterVector.of(parameters);
        // Commons Math counts an iteration before its line search and asks the checker from the second on, so after
        // n line searches the count is n + 1: the checker stops there, after maxIterations line searches like fmincg's
        // MaxIter, at the point reached (MaxIter, one above, would throw instead).
        // Line searches to 1e-10 from a bracket of 1: with Commons Math's default bracket of 1e-8 the search stalled
        // after 5 iterations at a cost 1e-4 above the minimum of a regularized logistic regression (see the test).
        NonLinearConjugateGradientOptimizer optimizer = new NonLinearConjugateGradientOptimizer(
                NonLinearConjugateGradientOptimizer.Formula.POLAK_RIBIERE,
                new SimpleValueChecker(1e-12, 1e-14, maxIterations + 1), 1e-10, 1e-12, 1.0);
        // Each iteration asks for the gradient at its new point, then the next asks for the value there: the value
        // computed with that gradient is kept, so that the cost is not built twice at one point.
        double[][] lastPoint = {null};
        double[] lastValue = {Double.NaN};
        PointValuePair best = optimizer.optimize(
                new ObjectiveFunction(point -> {
                    if (Arrays.equals(point, lastPoint[0])) {
                        return lastValue[0];
                    }
                    vector.assign(point);
                    try (GradMode.Scope ignored = GradMode.noGrad()) {
                        return cost.get().item();
                    }
                }),
                new ObjectiveFunctionGradient(point -> {
                    vector.assign(point);
                    parameters.forEach(p -> p.variable().clearGrad());
                    Variable c = cost.get();
                    c.backward();
                    lastPoint[0] = point.clone();
                    lastValue[0] = c.item();
                    return vector.gradients();
                }),
                GoalType.MINIMIZE, new InitialGuess(vector.values()), new MaxIter(maxIterations + 2),
                new MaxEval(100 * maxIterations));
        vector.assign(best.getPoint());
        parameters.forEach(p -> p.variable().clearGrad());
        return new Result(best.getValue(), optimizer.getIterations() - 1, optimizer.getEvaluations());
    }
}
