package dev.chainrule.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The workers that run shares: each share once, failures rethrown, and no deadlock when callers overlap. */
@Timeout(60) // a deadlock fails the test instead of hanging the build
class ParallelismTest {
    private int before;

    @BeforeEach
    void threeThreads() {
        before = Parallelism.threads();
        Parallelism.setThreads(3);
    }

    @AfterEach
    void restore() {
        Parallelism.setThreads(before);
    }

    /** Share 0 waits until the others have started, so that the caller takes none of them: each on a worker. */
    @Test
    void everyShareRunsOnceShareZeroOnTheCaller() {
        for (int repeat = 0; repeat < 1000; repeat++) {
            AtomicIntegerArray runs = new AtomicIntegerArray(3);
            Thread[] where = new Thread[3];
            CountDownLatch othersStarted = new CountDownLatch(2);
            Parallelism.run(3, s -> {
                runs.incrementAndGet(s);
                where[s] = Thread.currentThread();
                if (s == 0) {
                    awaitUninterruptibly(othersStarted);
                } else {
                    othersStarted.countDown();
                }
            });
            assertArrayEquals(new int[] {1, 1, 1}, new int[] {runs.get(0), runs.get(1), runs.get(2)});
            assertSame(Thread.currentThread(), where[0]);
            assertNotEquals(where[1], where[2]);
            assertNotEquals(Thread.currentThread(), where[1]);
            assertNotEquals(Thread.currentThread(), where[2]);
        }
    }

