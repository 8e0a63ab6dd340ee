package dev.chainrule.examples;

import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Randoms;
import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Activation;
import dev.chainrule.nn.Init;
import dev.chainrule.nn.Linear;
import dev.chainrule.nn.Sequential;
import dev.chainrule.nn.optim.Adam;
import dev.chainrule.nn.optim.LearningRate;
import dev.chainrule.nn.optim.Optimizer;
import org.apache.commons.math3.random.RandomGenerator;

/** Trains a 2-4-1 network on XOR with Adam, then prints its loss and its four predictions. */
public final class TrainXor {
    public static void main(String[] args) {
        Variable x = Variable.constant(Tensor.matrix(new double[] {0, 0}, new double[] {0, 1}, new double[] {1, 0},
                new double[] {1, 1}));
        Variable y = Variable.constant(Tensor.matrix(new double[] {0}, new double[] {1}, new double[] {1}, new double[] {0}));
        RandomGenerator random = Randoms.seeded(42);
        Sequential net = new Sequential(new Linear(2, 4, Init.epsilonUniform(), random), Activation.tanh(),
                new Linear(4, 1, Init.epsilonUniform(), random));
        Optimizer adam = Adam.adam(net.parameters(), LearningRate.constant(0.05));
        Variable loss = null;
        for (int step = 0; step < 500; step++) {
            adam.clearGrads();
            loss = Ops.sigmoidCrossEntropy(net.forward(x), y);   // −1/m ΣΣ [y log σ(z) + (1 − y) log(1 − σ(z))]
            loss.backward();
            adam.step();                                          // W ← W − η·m̂/(√v̂ + ε), in place
        }
        System.out.println("loss        = " + loss.item());
        System.out.println("predictions = " + Ops.sigmoid(net.forward(x)).value());
    }
}
