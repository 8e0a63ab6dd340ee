package dev.chainrule.examples.bench;

import static com.google.common.base.Preconditions.checkArgument;

import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.MatMulBackend;
import dev.chainrule.core.Parallelism;
import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Activation;
import dev.chainrule.nn.Init;
import dev.chainrule.nn.Linear;
import dev.chainrule.nn.Module;
import dev.chainrule.nn.Sequential;
import dev.chainrule.nn.optim.LearningRate;
import dev.chainrule.nn.optim.Optimizer;
import dev.chainrule.nn.optim.Sgd;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.stat.descriptive.rank.Median;

/**
 * Whole training steps and matrix products, timed after a warm-up: the cases, the step counts and the printed
 * lines of {@code bench/pytorch_bench.py}, so that the two can be compared line by line. A training step is
 * forward through Linear layers with sigmoid hidden units, softmax cross-entropy, gradients cleared, backward,
 * and plain SGD with η = 0.1; all in float64, as PyTorch runs it with {@code dtype=torch.float64}.
 */
public final class TrainingBenchmark {
    private static final long SEED = 0;
    private static final double TRAINING_FLOPS_BUDGET = 2e9;
    private static final double PRODUCT_FLOPS_BUDGET = 4e9;

    private TrainingBenchmark() {}

    /** One thing to time: a training step of a network on one batch, or one matrix product. */
    public sealed interface Case permits Training, Product {
        /** @return the name both benchmarks print, such as {@code mlp-784-256-128-10 b32} */
        String name();

        /** @return the steps to time when none are asked for: PyTorch's script's rule */
        int defaultSteps();

        /**
         * @param random the source of the inputs, the labels and the initial weights
         * @return the operation, ready to run; each call returns a number that depends on its result
         */
        DoubleSupplier prepare(RandomGenerator random);
    }

    /**
     * A multilayer perceptron with sigmoid hidden units, trained on one fixed random batch.
     *
     * @param widths the layer widths, inputs first, classes last
     * @param batch the rows in the batch
     * @param fixedSteps the steps to time, or 0 for PyTorch's rule of about 2·10⁹ / flops, at least 20
     */
    public record Training(String name, int[] widths, int batch, int fixedSteps) implements Case {
        /** @return 6 · batch · Σ in·out: a multiply and an add for each weight, forward and twice in backward */
        public double flops() {
            double weights = 0;
            for (int i = 1; i < widths.length; i++) {
                weights += (double) widths[i - 1] * widths[i];
            }
            return 6 * batch * weights;
        }

        @Override
        public int defaultSteps() {
            return fixedSteps > 0 ? fixedSteps : Math.max(20, (int) (TRAINING_FLOPS_BUDGET / flops()));
        }

        @Override
        public Step prepare(RandomGenerator random) {
            return new Step(this, random);
        }
    }

    /**
     * One n × n matrix product, A·B, Aᵀ·B or A·Bᵀ, of random normal matrices.
     *
     * @param form {@code A.B}, {@code At.B} or {@code A.Bt}
     * @param n the matrices' size
     */
    public record Product(String form, int n) implements Case {
        private static final List<String> FORMS = List.of("A.B", "At.B", "A.Bt");

        public Product {
            checkArgument(FORMS.contains(form), "Product: form must be one of %s, got %s", FORMS, form);
        }

        @Override
        public String name() {
            return "matmul-" + form + " n" + n;
        }

        /** @return 2n³: a multiply and an add for each of n² results' n terms */
        public double flops() {
            return 2.0 * n * n * n;
        }

        @Override
        public int defaultSteps() {
            return Math.max(10, (int) (PRODUCT_FLOPS_BUDGET / flops()));
        }

        @Override
        public DoubleSupplier prepare(RandomGenerator random) {
            Tensor a = Tensor.normal(random, 0, 1, Shape.of(n, n));
            Tensor b = Tensor.normal(random, 0, 1, Shape.of(n, n));
            return switch (form) {
                case "A.B" -> () -> a.matmul(b).getFlat(0);
                case "At.B" -> () -> a.matmulTransA(b).getFlat(0);
                default -> () -> a.matmulTransB(b).getFlat(0);
            };
        }
    }

    /**
     * The training step that is timed, on its own so that a test can check that it trains.
     */
    public static final class Step implements DoubleSupplier {
        private final Module network;
        private final Optimizer sgd;
        private final Variable features;
        private final int[] labels;

