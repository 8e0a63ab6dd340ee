package dev.chainrule.examples;

import dev.chainrule.autodiff.BackwardOptions;
import dev.chainrule.autodiff.Gradients;
import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Tensor;
import java.util.function.UnaryOperator;

/**
 * The gradient of a gradient. A backward run with create-graph records itself, so f′(x) comes back as a graph
 * that a second backward differentiates into f″(x). Both are checked against their closed forms, then drive
 * Newton's method x ← x − f′(x)/f″(x) to the minimum of f(x) = x⁴ − 2x² at x* = 1, where it converges quadratically.
 */
public final class SecondDerivatives {
    /** f(x) = x⁴ − 2x²: f′ = 4x³ − 4x, f″ = 12x² − 4, minima at ±1. */
    static final UnaryOperator<Variable> QUARTIC = x -> Ops.sub(Ops.pow(x, 4), Ops.mul(Ops.pow(x, 2), 2));
    static final double START = 2;

    private SecondDerivatives() {}

    /** {f′(x), f″(x)} by two backward runs, the first recorded so that the second can differentiate it. */
    static double[] derivatives(UnaryOperator<Variable> f, double at) {
        Variable x = Variable.parameter(Tensor.scalar(at)).named("x");
        Variable slope = Gradients.of(BackwardOptions.defaults().createGraph(), f.apply(x), x)[0];
        Variable curvature = Gradients.of(slope, x)[0];
        return new double[] {slope.item(), curvature.item()};
    }

    public static void main(String[] args) {
        System.out.println("f(x) = x⁴ − 2x²: f′(x) = 4x³ − 4x, f″(x) = 12x² − 4");
        System.out.println("tanh: tanh′ = 1 − tanh², tanh″ = −2 tanh (1 − tanh²)");
        System.out.printf("%6s %14s %14s %14s %14s %14s %14s%n", "x", "f′", "4x³ − 4x", "f″", "12x² − 4", "tanh″",
                "−2t(1 − t²)");
        for (double x : new double[] {-1.5, -0.5, 0, 0.5, 2}) {
            double[] d = derivatives(QUARTIC, x);
            double t = Math.tanh(x);
            System.out.printf("%6.2f %14.10f %14.10f %14.10f %14.10f %14.10f %14.10f%n", x, d[0], 4 * x * x * x - 4 * x,
                    d[1], 12 * x * x - 4, derivatives(Ops::tanh, x)[1], -2 * t * (1 - t * t));
        }

        System.out.println("Newton's method on f from x = " + START + ", to the minimum x* = 1:");
        double x = START;
        for (int k = 0; k <= 10; k++) {
            System.out.printf("  x%-2d = %.17f   |x − x*| = %.3e%n", k, x, Math.abs(x - 1));
            double[] d = derivatives(QUARTIC, x);
            double next = x - d[0] / d[1];   // the minimum of the parabola that matches f, f′ and f″ at x
            if (next == x) {
                break;
            }
            x = next;
        }
    }
}
