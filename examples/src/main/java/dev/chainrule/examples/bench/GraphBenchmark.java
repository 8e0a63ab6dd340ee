package dev.chainrule.examples.bench;

import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Tensor;
import dev.chainrule.examples.StepByStep;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The cost of the graph itself: recording nodes and running backward on graphs whose tensors are tiny, so
 * that per-node overhead, not arithmetic, is what is measured. Run with
 * {@code mvn -B -q -pl examples -am package -DskipTests exec:exec -Dexec.executable=java
 * -Dexec.args="-cp %classpath dev.chainrule.examples.bench.GraphBenchmark"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GraphBenchmark {
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

    /** Records a chain of 100 000 scalar Tanh nodes, then backpropagates through all of them. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Variable chainOf100000ForwardBackward() {
        chainInput.clearGrad();
        Variable h = chainInput;
        for (int i = 0; i < CHAIN_LENGTH; i++) {
            h = Ops.tanh(h);
        }
        h.backward();
        return chainInput.grad();
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(GraphBenchmark.class.getSimpleName()).build()).run();
    }
}
