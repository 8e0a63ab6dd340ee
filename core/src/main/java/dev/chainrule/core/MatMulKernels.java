package dev.chainrule.core;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The matrix products C = A·B, C = Aᵀ·B and C = A·Bᵀ on row-major {@code double[]}, blocked for the caches and
 * shaped so that HotSpot's C2 compiler vectorizes the innermost loop. Callers have checked every shape.
 *
 * <p>All three forms share one kernel: A and B are read through (row, column) strides, so a transposed operand
 * is only another pair of strides; only a panel of B is ever copied, never a whole transpose. The blocking
 * follows GotoBLAS:
 *
 * <pre>
 * for each block of NC columns jc
 *   for each block of KC depths pc
 *     copy B(pc.., jc..) into a panel of KC rows of NC             the panel (512 KB) stays in L2
 *     for each block of MR rows ic: copy C(ic.., jc..) into scratch rows
 *       for p in steps of 4                                        four panel rows (8 KB) stay in L1
 *         for each row i: row[j] = (((row[j] + A(i,p)·B(p,j)) + A(i,p+1)·B(p+1,j)) + …) + A(i,p+3)·B(p+3,j)
 *       copy the rows back
 * </pre>
 *
 * The innermost j loop is a broadcast-multiply-add of four panel rows into a row of C: four depths per load
 * and store of C, vectorized by C2. C2 (JDK 17) vectorizes it only when every array in it is indexed by j alone
 * (a row offset into a larger array, a fifth panel row, or a second row of C in the same loop, and it stays
 * scalar: measured), which is why the panel rows and the rows of C are arrays of their own. The block of rows
 * lets MR rows use four panel rows while they sit in L1, where one row at a time read all KC from L2.
 *
 * <p>Threads: with {@code threads} above 1 and enough work, the rows of C are cut into contiguous shares (see
 * {@link #shares}), one per thread, through {@link Parallelism#run}; each share packs its own panels of B, a
 * copy of k·n doubles per thread against its m·k·n / threads multiply-adds.
 *
 * <p>Products of at most {@link #SMALL_WORK} multiply-adds run the plain triple loop on either backend. On the
 * {@link MatMulBackend#NATIVE native backend}, larger products go to the system's DGEMM ({@link NativeBlas})
 * instead, in blocks that depend on the shape and the machine's processor count alone ({@link #nativeBlocks}),
 * shared among the same threads. A product with few
 * columns and a long inner dimension is computed as the column-major C and transposed
 * ({@link NativeBlas#columnMajorFaster}), by blocks of rows or, for Aᵀ·B, of depths whose parts are added in order;
 * so is an Aᵀ·B with a long inner dimension and a C twice as tall as wide ({@link NativeBlas#transAByDepthsFaster}).
 *
 * <p>Summation order of the Java kernels: every element of C is {@code ((0 + a₀b₀) + a₁b₁) + …} with p
 * increasing and each product rounded before it is added (no fused multiply-add), exactly as the textbook triple
 * loop sums it. Blocking only changes where the running sum is kept between steps, so the results are bit for bit
 * those of the triple loop, whatever the block sizes and however the rows of C are shared among threads.
 */
final class MatMulKernels {
    /** Depths added per pass over a row of C. */
    private static final int DEPTHS = 4;
    /** Columns per block: a 2 KB row of C and four 2 KB panel rows fit a 32 KB L1. */
    private static final int NC = 256;
    /** Depths per block: a KC × NC panel of 512 KB fits a 1 MB L2. */
    private static final int KC = 256;
    /**
     * Rows of C per block, each pass of four depths going over all of them: 32 KB of rows. One thread at n = 1024
     * (A·B, Aᵀ·B, A·Bᵀ at n = 512, GFLOP/s): one row at a time 18.3–18.7, blocks of 16 rows 20.9–23.7; 8 rows
     * with eight depths a pass over them 19.6–23.0, 32 rows 20.4–23.8, 64 rows 18.8–23.5.
     */
    private static final int MR = 16;
    /**
     * Multiply-adds per extra thread: about 1M, where a second thread stopped losing to one on n×n products on
     * the 2-core test machine (n = 100; at n = 64 and 80 the hand-off cost more than it saved).
     */
    static final long WORK_PER_SHARE = 1 << 20;
    /**
     * Multiply-adds per native block: about 512K. A block costs OpenBLAS one more packing of op(B) and a JNI call,
     * and blocks of few rows run slower (see {@link #NATIVE_MIN_ROWS}): cut in two, 128×256·256×128 takes 182
     * instead of 172 us on one thread, and each half 91 on two. The thin products of the course network (1.25M
     * each: 5000×25·25×10, 25×5000ᵀ·5000×10, 5000×10·10×25ᵀ) took 412–452 us together in one block each, 309–328
     * in two on one thread and 215–250 on two threads (2M a block kept them whole).
     */
    static final long NATIVE_WORK_PER_SHARE = 1 << 19;
    /**
     * Rows per native block, at least: OpenBLAS loses speed on thin blocks. 32×784·784×256 takes 279 us in one
     * block and 333 in two blocks of 16 rows, on one thread; 128×784·784×256, 993 in one and 1053 in two of 64.
     */
    static final int NATIVE_MIN_ROWS = 64;
    /**
     * The most blocks of a native product: the machine's processors, at least 2 and even, whatever the thread
     * setting, so that results depend on the machine (as OpenBLAS's own kernels do) but not on the thread count.
     */
    static final int NATIVE_MAX_BLOCKS = Math.max(2, Runtime.getRuntime().availableProcessors() / 2 * 2);
    /**
     * The largest product, in multiply-adds m·k·n, that runs the plain triple loop on either backend: one JNI call
     * or the blocked kernel's set-up costs more. Measured on one thread (ns per product, triple loop against
     * OpenBLAS): 4×2×4 69 against 145, 4×4×4 88 against 150, 8×8×8 480 against 171. A 2-2-2 training step took
     * 1.5-1.7 us with the blocked kernel, 1.0-1.1 with the loop; XOR's 2-4-2 at batch 4, 2.5 on OpenBLAS, 1.6.
     */
    static final int SMALL_WORK = 128;

    private MatMulKernels() {}

    /** C(m×n) = A(m×k)·B(k×n). */
    static double[] mult(double[] a, double[] b, int m, int k, int n, int threads, MatMulBackend backend) {
        return multiply(a, false, b, false, m, k, n, threads, backend);
    }

    /** C(m×n) = Aᵀ·B with A stored as (k×m) and B as (k×n). */
    static double[] multTransA(double[] a, double[] b, int m, int k, int n, int threads, MatMulBackend backend) {
        return multiply(a, true, b, false, m, k, n, threads, backend);
    }

    /** C(m×n) = A·Bᵀ with A stored as (m×k) and B as (n×k). */
    static double[] multTransB(double[] a, double[] b, int m, int k, int n, int threads, MatMulBackend backend) {
        return multiply(a, false, b, true, m, k, n, threads, backend);
    }

    /**
     * C(m×n) = op(A)·op(B), A stored (m×k) or, when transA, (k×m), and B (k×n) or, when transB, (n×k), on up to
     * {@code threads} threads, and on the native BLAS when the backend is NATIVE and the product is large enough.
     *
     * <p>The work is cut into blocks, each computed by one call, and the threads share the blocks. The Java
     * kernels give every element the same bits in any block, so their blocks are the threads' shares of the rows
     * of C. OpenBLAS does not: where an element falls in its register tiles can change its rounding, so native
     * blocks depend on the shape and the machine alone ({@link #nativeBlocks}), and the same calls run on any
     * thread count.
     */
    private static double[] multiply(double[] a, boolean transA, double[] b, boolean transB, int m, int k, int n,
            int threads, MatMulBackend backend) {
        double[] c = new double[m * n];
        multiply(a, transA, b, transB, m, k, n, threads, backend, c, true, null);
        return c;
    }

    /**
     * C(m×n) = A·W + b, b added to every row of A(m×k)·W(k×n) by the thread that computed the row, while the row
     * is in its cache: the bits of the product with b added afterwards, as a dense layer's forward.
     */
    static double[] affine(double[] a, double[] w, double[] bias, int m, int k, int n, int threads,
            MatMulBackend backend) {
        double[] c = new double[m * n];
        multiply(a, false, w, false, m, k, n, threads, backend, c, true, bias);
        return c;
    }

    /**
     * C = op(A)·op(B) written over c, whatever c held: {@link #multiply} into an array of the caller's, such as
     * a gradient kept from step to step.
     */
    static void multiplyInto(double[] a, boolean transA, double[] b, boolean transB, int m, int k, int n,
            int threads, MatMulBackend backend, double[] c) {
        multiply(a, transA, b, transB, m, k, n, threads, backend, c, false, null);
    }

    /**
     * C = op(A)·op(B) into c, which holds zeros when {@code cIsZero}, plus {@code bias} in every row unless it is
     * null. The blocked Java kernel adds into C, so it clears C first otherwise; the small loop, OpenBLAS's calls
     * (β = 0) and the column-major paths overwrite every element.
     */
    private static void multiply(double[] a, boolean transA, double[] b, boolean transB, int m, int k, int n,
            int threads, MatMulBackend backend, double[] c, boolean cIsZero, double[] bias) {
        // A(i, p) is a[i·aRow + p·aColumn], B(p, j) is b[p·bRow + j·bColumn]
        int aRow = transA ? 1 : k, aColumn = transA ? m : 1, bRow = transB ? 1 : n, bColumn = transB ? k : 1;
        if ((long) m * k * n <= SMALL_WORK) {
            textbook(a, aRow, aColumn, b, bRow, bColumn, m, k, n, c, bias);
            return;
        }
        if (!cIsZero && backend != MatMulBackend.NATIVE) {
            Arrays.fill(c, 0.0);
        }
        if (backend == MatMulBackend.NATIVE) {
            boolean columnMajor = transA ? NativeBlas.transAByDepthsFaster(m, k, n)
                    : NativeBlas.columnMajorFaster(m, k, n);
            int blocks = columnMajor && transA ? nativeBlocks(k, m, n) : nativeBlocks(m, k, n); // by depths, or rows
            if (!columnMajor) {
                runRowBlocks(blocks, threads, m, c, bias,
                        (from, to) -> NativeBlas.multiplyRows(a, transA, b, transB, from, to, m, k, n, c));
            } else if (!transA) {
                runRowBlocks(blocks, threads, m, c, bias,
                        (from, to) -> NativeBlas.multiplyRowsColumnMajor(a, b, transB, from, to, k, n, c));
            } else {
                double[][] partials = new double[blocks][]; // at least 64 depths a block: none is empty
                runBlocks(blocks, threads, q -> partials[q] = NativeBlas.multiplyDepthsTransAColumnMajor(a, b,
                        start(q, blocks, k), start(q + 1, blocks, k), m, n));
                NativeBlas.sumAndTranspose(partials, m, n, c);
                addToRows(c, bias, 0, m);
            }
            return;
        }
        int shares = shares(m, k, n, threads, WORK_PER_SHARE);
        runRowBlocks(shares, shares, m, c, bias,
                (from, to) -> multiplyRows(a, aRow, aColumn, b, bRow, bColumn, from, to, k, n, c));
    }

    /**
     * Runs {@code rows} over each of {@code blocks} blocks of C's m rows, shared among at most {@code threads}
     * threads, each block then adding the bias (unless it is null) to its own rows.
     */
    private static void runRowBlocks(int blocks, int threads, int m, double[] c, double[] bias,
            Parallelism.Range rows) {
        runBlocks(blocks, threads, q -> {
            int from = start(q, blocks, m), to = start(q + 1, blocks, m);
            rows.run(from, to);
            addToRows(c, bias, from, to);
        });
    }

    /** Adds {@code bias}, unless it is null, to rows [from, to) of C, whose rows are as long as the bias. */
    private static void addToRows(double[] c, double[] bias, int from, int to) {
        if (bias != null) {
            Kernels.addToEveryRow(c, from * bias.length, to * bias.length, bias);
        }
    }

    /**
     * C(m×n) = A·B (+ bias in every row, unless it is null) for a small product, A and B read as in
     * {@link #multiply}, C overwritten: each element is the sum from 0 of A(i, p)·B(p, j) for p increasing, the
     * textbook loop's order (the blocked kernel's bits), kept in a register rather than in C (a 2-4-2 step at
     * batch 4: 1.46–1.48 µs with C's row updated for each p, 1.39–1.44 this way), then the bias added to the
     * rounded sum, as a pass over C afterwards would (a pass cost XOR's two layers 40–50 ns a step).
     */
    private static void textbook(double[] a, int aRow, int aColumn, double[] b, int bRow, int bColumn, int m, int k,
            int n, double[] c, double[] bias) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0.0;
                for (int p = 0, x = i * aRow, y = j * bColumn; p < k; p++, x += aColumn, y += bRow) {
                    sum += a[x] * b[y];
                }
                c[i * n + j] = bias == null ? sum : sum + bias[j];
            }
        }
    }

    /** Where block q of {@code blocks} starts along a dimension of {@code size}: ⌊size · q / blocks⌋. */
    private static int start(int q, int blocks, int size) {
        return (int) ((long) size * q / blocks);
    }

    /** Runs block(0), …, block(blocks − 1), shared in contiguous runs among at most {@code threads} threads. */
    private static void runBlocks(int blocks, int threads, IntConsumer block) {
        int shares = Math.min(threads, blocks);
        if (shares == 1) {
            for (int q = 0; q < blocks; q++) {
                block.accept(q);
            }
            return;
        }
        Parallelism.run(shares, s -> {
            for (int q = start(s, shares, blocks); q < start(s + 1, shares, blocks); q++) {
                block.accept(q);
            }
        });
    }

    /**
     * The blocks of a native product on this machine: at most NATIVE_MAX_BLOCKS. A product cut by depths, not
     * rows, passes its depths as m: its blocks are at least NATIVE_MIN_ROWS depths each.
     */
    static int nativeBlocks(int m, int k, int n) {
        return nativeBlocks(m, k, n, NATIVE_MAX_BLOCKS);
    }

    /**
     * The blocks of a native product: one per NATIVE_WORK_PER_SHARE multiply-adds, at most one per NATIVE_MIN_ROWS
     * rows and {@code maxBlocks}, and an even count above 1 so that two threads share them evenly.
     */
    static int nativeBlocks(int m, int k, int n, int maxBlocks) {
        int blocks = shares(m, k, n, Math.min(maxBlocks, Math.max(1, m / NATIVE_MIN_ROWS)), NATIVE_WORK_PER_SHARE);
        return blocks > 1 ? blocks - blocks % 2 : 1;
    }

    /** How many parts to cut a product into: at most {@code threads}, one per row of C, one per workPerShare. */
    static int shares(int m, int k, int n, int threads, long workPerShare) {
        return Parallelism.parts((long) m * k * n, workPerShare, Math.min(threads, m));
    }

    /** Rows [from, to) of C(m×n) = A·B, A and B read as in {@link #multiply}. */
    private static void multiplyRows(double[] a, int aRow, int aColumn, double[] b, int bRow, int bColumn,
            int from, int to, int k, int n, double[] c) {
        if (from == to || k == 0 || n == 0) {
            return;
        }
        double[][] panel = new double[Math.min(KC, k)][Math.min(NC, n)];
        double[][] rows = new double[Math.min(MR, to - from)][Math.min(NC, n)];
        for (int jc = 0; jc < n; jc += NC) {
            int columns = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int depths = Math.min(KC, k - pc);
                packPanel(b, bRow, bColumn, pc, depths, jc, columns, panel);
                for (int ic = from; ic < to; ic += MR) {
                    int count = Math.min(MR, to - ic);
                    for (int r = 0; r < count; r++) {
                        System.arraycopy(c, (ic + r) * n + jc, rows[r], 0, columns);
                    }
                    for (int p = 0; p < depths; p += DEPTHS) {
                        for (int r = 0; r < count; r++) {
                            addRowTimesPanel(a, (ic + r) * aRow + (pc + p) * aColumn, aColumn, panel, p,
                                    Math.min(DEPTHS, depths - p), columns, rows[r]);
                        }
                    }
                    for (int r = 0; r < count; r++) {
                        System.arraycopy(rows[r], 0, c, (ic + r) * n + jc, columns);
                    }
                }
            }
        }
    }

    /** panel[p][j] = B(pc + p, jc + j): a copy of rows of B, or of a block of B's transpose. */
    private static void packPanel(double[] b, int bRow, int bColumn, int pc, int depths, int jc, int columns,
            double[][] panel) {
        for (int p = 0; p < depths; p++) {
            double[] row = panel[p];
            int from = (pc + p) * bRow + jc * bColumn;
            for (int j = 0; j < columns; j++) {
                row[j] = b[from + j * bColumn];
            }
        }
    }

    /**
     * row[j] += Σ_p A(i, p)·panel[first + p][j] for p < depths (at most four) and j < columns, the terms added in
     * increasing p, in one pass over the row when there are four; A(i, p) is {@code a[from + p·aColumn]}.
     */
    private static void addRowTimesPanel(double[] a, int from, int aColumn, double[][] panel, int first, int depths,
            int columns, double[] row) {
        if (depths == DEPTHS) {
            double[] b0 = panel[first], b1 = panel[first + 1], b2 = panel[first + 2], b3 = panel[first + 3];
            double a0 = a[from], a1 = a[from + aColumn], a2 = a[from + 2 * aColumn], a3 = a[from + 3 * aColumn];
            for (int j = 0; j < columns; j++) {
                row[j] = row[j] + a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
            }
            return;
        }
        for (int p = 0; p < depths; p++) {
            double[] b0 = panel[first + p];
            double a0 = a[from + p * aColumn];
            for (int j = 0; j < columns; j++) {
                row[j] = row[j] + a0 * b0[j];
            }
        }
    }
}
