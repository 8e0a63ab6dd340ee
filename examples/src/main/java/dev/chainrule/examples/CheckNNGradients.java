package dev.chainrule.examples;

import dev.chainrule.autodiff.GradMode;
import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Activation;
import dev.chainrule.nn.Linear;
import dev.chainrule.nn.Regularization;
import dev.chainrule.nn.Sequential;
import dev.chainrule.nn.data.Dataset;
import dev.chainrule.nn.optim.ParameterVector;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The course's gradient-checking exercise (ex4's checkNNGradients): a 3-5-3 sigmoid network on m = 5 examples, all
 * of them made of the deterministic "debug" values sin(1), sin(2), … / 10, whose backpropagated gradient is compared
 * with the central difference (J(θ + ε) − J(θ − ε)) / 2ε of each element of the unrolled parameters θ.
 */
public final class CheckNNGradients {
    static final int INPUTS = 3, HIDDEN = 5, CLASSES = 3, M = 5;
    static final double EPSILON = 1e-4;

    private CheckNNGradients() {}

    /**
     * One check at one λ. The arrays follow the course's unrolling [Θ⁽¹⁾(:); Θ⁽²⁾(:)] and belong to the caller.
     *
     * @param lambda λ
     * @param cost J(θ) at the debug parameters
     * @param theta θ, the debug parameters unrolled
     * @param numerical the central differences, one per element of θ
     * @param backprop the gradient by backward, one per element of θ
     */
    public record Result(double lambda, double cost, double[] theta, double[] numerical, double[] backprop) {
        /** @return norm(numerical − backprop) / norm(numerical + backprop), below 1e-9 when backward is right */
        public double relativeDifference() {
            return CheckNNGradients.relativeDifference(numerical, backprop);
        }
    }

    /** debugInitializeWeights(fanOut, fanIn): reshape(sin(1:numel), fanOut, 1 + fanIn) / 10, column by column. */
    static Tensor debugInitializeWeights(int fanOut, int fanIn) {
        Shape shape = Shape.of(fanOut, 1 + fanIn);
        double[] values = new double[shape.size()];
        for (int i = 0; i < values.length; i++) {
            int row = i % fanOut, column = i / fanOut;  // element i + 1 in MATLAB's column-major order
            values[row * shape.dim(1) + column] = Math.sin(i + 1) / 10;
        }
        return Tensor.of(shape, values);
    }

    /**
     * Backpropagation against central differences at the debug parameters.
     *
     * @param lambda the regularisation λ, not negative
     * @return the cost, both gradients and their relative difference
     */
    public static Result check(double lambda) {
        // Each Θ = [b | Wᵀ] becomes a Linear with b = Θ(:, 0) and W = Θ(:, 1:)ᵀ: the same map of its input.
        Linear hidden = CourseNotation.linear(debugInitializeWeights(HIDDEN, INPUTS));    // Θ⁽¹⁾ is (5 × 4)
        Linear output = CourseNotation.linear(debugInitializeWeights(CLASSES, HIDDEN));   // Θ⁽²⁾ is (3 × 6)
        Sequential net = new Sequential(hidden, Activation.sigmoid(), output);
        // X = debugInitializeWeights(m, 2), (5 × 3); y = 1 + mod(1:m, 3)': labels 2, 3, 1, 2, 3, here 0-based.
        Dataset data = new Dataset(debugInitializeWeights(M, INPUTS - 1),
                IntStream.rangeClosed(1, M).map(i -> i % CLASSES).toArray(), CLASSES);
        Variable x = Variable.constant(data.features());
        Variable y = Variable.constant(data.oneHot());
        // J(Θ) = −1/m ΣΣ [y log h + (1 − y) log(1 − h)] + λ/(2m) ΣΣΣ Θ², biases (Θ's column 0) not penalised.
        Supplier<Variable> cost = () -> Ops.add(Ops.sigmoidCrossEntropy(net.forward(x), y),
                Regularization.l2(lambda, M, net.parameters()));
        // Θ(:) runs down the columns of Θ = [b | Wᵀ]: first b, then each row of W. So b before W, layer by layer.
        ParameterVector theta = ParameterVector.of(List.of(hidden.parameter("b"), hidden.parameter("W"),
                output.parameter("b"), output.parameter("W")));

        Variable j = cost.get();
        j.backward();
        return new Result(lambda, j.item(), theta.values(), numericalGradient(theta, cost), theta.gradients());
    }

    /** computeNumericalGradient: (J(θ + ε·eᵢ) − J(θ − ε·eᵢ)) / 2ε for each i; θ is restored afterwards. */
    static double[] numericalGradient(ParameterVector theta, Supplier<Variable> cost) {
        double[] at = theta.values();
        double[] gradient = new double[at.length];
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (int i = 0; i < at.length; i++) {
                double[] perturbed = at.clone();
                perturbed[i] = at[i] - EPSILON;
                theta.assign(perturbed);
                double below = cost.get().item();
                perturbed[i] = at[i] + EPSILON;
                theta.assign(perturbed);
                gradient[i] = (cost.get().item() - below) / (2 * EPSILON);
            }
            theta.assign(at);
        }
        return gradient;
    }

    /** norm(a − b) / norm(a + b), the course's measure. */
    public static double relativeDifference(double[] a, double[] b) {
        double difference = 0, sum = 0;
        for (int i = 0; i < a.length; i++) {
            difference += (a[i] - b[i]) * (a[i] - b[i]);
            sum += (a[i] + b[i]) * (a[i] + b[i]);
        }
        return Math.sqrt(difference / sum);
    }

    /**
     * Prints, for each λ, the cost, the two gradients side by side and their relative difference, as the course does.
     *
     * @param out where to print
     * @param lambdas the values of λ to check at
     * @return the checks, one per λ
     */
    public static List<Result> print(PrintStream out, double... lambdas) {
        List<Result> results = new ArrayList<>();
        for (double lambda : lambdas) {
            Result result = check(lambda);
            results.add(result);
            out.printf("λ = %s: J = %.10f%n", lambda, result.cost());
            out.printf("%14s %14s%n", "numerical", "backprop");
            for (int i = 0; i < result.theta().length; i++) {
                out.printf("%14.10f %14.10f%n", result.numerical()[i], result.backprop()[i]);
            }
            out.printf("relative difference = %.3e (below 1e-9 when backpropagation is right)%n%n",
                    result.relativeDifference());
        }
        return results;
    }

    public static void main(String[] args) {
        print(System.out, 0, 3);
    }
}