    /**
     * A share that its worker has not started when the caller has finished its own runs on the caller, once; the
     * worker, when it comes, finds nothing to run. A worker without a thread yet is as late as one can be.
     */
    @Test
    void aShareTheWorkerHasNotStartedRunsOnTheCallerOnce() throws InterruptedException {
        Parallelism.Worker worker = new Parallelism.Worker();
        AtomicIntegerArray runs = new AtomicIntegerArray(2);
        Thread[] where = new Thread[2];
        worker.hand(s -> {
            runs.incrementAndGet(s);
            where[s] = Thread.currentThread();
        }, 1);
        assertNull(worker.runUnlessTakenThenAwait());
        assertSame(Thread.currentThread(), where[1]);

        Thread late = new Thread(worker::loop);
        worker.thread = late;
        late.start();
        Thread.sleep(20);
        worker.retired = true;
        LockSupport.unpark(late);
        late.join(10_000);
        assertFalse(late.isAlive());
        assertEquals(1, runs.get(1));

        worker.hand(s -> {
            throw new IllegalStateException("share " + s);
        }, 1);
        assertEquals("share 1", worker.runUnlessTakenThenAwait().getMessage());
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS), "the other shares did not start in 10 s");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Three threads: parts of at least perShare elements, contiguous, each element once, the first on the caller. */
    @Test
    void shareCutsARangeIntoContiguousPartsOfAtLeastPerShare() {
        int[][] cases = {{0, 4, 1}, {3, 4, 1}, {7, 4, 1}, {8, 4, 2}, {11, 4, 2}, {12, 4, 3}, {1000, 4, 3}};
        for (int[] c : cases) {
            int length = c[0], perShare = c[1], parts = c[2];
            AtomicIntegerArray covered = new AtomicIntegerArray(length);
            int[][] ranges = new int[4][];
            Thread[] where = new Thread[4];
            AtomicInteger count = new AtomicInteger();
            Parallelism.share(length, perShare, (from, to) -> {
                int part = count.getAndIncrement();
                ranges[part] = new int[] {from, to};
                where[part] = Thread.currentThread();
                for (int i = from; i < to; i++) {
                    covered.incrementAndGet(i);
                }
            });
            String name = "length " + length + ", perShare " + perShare;
            assertEquals(parts, count.get(), name);
            for (int i = 0; i < length; i++) {
                assertEquals(1, covered.get(i), name + ", element " + i);
            }
            for (int p = 0; p < parts; p++) {
                assertTrue(ranges[p][1] - ranges[p][0] >= (parts > 1 ? perShare : 0), name + ": part " + p);
                if (ranges[p][0] == 0) {
                    assertSame(Thread.currentThread(), where[p], name + ": the first part runs on the caller");
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Parallelism.share(-1, 4, (from, to) -> { }));
        assertThrows(IllegalArgumentException.class, () -> Parallelism.share(10, 0, (from, to) -> { }));
    }

    @Test
    void aShareThatThrowsFailsTheCallerAndTheWorkersGoOn() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallelism.run(3, s -> {
            if (s == 2) {
                throw new IllegalStateException("share 2 failed");
            }
        }));
        assertEquals("share 2 failed", e.getMessage());
        AtomicIntegerArray runs = new AtomicIntegerArray(3);
        Parallelism.run(3, runs::incrementAndGet);
        assertEquals(3, runs.get(0) + runs.get(1) + runs.get(2));
    }

    @Test
    void whenTheCallersOwnShareThrowsTheOthersStillFinishFirst() {
        AtomicIntegerArray finished = new AtomicIntegerArray(3);
        assertThrows(ArithmeticException.class, () -> Parallelism.run(3, s -> {
            if (s == 0) {
                throw new ArithmeticException("share 0 failed");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished.set(s, 1);
        }));
        assertEquals(1, finished.get(1));
        assertEquals(1, finished.get(2));
    }

    @Test
    void handOffsCountTheRunsTheWorkersTookAndNothingElse() {
        long before = Parallelism.handOffs();
        Parallelism.share(1000, 400, (from, to) -> { });
        assertEquals(before + 1, Parallelism.handOffs(), "1000 elements in two shares of 400 or more");
        Parallelism.share(1000, 600, (from, to) -> { });
        assertEquals(before + 1, Parallelism.handOffs(), "1000 elements in one share: the caller's alone");
        Parallelism.run(3, s -> Parallelism.run(2, t -> { }));
        assertEquals(before + 2, Parallelism.handOffs(), "the inner runs, on busy workers, stay inline");
    }

    @Test
    void sharesThatHandOverWorkThemselvesRunItInline() {
        AtomicIntegerArray runs = new AtomicIntegerArray(9);
        Parallelism.run(3, s -> Parallelism.run(3, t -> runs.incrementAndGet(3 * s + t)));
        for (int i = 0; i < 9; i++) {
            assertEquals(1, runs.get(i), "inner share " + i);
        }
    }

    @Test
    void callersOnSeveralThreadsAllGetTheirResults() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            Tensor x = Tensor.uniform(Randoms.seeded(1), -3, 3, Shape.of(4, Kernels.ELEMENTS_PER_SHARE));
            Tensor expected = x.map(v -> Tensor.scalar(v).sigmoid().item()); // element by element, on this thread
            Future<?>[] done = new Future<?>[4];
            for (int c = 0; c < done.length; c++) {
                done[c] = callers.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        assertEquals(expected, x.sigmoid());
                    }
                });
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void twoThreadsSettingTheCountAtOnceBothReturn() throws Exception {
        ExecutorService setters = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 200; round++) {
                CyclicBarrier start = new CyclicBarrier(2);
                Future<?> a = setters.submit(() -> awaitThen(start, () -> Parallelism.setThreads(3)));
                Future<?> b = setters.submit(() -> awaitThen(start, () -> Parallelism.setThreads(4)));
                a.get(10, TimeUnit.SECONDS);
                b.get(10, TimeUnit.SECONDS);
            }
        } finally {
            setters.shutdownNow();
        }
        AtomicIntegerArray runs = new AtomicIntegerArray(3);
        Parallelism.run(3, runs::incrementAndGet);
        assertEquals(3, runs.get(0) + runs.get(1) + runs.get(2));
    }

    private static void awaitThen(CyclicBarrier barrier, Runnable action) {
        try {
            barrier.await();
        } catch (InterruptedException | BrokenBarrierException e) {
            throw new IllegalStateException(e);
        }
        action.run();
    }

    @Test
    void aShareMaySetTheThreadCount() {
        AtomicIntegerArray runs = new AtomicIntegerArray(3);
        Parallelism.run(3, s -> {
            if (s == 1) {
                Parallelism.setThreads(2);
            }
            runs.incrementAndGet(s);
        });
        assertEquals(2, Parallelism.threads());
        assertEquals(3, runs.get(0) + runs.get(1) + runs.get(2));
        Parallelism.run(2, runs::incrementAndGet);
        assertEquals(5, runs.get(0) + runs.get(1) + runs.get(2));
    }

    @Test
    void aWorkerLeftInterruptedParksAgainInsteadOfSpinning() throws Exception {
        CountDownLatch othersStarted = new CountDownLatch(2);
        Parallelism.run(3, s -> {
            if (s == 0) {
                awaitUninterruptibly(othersStarted); // the workers, not the caller, run and keep the interrupts
            } else {
                othersStarted.countDown();
                Thread.currentThread().interrupt();
            }
        });
        Thread.sleep(50); // past the spin: the workers must be parked, not busy
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("chainrule-worker-") && t.getState() == Thread.State.RUNNABLE) {
                long before = threads.getThreadCpuTime(t.getId());
                Thread.sleep(50);
                long used = threads.getThreadCpuTime(t.getId()) - before;
                assertTrue(used < 20_000_000, t.getName() + " used " + used / 1_000_000 + " ms of CPU in 50 ms idle");
            }
        }
    }

    @Test
    void failuresOfSeveralSharesAreAllReported() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallelism.run(3, s -> {
            throw new IllegalStateException("share " + s);
        }));
        assertEquals("share 0", e.getMessage());
        assertEquals(2, e.getSuppressed().length);
    }
}
