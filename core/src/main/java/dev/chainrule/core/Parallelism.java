package dev.chainrule.core;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.base.Throwables;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * How many threads the matrix products may use: the value of the system property {@value #THREADS_PROPERTY} when
 * it is set, else the number of available processors, until {@link #setThreads} changes it.
 *
 * <p>Results never depend on this setting: a product is split by rows of its result only, and each element is
 * summed in the same order whichever thread computes it. Products too small to repay a hand-off stay on the
 * calling thread. The calling thread computes one share itself; the others run on daemon threads kept for this
 * purpose. A training step hands work over a dozen times, a few hundred microseconds apart, and waking a parked
 * thread took 50-70 us on the test machine (a 128×256 sigmoid: 195 us on one thread, 165 on two); so a worker
 * waits for its next share spinning, for {@value #SPIN_MICROSECONDS} us, before it parks. When the workers are
 * busy with another caller's work, or a share hands work over itself, the shares run on the calling thread.
 */
public final class Parallelism {
    /** The system property that sets the default thread count. */
    public static final String THREADS_PROPERTY = "chainrule.threads";
    /** How long an idle worker spins before it parks. */
    static final long SPIN_MICROSECONDS = 200;

    private static volatile Workers workers =
            Workers.of(Integer.getInteger(THREADS_PROPERTY, Runtime.getRuntime().availableProcessors()));

    private Parallelism() {}

    /** @return the number of threads a large product uses, at least 1 */
    public static int threads() {
        return workers.threads;
    }

    /**
     * Sets the number of threads for the products that start after this call. The previous workers finish what
     * they run, then end.
     *
     * @param threads at least 1; 1 keeps every product on its calling thread
     * @throws IllegalArgumentException if threads is less than 1
     */
    public static void setThreads(int threads) {
        Workers previous = workers;
        workers = Workers.of(threads);
        previous.retire();
    }

    /** Runs body(0), …, body(shares − 1): share 0 on the calling thread, the others on the workers, and waits. */
    static void run(int shares, IntConsumer body) {
        Workers current = workers;
        if (shares > current.threads || !current.busy.compareAndSet(false, true)) {
            for (int s = 0; s < shares; s++) {
                body.accept(s);
            }
            return;
        }
        Throwable failure = null;
        try {
            for (int s = 1; s < shares; s++) {
                current.workers[s - 1].hand(body, s);
            }
            try {
                body.accept(0);
            } catch (Throwable t) {
                failure = t;
            }
            for (int s = 1; s < shares; s++) { // every share ends before the workers take other work
                Throwable thrown = current.workers[s - 1].await();
                failure = failure == null ? thrown : failure;
            }
        } finally {
            current.busy.set(false);
        }
        if (failure != null) {
            Throwables.throwIfUnchecked(failure);
            throw new IllegalStateException(failure);
        }
    }

    /** The threads beyond the caller's, and whether a caller is using them. */
    private static final class Workers {
        final int threads;
        final Worker[] workers;
        final AtomicBoolean busy = new AtomicBoolean();

        private Workers(int threads) {
            this.threads = threads;
            workers = new Worker[threads - 1];
            for (int i = 0; i < workers.length; i++) {
                workers[i] = new Worker();
                Thread thread = new Thread(workers[i]::loop, "chainrule-worker-" + (i + 1));
                thread.setDaemon(true);
                workers[i].thread = thread;
                thread.start();
            }
        }

        static Workers of(int threads) {
            checkArgument(threads >= 1, "Parallelism: %s threads: the count must be at least 1", threads);
            return new Workers(threads);
        }

        /** Waits for the running caller, if any, and ends the threads; later callers run their shares alone. */
        void retire() {
            while (!busy.compareAndSet(false, true)) {
                Thread.onSpinWait();
            }
            for (Worker worker : workers) {
                worker.retired = true;
                LockSupport.unpark(worker.thread);
            }
        }
    }

    /** One worker: runs the share it is handed, spinning a while for the next before it parks. */
    private static final class Worker {
        Thread thread;
        volatile IntConsumer body;
        volatile int share;
        volatile boolean done = true;
        volatile boolean retired;
        volatile Throwable failure;

        /** Called by the caller: hands over one share. */
        void hand(IntConsumer work, int s) {
            done = false;
            share = s;
            body = work;
            LockSupport.unpark(thread);
        }

        /** Called by the caller: waits for the share handed over; returns what it threw, or null. */
        Throwable await() {
            while (!done) {
                Thread.onSpinWait();
            }
            Throwable thrown = failure;
            failure = null;
            return thrown;
        }

        void loop() {
            long spinUntil = System.nanoTime() + SPIN_MICROSECONDS * 1000;
            while (true) {
                IntConsumer work = body;
                if (work == null) {
                    if (retired) {
                        return;
                    } else if (System.nanoTime() < spinUntil) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(this);
                    }
                    continue;
                }
                body = null;
                try {
                    work.accept(share);
                } catch (Throwable t) {
                    failure = t;
                }
                done = true;
                spinUntil = System.nanoTime() + SPIN_MICROSECONDS * 1000;
            }
        }
    }
}
