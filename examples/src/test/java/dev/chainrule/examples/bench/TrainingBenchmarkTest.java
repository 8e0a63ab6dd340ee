package dev.chainrule.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.core.Randoms;
import dev.chainrule.examples.bench.TrainingBenchmark.Case;
import dev.chainrule.examples.bench.TrainingBenchmark.Product;
import dev.chainrule.examples.bench.TrainingBenchmark.Step;
import dev.chainrule.examples.bench.TrainingBenchmark.Training;
import dev.chainrule.examples.bench.TrainingBenchmark.Vm;
import dev.chainrule.examples.bench.TrainingBenchmark.Warmup;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class TrainingBenchmarkTest {
    @Test
    void theTimedTrainingStepTrainsTheNetworkOnItsBatch() {
        for (String name : new String[] {"mazur-2-2-2 b1", "xor-2-4-2 b4", "mlp-784-256-128-10 b32"}) {
            Case training = TrainingBenchmark.named(name).orElseThrow();
            DoubleSupplier step = training.prepare(Randoms.seeded(0));
            assertInstanceOf(Step.class, step, "the benchmark times the real step");
            double first = step.getAsDouble();
            double last = first;
            for (int i = 0; i < 100; i++) {
                last = step.getAsDouble();
            }
            assertTrue(last < 0.8 * first, name + ": the loss went from " + first + " to " + last);
        }
    }

    @Test
    void stepCountsFollowPyTorchsScript() {
        assertEquals(5000, TrainingBenchmark.named("mazur-2-2-2 b1").orElseThrow().defaultSteps());
        assertEquals(5000, TrainingBenchmark.named("xor-2-4-2 b4").orElseThrow().defaultSteps());
        // int(2e9 / (6 · 1 · (784·256 + 256·128 + 128·10))) = int(1419.9)
        assertEquals(1419, TrainingBenchmark.named("mlp-784-256-128-10 b1").orElseThrow().defaultSteps());
        assertEquals(20, TrainingBenchmark.named("ng-400-25-10 b5000").orElseThrow().defaultSteps());
        assertEquals(119, new Product("A.B", 256).defaultSteps(), "int(4e9 / 2·256³)");
        assertEquals(10, new Product("A.Bt", 1024).defaultSteps());
        assertEquals(6 * 32 * (2 * 4 + 4 * 2), new Training("t", new int[] {2, 4, 2}, 32, 0).flops());
    }

    @Test
    void aResultPrintsAsPyTorchsScriptPrintsIt() {
        assertEquals(String.format("%-32s %12s us/step %14s samples/s", "xor-2-4-2 b4", "12.3", "325203"),
                new TrainingBenchmark.Result("xor-2-4-2 b4", "training", 1, 9, 5, true, 12.3, 325203.25, null).line());
        assertEquals(String.format("%-32s %12s us/op   %14s GFLOP/s", "matmul-A.B n256", "4567.9", "7.3"),
                new TrainingBenchmark.Result("matmul-A.B n256", "matmul", 1, 2, 5, true, 4567.89, null, 7.34).line());
    }

    /** A result whose warm-up ended at its limit is followed by a comment line that says so, and why it matters. */
    @Test
    void aResultWhoseWarmupDidNotSettleSaysSo() {
        String note = new TrainingBenchmark.Result("mlp-784-1024-1024-10 b256", "training", 20, 1, 247, false,
                58357.9, 4386.7, null).unsettledNote();
        assertTrue(note.startsWith("# mlp-784-1024-1024-10 b256: the warm-up reached its 10 s limit before the JIT"
                + " and the heap settled"), note);
        assertTrue(note.contains("-XX:+AlwaysPreTouch"), note);
    }

    /** The warm-up's end, on a clock of whole seconds: 1 s at least, then 0.5 s without compiling, 10 s at most. */
    @Test
    void theWarmupEndsWhenTheJitHasBeenQuietForHalfASecondAfterTheFirstSecond() {
        long second = 1_000_000_000L;
        Warmup quietJit = new Warmup(0, vm(100, 1));
        assertFalse(quietJit.settled(), "not asked yet");
        assertFalse(quietJit.done(second - 1, vm(100, 2)), "before the first second");
        assertTrue(quietJit.done(second, vm(100, 2)), "no compiling since the start");
        assertTrue(quietJit.settled(), "ended settled");

        Warmup busyJit = new Warmup(0, vm(100, 1));
        assertFalse(busyJit.done(second, vm(130, 2)), "compiled just now");
        assertFalse(busyJit.done(second + second / 2 - 1, vm(130, 2)), "quiet for less than half a second");
        assertTrue(busyJit.done(second + second / 2, vm(130, 2)), "quiet for half a second");

        Warmup restlessJit = new Warmup(0, vm(0, 1));
        for (long t = 0; t < 10 * second; t += second / 4) {
            assertFalse(restlessJit.done(t, vm(t / 1_000_000, 2)), "compiling at " + t + " ns");
        }
        assertTrue(restlessJit.done(10 * second, vm(10_000, 2)), "the limit");
        assertFalse(restlessJit.settled(), "ended at the limit, the JIT still compiling");
    }

    /** And not before a collection has run since the heap last grew past its largest size. */
    @Test
    void theWarmupEndsOnlyOnceACollectionHasRunSinceTheHeapLastGrew() {
        long second = 1_000_000_000L;
        Warmup noCollection = new Warmup(0, vm(100, 4, 256));
        assertFalse(noCollection.done(2 * second, vm(100, 4, 256)), "no collection since the start");
        assertTrue(noCollection.done(2 * second, vm(100, 5, 256)), "one collection, and the heap as it was");

        Warmup growing = new Warmup(0, vm(100, 4, 256));
        assertFalse(growing.done(2 * second, vm(100, 5, 512)), "grown at the collection just seen");
        assertFalse(growing.done(3 * second, vm(100, 5, 512)), "no collection since it grew");
        assertTrue(growing.done(3 * second, vm(100, 6, 384)), "a collection since, and shrunk: no new pages");
        assertFalse(growing.done(4 * second, vm(100, 7, 1024)), "grown past its largest size");
        assertFalse(growing.done(5 * second, vm(100, 7, 1024)), "no collection since it grew");
        assertTrue(growing.done(5 * second, vm(100, 8, 1024)), "a collection since");

        Warmup neverCollected = new Warmup(0, vm(100, 0, 256));
        assertFalse(neverCollected.done(10 * second - 1, vm(100, 0, 256)), "just before the limit");
        assertTrue(neverCollected.done(10 * second, vm(100, 0, 256)), "the limit");
        assertFalse(neverCollected.settled(), "ended at the limit, the heap not yet touched");
    }

    /** The JIT and a heap that has not grown since the start, with a given number of collections. */
    private static Vm vm(long jitMilliseconds, long collections) {
        return vm(jitMilliseconds, collections, 256);
    }

    private static Vm vm(long jitMilliseconds, long collections, long heapMegabytes) {
        return new Vm(jitMilliseconds, heapMegabytes << 20, collections);
    }
}