        Step(Training training, RandomGenerator random) {
            int[] widths = training.widths();
            List<Module> layers = new ArrayList<>();
            for (int i = 1; i < widths.length; i++) {
                if (i > 1) {
                    layers.add(Activation.sigmoid());
                }
                layers.add(new Linear(widths[i - 1], widths[i], Init.epsilonUniform(), random));
            }
            network = new Sequential(layers.toArray(Module[]::new));
            sgd = Sgd.plain(network.parameters(), LearningRate.constant(0.1));
            features = Variable.constant(Tensor.normal(random, 0, 1, Shape.of(training.batch(), widths[0])));
            labels = new int[training.batch()];
            Arrays.setAll(labels, row -> random.nextInt(widths[widths.length - 1]));
        }

        /**
         * Forward, loss, gradients cleared, backward, SGD update: one step, as PyTorch's script takes it.
         *
         * @return the loss before the update
         */
        @Override
        public double getAsDouble() {
            Variable loss = Ops.softmaxCrossEntropy(network.forward(features), labels);
            sgd.clearGrads();
            loss.backward();
            sgd.step();
            return loss.item();
        }
    }

    /**
     * A timed case.
     *
     * @param name the case's name
     * @param kind {@code training} or {@code matmul}
     * @param steps the steps in each timed round, after the warm-up
     * @param rounds the rounds timed
     * @param warmup the steps run before the clock starts
     * @param warmupSettled whether the warm-up ended with the JIT and the heap settled, rather than at its limit
     *     ({@link Warmup}): when false, the timed steps may have paid for compiling or page faults
     * @param microseconds the time of one step (or one product) in the median round
     * @param samplesPerSecond rows trained per second, for training; null for a matrix product
     * @param gflops 10⁹ floating-point operations per second, for a matrix product; null for training
     */
    public record Result(String name, String kind, int steps, int rounds, int warmup, boolean warmupSettled,
            double microseconds, Double samplesPerSecond, Double gflops) {
        /** @return the line PyTorch's script prints for the same case */
        public String line() {
            return samplesPerSecond != null
                    ? String.format(Locale.ROOT, "%-32s %12.1f us/step %14.0f samples/s", name, microseconds,
                            samplesPerSecond)
                    : String.format(Locale.ROOT, "%-32s %12.1f us/op   %14.1f GFLOP/s", name, microseconds, gflops);
        }

        /** @return the line that follows {@link #line()} when the warm-up did not settle, a comment like the header */
        public String unsettledNote() {
            return String.format(Locale.ROOT, "# %s: the warm-up reached its %.0f s limit before the JIT and the heap"
                    + " settled, so the time may include compiling or page faults (java -XX:+AlwaysPreTouch avoids"
                    + " the faults)", name, WARMUP_LIMIT_SECONDS);
        }
    }

    /**
     * A run: where it ran, and its results.
     *
     * @param tool {@code chainrule}
     * @param jvm the Java virtual machine and its version
     * @param collector the garbage collector's parts, as the JVM names them ({@code PS MarkSweep, PS Scavenge} for
     *     the Parallel collector, {@code G1 Young Generation, G1 Old Generation} for G1, the default)
     * @param threads the matrix products' thread count ({@link Parallelism#threads()})
     * @param threadSetting how it was set
     * @param matmul which code computes the matrix products, and why ({@link MatMulBackend#describe()})
     * @param date when the run started, ISO 8601
     * @param cases the results, in the order run
     */
    public record Report(String tool, String jvm, String collector, int threads, String threadSetting,
            String matmul, String date, List<Result> cases) {
        /** @return the header line, which starts with {@code #} so that a reader of the lines can skip it */
        public String header() {
            return String.format(Locale.ROOT, "# %s | %s | gc %s | threads %s (%s) | matmul %s | %s", tool, jvm,
                    collector, threads, threadSetting, matmul, date);
        }

        /**
         * @param results the cases' results
         * @return this report with those results
         */
        public Report withCases(List<Result> results) {
            return new Report(tool, jvm, collector, threads, threadSetting, matmul, date, List.copyOf(results));
        }
    }

