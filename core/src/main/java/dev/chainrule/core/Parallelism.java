package dev.chainrule.core;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.IntConsumer;

/**
 * How many threads the matrix products may use: the value of the system property {@value #THREADS_PROPERTY} when
 * it is set, else the number of available processors, until {@link #setThreads} changes it.
 *
 * <p>Results never depend on this setting: a product is split by rows of its result only, and each element is
 * summed in the same order whichever thread computes it. Products too small to repay a hand-off stay on the
 * calling thread. The calling thread computes one share itself; the others run on a pool of daemon threads
 * kept for this purpose, not on the common pool, so that neither waits for the other's tasks.
 */
public final class Parallelism {
    /** The system property that sets the default thread count. */
    public static final String THREADS_PROPERTY = "chainrule.threads";

    /** The thread count and the pool that runs all shares but the caller's. */
    private record Workers(int threads, ForkJoinPool pool) {
        static Workers of(int threads) {
            checkArgument(threads >= 1, "Parallelism: %s threads: the count must be at least 1", threads);
            return new Workers(threads, new ForkJoinPool(Math.max(1, threads - 1)));
        }
    }

    private static volatile Workers workers =
            Workers.of(Integer.getInteger(THREADS_PROPERTY, Runtime.getRuntime().availableProcessors()));

    private Parallelism() {}

    /** @return the number of threads a large product uses, at least 1 */
    public static int threads() {
        return workers.threads();
    }

    /**
     * Sets the number of threads for the products that start after this call. The previous pool is not shut
     * down, so that a product still running on it finishes; its idle threads end by themselves.
     *
     * @param threads at least 1; 1 keeps every product on its calling thread
     * @throws IllegalArgumentException if threads is less than 1
     */
    public static void setThreads(int threads) {
        workers = Workers.of(threads);
    }

    /** Runs body(0), …, body(shares − 1): share 0 on the calling thread, the others on the pool, and waits. */
    static void run(int shares, IntConsumer body) {
        ForkJoinPool pool = workers.pool();
        List<ForkJoinTask<?>> others = new ArrayList<>(shares - 1);
        for (int s = 1; s < shares; s++) {
            int share = s;
            others.add(pool.submit(() -> body.accept(share)));
        }
        body.accept(0);
        for (ForkJoinTask<?> task : others) {
            task.join();
        }
    }
}
