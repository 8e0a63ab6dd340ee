package dev.chainrule.examples.bench;

import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Randoms;
import dev.chainrule.core.Tensor;
import dev.chainrule.examples.StepByStep;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.openjdk.jmh.Main;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of the graph itself: recording nodes and running backward on graphs whose tensors are tiny, so
 * that per-node overhead, not arithmetic, is what is measured. Run with
 * {@code java -cp examples/target/chainrule.jar dev.chainrule.examples.bench.GraphBenchmark}, followed by any
 * JMH options, such as {@code -prof gc} for the bytes allocated per operation.
 */
@State(Scope.Thread)
public class GraphBenchmark extends JmhSettings {
    private static final int CHAIN_LENGTH = 100_000;

    private StepByStep network;
    private Variable chainInput;

    @Setup
    public void setUp() {
        network = new StepByStep();
        chainInput = Variable.parameter(Tensor.scalar(0.5));
    }

    /** One forward and backward pass of the 2-2-2 step-by-step network, built of scalars (23 recorded nodes). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Variable stepByStepForwardBackward() {
        network.clearGrads();
        network.error().backward();
        return network.w1.grad();
    }

    /** Records a chain of 100 000 scalar Tanh nodes: the cost of recording, per node, is this time / 100 000. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Variable chainOf100000Forward() {
        return chain();
    }

    /** Records a chain of 100 000 scalar Tanh nodes, then backpropagates through all of them. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Variable chainOf100000ForwardBackward() {
        chainInput.clearGrad();
        chain().backward();
        return chainInput.grad();
    }

    /** One training step of a case of {@code chainrule bench}; with {@code -prof gc}, the bytes it allocates. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public double trainingStep(TrainingCase training) {
        return training.step.getAsDouble();
    }

    /** The training cases to time, named as {@code chainrule bench} names them. */
    @State(Scope.Thread)
    public static class TrainingCase {
        @Param({"mazur-2-2-2 b1", "xor-2-4-2 b4", "mlp-784-256-128-10 b1", "mlp-784-256-128-10 b32"})
        public String name;
        private DoubleSupplier step;

        @Setup
        public void setUp() {
            step = TrainingBenchmark.named(name).orElseThrow().prepare(Randoms.seeded(0));
        }
    }

    private Variable chain() {
        Variable h = chainInput;
        for (int i = 0; i < CHAIN_LENGTH; i++) {
            h = Ops.tanh(h);
        }
        return h;
    }

    /**
     * Runs every benchmark of this class.
     *
     * @param args JMH's own options, such as {@code -prof gc}
     */
    public static void main(String[] args) throws IOException {
        String[] withThisClass = Arrays.copyOf(args, args.length + 1);
        withThisClass[args.length] = GraphBenchmark.class.getSimpleName();
        Main.main(withThisClass);
    }
}
