package dev.chainrule.examples.bench;

import dev.chainrule.core.Parallelism;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.random.MersenneTwister;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Square matrix products (n×n)·(n×n) in the three forms, the kernels behind every MatMul and Affine node. Each
 * product is 2n³ floating-point operations; {@link #main} prints GFLOP/s next to JMH's time per product. Run with
 * {@code java -cp examples/target/chainrule.jar dev.chainrule.examples.bench.MatMulBenchmark}; JMH options pass
 * through, e.g. {@code -p n=1024 -p form=matmulTransB -p threads=2}.
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MatMulBenchmark extends JmhSettings {
    @Param({"256", "512", "1024"})
    public int n;

    @Param({"matmul", "matmulTransA", "matmulTransB"})
    public String form;

    @Param({"1", "2"})
    public int threads;

    private Tensor a;
    private Tensor b;

    @Setup
    public void setUp() {
        Parallelism.setThreads(threads);
        MersenneTwister random = new MersenneTwister(42);
        a = Tensor.uniform(random, -1, 1, Shape.of(n, n));
        b = Tensor.uniform(random, -1, 1, Shape.of(n, n));
    }

    @Benchmark
    public Tensor product() {
        switch (form) {
            case "matmulTransA": return a.matmulTransA(b);
            case "matmulTransB": return a.matmulTransB(b);
            default: return a.matmul(b);
        }
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        OptionsBuilder options = new OptionsBuilder();
        options.parent(new CommandLineOptions(args)).include(MatMulBenchmark.class.getSimpleName());
        for (RunResult result : new Runner(options.build()).run()) {
            double millis = result.getPrimaryResult().getScore();
            BenchmarkParams params = result.getParams();
            int size = Integer.parseInt(params.getParam("n"));
            System.out.printf("%-14s n=%-5d threads=%s %8.2f GFLOP/s%n", params.getParam("form"), size,
                    params.getParam("threads"), 2.0 * size * size * size / millis / 1e6);
        }
    }
}
