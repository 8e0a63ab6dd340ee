package dev.chainrule.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chainrule.core.MatMulBackend;
import dev.chainrule.core.Parallelism;
import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Activation;
import dev.chainrule.nn.Init;
import dev.chainrule.nn.Linear;
import dev.chainrule.nn.Sequential;
import dev.chainrule.nn.data.Dataset;
import dev.chainrule.nn.optim.Adam;
import dev.chainrule.nn.optim.LearningRate;
import org.apache.commons.math3.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * The same seed gives the same History bit for bit on one thread and on two, on either matrix-product backend.
 * The network is wide enough (batches of 256 through 64 → 512 → 10) that its products are cut among threads.
 */
class ThreadCountDeterminismTest {
    private static History train(int threads, MatMulBackend backend) {
        int before = Parallelism.threads();
        MatMulBackend backendBefore = MatMulBackend.current();
        try {
            Parallelism.setThreads(threads);
            MatMulBackend.use(backend);
            RandomGenerator random = Randoms.seeded(5);
            int examples = 1024, features = 64;
            double[] x = new double[examples * features];
            int[] labels = new int[examples];
            for (int i = 0; i < examples; i++) {
                labels[i] = i % 10;
                for (int f = 0; f < features; f++) {
                    x[i * features + f] = random.nextGaussian() + (f % 10 == labels[i] ? 1 : 0);
                }
            }
            Dataset data = new Dataset(Tensor.of(Shape.of(examples, features), x), labels, 10);
            Sequential net = new Sequential(new Linear(features, 512, Init.he(), random), Activation.relu(),
                    new Linear(512, 10, Init.he(), random));
            return Trainer.of(net, Adam.adam(net.parameters(), LearningRate.constant(0.01)),
                    Loss.softmaxCrossEntropy()).epochs(2).batchSize(256).seed(3).fit(data);
        } finally {
            Parallelism.setThreads(before);
            MatMulBackend.use(backendBefore);
        }
    }

    @Test
    void oneAndTwoThreadsGiveTheSameHistoryOnTheJavaKernels() {
        assertEquals(train(1, MatMulBackend.JAVA), train(2, MatMulBackend.JAVA));
    }

    @Test
    void oneAndTwoThreadsGiveTheSameHistoryOnTheNativeBlas() {
        assumeTrue(MatMulBackend.nativeAvailable(), "no native BLAS: " + MatMulBackend.describe());
        assertEquals(train(1, MatMulBackend.NATIVE), train(2, MatMulBackend.NATIVE));
    }
}
