package dev.chainrule.examples.bench;

import dev.chainrule.core.Parallelism;
import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The sigmoid of one tensor, on one thread, in a fresh JVM whose first sigmoids were of the same size as the
 * timed ones or of two elements (a 2-2-2 network's): the JIT sizes a loop's unrolling, and so its
 * vectorization, by the trip counts it saw first, and the kernel is written so that tiny tensors do not slow
 * large ones. Divide the time by the elements for the cost of one. Run with
 * {@code java -cp examples/target/chainrule.jar org.openjdk.jmh.Main SigmoidBenchmark}.
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SigmoidBenchmark extends JmhSettings {
    @Param({"16", "32768"})
    public int elements;

    /** What the JVM computed first: sigmoids of the timed size, or a million of two elements. */
    @Param({"same size", "two elements"})
    public String first;

    private Tensor x;

    @Setup
    public void setUp(Blackhole sink) {
        Parallelism.setThreads(1);
        x = Tensor.normal(Randoms.seeded(0), 0, 4, Shape.of(elements));
        if (first.equals("two elements")) {
            Tensor pair = Tensor.vector(-1.5, 2.5);
            for (int i = 0; i < 1_000_000; i++) {
                sink.consume(pair.sigmoid());
            }
        }
    }

    @Benchmark
    public Tensor sigmoid() {
        return x.sigmoid();
    }
}
