package dev.chainrule.core;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.base.Throwables;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
 * waits for its next share spinning, for {@value #SPIN_MICROSECONDS} us, before it parks, and so does a caller
 * waiting for a worker. When the workers are busy with another caller's work, or a share hands work over itself,
 * the shares run on the calling thread. A share that its worker has not started by the time the caller has
 * finished its own, the caller runs itself, rather than wait for a worker that woke late or whose processor the
 * machine gave to something else: 1.9–3.0% of the hand-offs in the benchmark's training steps on two threads of
 * the test machine, a virtual one.
 */
public final class Parallelism {
    /** The system property that sets the default thread count. */
    public static final String THREADS_PROPERTY = "chainrule.threads";
    /** How long an idle worker, or a caller waiting for one, spins before it parks. */
    static final long SPIN_MICROSECONDS = 200;

    private static volatile Workers workers =
            Workers.of(Integer.getInteger(THREADS_PROPERTY, Runtime.getRuntime().availableProcessors()));
    private static final AtomicLong HAND_OFFS = new AtomicLong();

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
    public static synchronized void setThreads(int threads) {
        Workers next = Workers.of(threads);
        Workers previous = workers;
        workers = next;
        previous.retire();
    }

    /**
     * How many times work has been handed to other threads in this JVM: each product, loop or run cut into
     * shares and handed to the workers counts once (even should the caller run a share a late worker had not
     * started); work that stayed on its calling thread does not count. Whether it moved between two points tells
     * whether the work between them was shared, and so whether the arrays it wrote sit in the cache of one thread
     * or of several.
     *
     * @return the count, only ever growing
     */
    public static long handOffs() {
        return HAND_OFFS.get();
    }

    /** A loop over the elements [from, to) of an element-wise computation. */
    @FunctionalInterface
    public interface Range {
        /**
         * @param from the first element
         * @param to one past the last element
         */
        void run(int from, int to);
    }

    /**
     * Runs {@code range} over [0, length), cut into contiguous parts shared among {@link #threads()} threads when
     * each gets at least {@code perShare} elements, else on the calling thread alone: for loops that compute
     * every element on its own, whose results then do not depend on the cut or the thread count. The calling
     * thread runs the first part; the call returns when every part has run.
     *
     * @param length the elements, at least 0
     * @param perShare the fewest elements worth handing to another thread, positive
     * @param range the loop
     * @throws IllegalArgumentException if length is negative or perShare not positive
     */
    public static void share(int length, int perShare, Range range) {
        checkArgument(length >= 0 && perShare > 0, "Parallelism.share: length %s must be at least 0 and perShare %s"
                + " positive", length, perShare);
        int shares = parts(length, perShare, threads());
        if (shares == 1) {
            range.run(0, length);
        } else {
            run(shares, s -> range.run((int) ((long) length * s / shares), (int) ((long) length * (s + 1) / shares)));
        }
    }

    /** How many parts to cut {@code work} into: one per {@code perPart}, at least 1 and at most {@code most}. */
    static int parts(long work, long perPart, int most) {
        return (int) Math.max(1, Math.min(most, work / perPart));
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
        HAND_OFFS.incrementAndGet();
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
                failure = either(failure, current.workers[s - 1].runUnlessTakenThenAwait());
            }
        } finally {
            current.release();
        }
        if (failure != null) {
            Throwables.throwIfUnchecked(failure);
            throw new IllegalStateException(failure);
        }
    }

    /** The first failure, with the second added to it as suppressed. */
    private static Throwable either(Throwable first, Throwable second) {
        if (first == null) {
            return second;
        }
        if (second != null && second != first) {
            first.addSuppressed(second);
        }
        return first;
    }

    /** The threads beyond the caller's, and whether a caller is using them. */
    private static final class Workers {
        final int threads;
        final Worker[] workers;
        /** Held by the caller using the workers; held for good once they have ended. */
        final AtomicBoolean busy = new AtomicBoolean();
        volatile boolean retiring;

        private Workers(int threads) {
            this.threads = threads;
            workers = new Worker[threads - 1];
            try {
                for (int i = 0; i < workers.length; i++) {
                    workers[i] = new Worker();
                    Thread thread = new Thread(workers[i]::loop, "chainrule-worker-" + (i + 1));
                    thread.setDaemon(true);
                    workers[i].thread = thread;
                    thread.start();
                }
            } catch (RuntimeException | Error e) { // no thread to be had: end those started
                end();
                throw e;
            }
        }

        static Workers of(int threads) {
            checkArgument(threads >= 1, "Parallelism: %s threads: the count must be at least 1", threads);
            return new Workers(threads);
        }

        /**
         * Ends the threads once no caller uses them, without waiting: now if none does, else when that caller
         * releases them. Later callers find them busy and run their shares alone.
         */
        void retire() {
            retiring = true;
            if (busy.compareAndSet(false, true)) {
                end();
            }
        }

        /** Called by the caller that holds the workers: lets the next caller have them, or ends them if retiring. */
        void release() {
            busy.set(false);
            if (retiring && busy.compareAndSet(false, true)) {
                end();
            }
        }

        private void end() {
            for (Worker worker : workers) {
                if (worker != null && worker.thread != null) {
                    worker.retired = true;
                    LockSupport.unpark(worker.thread);
                }
            }
        }
    }

    /**
     * One worker: runs the share it is handed, spinning a while for the next before it parks. A share is taken
     * once, by the worker or, if the worker has not started it when the caller has finished its own, by the
     * caller: a worker that wakes late, or whose processor the machine gave to something else, delays nothing.
     */
    static final class Worker { // package-private for its test
        private static final VarHandle BODY;

        static {
            try {
                BODY = MethodHandles.lookup().findVarHandle(Worker.class, "body", IntConsumer.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        Thread thread;
        volatile IntConsumer body;
        volatile int share;
        volatile boolean done = true;
        volatile boolean retired;
        volatile Throwable failure;
        volatile Thread waiting;

        /** Called by the caller: hands over one share. */
        void hand(IntConsumer work, int s) {
            done = false;
            share = s;
            body = work;
            LockSupport.unpark(thread);
        }

        /**
         * Called by the caller: runs the share handed over if the worker has not taken it, else waits for it,
         * spinning and then parking; returns what it threw.
         */
        Throwable runUnlessTakenThenAwait() {
            IntConsumer work = body;
            if (work != null && BODY.compareAndSet(this, work, null)) {
                try {
                    work.accept(share);
                } catch (Throwable t) {
                    return t;
                } finally {
                    done = true;
                }
                return null;
            }
            long spinUntil = System.nanoTime() + SPIN_MICROSECONDS * 1000;
            while (!done) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    waiting = Thread.currentThread();
                    if (!done) {
                        LockSupport.park(this);
                    }
                    waiting = null;
                }
            }
            Throwable thrown = failure;
            failure = null;
            return thrown;
        }

        void loop() {
            long spinUntil = System.nanoTime() + SPIN_MICROSECONDS * 1000;
            while (true) {
                IntConsumer work = body;
                if (work == null || !BODY.compareAndSet(this, work, null)) {
                    if (retired) {
                        return;
                    } else if (System.nanoTime() < spinUntil) {
                        Thread.onSpinWait();
                    } else {
                        Thread.interrupted(); // a share's leftover interrupt would make park return at once
                        LockSupport.park(this);
                        // woken for a share, which the caller may have run already: the next will come soon
                        spinUntil = System.nanoTime() + SPIN_MICROSECONDS * 1000;
                    }
                    continue;
                }
                try {
                    work.accept(share);
                } catch (Throwable t) {
                    failure = t;
                }
                done = true;
                Thread caller = waiting;
                if (caller != null) {
                    LockSupport.unpark(caller);
                }
                spinUntil = System.nanoTime() + SPIN_MICROSECONDS * 1000;
            }
        }
    }
}