    /**
     * Runs cases, and tells the header line and then each result's line as it comes.
     *
     * @param cases what to run
     * @param steps the steps for every case, or null for each case's default
     * @param threadSetting how the thread count ({@link Parallelism#threads()}) was set, for the header
     * @param lines told the header, then one line per case
     * @return the report
     */
    public static Report run(List<Case> cases, Integer steps, String threadSetting, Consumer<String> lines) {
        Report started = new Report("chainrule", System.getProperty("java.vm.name") + " " + Runtime.version(),
                collector(), Parallelism.threads(), threadSetting, MatMulBackend.describe(),
                OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString(), List.of());
        lines.accept(started.header());
        List<Result> results = new ArrayList<>();
        for (Case benchCase : cases) {
            Result result = run(benchCase, steps == null ? benchCase.defaultSteps() : steps);
            lines.accept(result.line());
            if (!result.warmupSettled()) {
                lines.accept(result.unsettledNote());
            }
            results.add(result);
        }
        return started.withCases(results);
    }

    /** @return the names of this JVM's garbage collector's parts, joined by commas */
    public static String collector() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining(", "));
    }

    /** @return every case, in the order PyTorch's script runs them */
    public static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Training("mazur-2-2-2 b1", new int[] {2, 2, 2}, 1, 5000));
        cases.add(new Training("xor-2-4-2 b4", new int[] {2, 4, 2}, 4, 5000));
        cases.add(new Training("ng-400-25-10 b5000", new int[] {400, 25, 10}, 5000, 0));
        for (int batch : new int[] {1, 32, 128, 1024}) {
            cases.add(new Training("mlp-784-256-128-10 b" + batch, new int[] {784, 256, 128, 10}, batch, 0));
        }
        cases.add(new Training("mlp-784-1024-1024-10 b256", new int[] {784, 1024, 1024, 10}, 256, 0));
        for (int n : new int[] {256, 512, 1024}) {
            for (String form : Product.FORMS) {
                cases.add(new Product(form, n));
            }
        }
        return Collections.unmodifiableList(cases);
    }

    /** @return every case's name, in order */
    public static List<String> names() {
        return cases().stream().map(Case::name).toList();
    }

    /**
     * @param name a case's name, exactly as printed
     * @return the case, if there is one of that name
     */
    public static Optional<Case> named(String name) {
        return cases().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The least time a case runs before the clock starts; bench/pytorch_bench.py waits as long. */
    public static final double WARMUP_SECONDS = 1.0;
    /** The warm-up goes on until the JIT has compiled nothing for this long. */
    public static final double JIT_QUIET_SECONDS = 0.5;
    /** The longest warm-up, should the JIT or the heap never settle. */
    public static final double WARMUP_LIMIT_SECONDS = 10.0;
    /** The least time a case runs on the clock, in rounds of its steps; bench/pytorch_bench.py times as long. */
    public static final double TIMED_SECONDS = 1.0;

    /**
     * Runs a case max(5, steps / 10) times, and on until {@link #WARMUP_SECONDS} have passed, the JIT has compiled
     * nothing for {@link #JIT_QUIET_SECONDS} and the heap has settled (at most {@link #WARMUP_LIMIT_SECONDS} in
     * all; see {@link Warmup}), to warm up: the JIT compiles in the background, and a case run after another
     * recompiles what the first one's profile shaped (XOR after the 2-2-2 network ran at 3.4 µs a step for up to
     * 0.6 s, then at 1.1; in one run in four it was still at 1.7 when a one-second warm-up ended). Then times
     * rounds of {@code steps} steps until {@link #TIMED_SECONDS} have passed, and reports the median round: 5000
     * steps of a 2-2-2 network take 5 ms, which one collection or recompilation could double.
     *
     * @param benchCase what to time
     * @param steps the steps per timed round, positive; {@link Case#defaultSteps()} for PyTorch's rule
     * @return the timing
     */
    public static Result run(Case benchCase, int steps) {
        checkArgument(steps > 0, "TrainingBenchmark: steps must be positive, got %s", steps);
        DoubleSupplier operation = benchCase.prepare(Randoms.seeded(SEED));
        int warmup = 0;
        double sink = 0;
        Warmup clock = new Warmup(System.nanoTime(), Vm.now());
        while (warmup < Math.max(5, steps / 10) || !clock.done(System.nanoTime(), Vm.now())) {
            sink += operation.getAsDouble();
            warmup++;
        }
        List<Double> rounds = new ArrayList<>(); // seconds per step in each round
        long timedEnd = System.nanoTime() + (long) (TIMED_SECONDS * 1e9);
        do {
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                sink += operation.getAsDouble();
            }
            rounds.add((System.nanoTime() - start) / 1e9 / steps);
        } while (System.nanoTime() < timedEnd);
        if (Double.isNaN(sink)) {
            // Keeps the JIT from dropping the work; a NaN loss would also mean the step is broken.
            throw new IllegalStateException(benchCase.name() + ": the results were NaN");
        }
        double seconds = new Median().evaluate(rounds.stream().mapToDouble(Double::doubleValue).toArray());
        if (benchCase instanceof Training training) {
            return new Result(training.name(), "training", steps, rounds.size(), warmup, clock.settled(),
                    seconds * 1e6, training.batch() / seconds, null);
        }
        Product product = (Product) benchCase;
        return new Result(product.name(), "matmul", steps, rounds.size(), warmup, clock.settled(), seconds * 1e6,
                null, product.flops() / seconds / 1e9);
    }

    /**
     * What the warm-up waits on, asked at every warm-up step (about 0.3 µs).
     *
     * @param jitMilliseconds the JIT's compiling time so far; 0 if the JVM does not tell (-Xint: it never changes)
     * @param heapBytes the heap's committed size
     * @param collections the collections so far, of every part of the collector that counts them
     */
    record Vm(long jitMilliseconds, long heapBytes, long collections) {
        private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
        private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
        private static final List<GarbageCollectorMXBean> COLLECTORS = ManagementFactory.getGarbageCollectorMXBeans();

        static Vm now() {
            long jit = JIT != null && JIT.isCompilationTimeMonitoringSupported() ? JIT.getTotalCompilationTime() : 0;
            long collections = 0;
            for (GarbageCollectorMXBean collector : COLLECTORS) {
                collections += Math.max(0, collector.getCollectionCount()); // -1: this part does not count
            }
            return new Vm(jit, MEMORY.getHeapMemoryUsage().getCommitted(), collections);
        }
    }

    /**
     * When a warm-up that started at a given time may end: once {@link #WARMUP_SECONDS} have passed, the JIT's
     * compiling time has not grown for {@link #JIT_QUIET_SECONDS}, and a collection has run since the heap last
     * grew past its largest size so far; or once {@link #WARMUP_LIMIT_SECONDS} have passed. The JIT counts a
     * compilation's time when it ends, so one compilation longer than the quiet time would go unseen.
     *
     * <p>The heap: a fresh JVM's collector grows it for seconds, and the first time a step's new arrays land in
     * memory the process has not touched yet, each page costs a fault. A 2-4-2 step took 3.8 µs there and 1.65 in
     * the part of the heap already touched (rounds of 20 000 steps, over 6 s, against the collector's log): in a
     * fresh process the clock could start on either. A collection runs when the young generation is full, so one
     * after the last growth means every page of it has been touched; the collector's later shrinking costs no
     * faults. A young generation that grows late may not fill again before the limit (784-1024-1024-10 at batch
     * 256 on the Parallel collector grew it to 1.5 GB at 7 s in some processes, and two threads then took 55–66 ms
     * a step against 34–36): the result says so ({@link #settled()}).
     */
    static final class Warmup {
        private final long start;
        private long jitMilliseconds;
        private long jitQuietSince;
        private long largestHeap;
        private long collectionsAtGrowth;
        private boolean settled;

        /**
         * @param start when the warm-up starts, in {@link System#nanoTime()} ns
         * @param vm the JIT and the heap then
         */
        Warmup(long start, Vm vm) {
            this.start = start;
            this.jitMilliseconds = vm.jitMilliseconds();
            this.jitQuietSince = start;
            this.largestHeap = vm.heapBytes();
            this.collectionsAtGrowth = vm.collections();
        }

        /**
         * @param now the time, in {@link System#nanoTime()} ns, not before the last call's
         * @param vm the JIT and the heap now
         * @return whether the warm-up may end
         */
        boolean done(long now, Vm vm) {
            if (vm.jitMilliseconds() != jitMilliseconds) {
                jitMilliseconds = vm.jitMilliseconds();
                jitQuietSince = now;
            }
            if (vm.heapBytes() > largestHeap) {
                largestHeap = vm.heapBytes();
                collectionsAtGrowth = vm.collections();
            }
            settled = now - jitQuietSince >= JIT_QUIET_SECONDS * 1e9 && vm.collections() > collectionsAtGrowth;
            return now - start >= WARMUP_LIMIT_SECONDS * 1e9 || now - start >= WARMUP_SECONDS * 1e9 && settled;
        }

        /** @return whether the JIT and the heap had settled at the last call of {@link #done}, false before one */
        boolean settled() {
            return settled;
        }
    }

    /** @return the names joined for a message: {@code 'mazur-2-2-2 b1', 'xor-2-4-2 b4', …} */
    public static String quotedNames() {
        return names().stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
    }
}
