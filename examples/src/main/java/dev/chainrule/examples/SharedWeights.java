package dev.chainrule.examples;

import dev.chainrule.autodiff.GradCheck;
import dev.chainrule.autodiff.Gradients;
import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Init;
import dev.chainrule.nn.Linear;
import dev.chainrule.nn.Module;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * A graph that is no chain of layers: y = readout(tanh(x·W)·W + x), with one weight W used twice and a skip path
 * that adds x back. A weight used twice gets the sum of the gradients of its uses (the engine adds them as the
 * paths meet), and a frozen module gets no gradient at all.
 */
public final class SharedWeights {
    private SharedWeights() {}

    /** tanh(x·W₁)·W₂ + x, with W's two uses passed apart so that an untied twin can give each its own gradient. */
    static Variable block(Variable x, Variable firstUse, Variable secondUse) {
        return Ops.add(Ops.matmul(Ops.tanh(Ops.matmul(x, firstUse)), secondUse), x);
    }

    /** The block with W tied (one parameter used twice), then a readout layer. */
    static final class Net extends Module {
        final Variable w;
        final Linear readout;

        Net(RandomGenerator random) {
            w = addWeight("W", Init.epsilonUniform().weights(3, 3, random));
            readout = add("readout", new Linear(3, 1, Init.epsilonUniform(), random));
        }

        @Override
        public Variable forward(Variable x) {
            return readout.forward(block(x, w, w));
        }
    }

    public static void main(String[] args) {
        RandomGenerator random = Randoms.seeded(17);
        Variable x = Variable.constant(Tensor.normal(random, 0, 1, Shape.of(4, 3)));
        Variable target = Variable.constant(Tensor.normal(random, 0, 1, Shape.of(4, 1)));
        Net net = new Net(random);
        net.readout.freeze();                                // trained elsewhere: keep it as it is

        Ops.meanSquaredError(net.forward(x), target).backward();  // E = ½ Σ (y − t)²
        Tensor shared = net.w.grad().value();

        // The twin: W untied into two parameters holding the same values, one per use.
        Variable first = Variable.parameter(net.w.value()), second = Variable.parameter(net.w.value());
        Variable twin = Ops.meanSquaredError(net.readout.forward(block(x, first, second)), target);
        Variable[] perUse = Gradients.of(twin, first, second);
        Tensor sum = perUse[0].value().add(perUse[1].value());

        System.out.println("dE/dW, W shared          = " + shared);
        System.out.println("dE/dW₁, first use alone  = " + perUse[0].value());
        System.out.println("dE/dW₂, second use alone = " + perUse[1].value());
        System.out.println("largest |dE/dW − (dE/dW₁ + dE/dW₂)| = " + shared.sub(sum).map(Math::abs).max().item());
        // Finite differences of E in each element of W, which moves both uses at once. (GradCheck scales E by a
        // random factor, so that a backward ignoring its upstream gradient fails: its numbers are that multiple.)
        GradCheck.Report report = GradCheck.defaults().check(
                w -> Ops.meanSquaredError(net.readout.forward(block(x, w[0], w[0])), target), net.w.value());
        System.out.println(report);
        System.out.println("the frozen readout has a gradient: " + net.readout.weight().hasGrad());
    }
}
