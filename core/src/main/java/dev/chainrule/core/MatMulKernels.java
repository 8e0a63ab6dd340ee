package dev.chainrule.core;

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
 *     copy B(pc.., jc..) into a panel of KC rows of NC          the panel (512 KB) stays in L2
 *     for each row i: copy C(i, jc..) into a scratch row        the row (2 KB) stays in L1
 *       for p in steps of 4: row[j] = (((row[j] + A(i,p)·B(p,j)) + A(i,p+1)·B(p+1,j)) + …) + A(i,p+3)·B(p+3,j)
 *       copy the row back
 * </pre>
 *
 * The innermost j loop is a broadcast-multiply-add of four panel rows into the row of C: four depths per load
 * and store of C, vectorized by C2. C2 (JDK 17) vectorizes it only when every array in it is indexed by j alone
 * (a row offset into a larger array, or a fifth panel row, and it stays scalar: measured), which is why the panel
 * rows and the row of C are arrays of their own.
 *
 * <p>Threads: with {@code threads} above 1 and enough work, the rows of C are cut into contiguous shares (see
 * {@link #shares}), one per thread, through {@link Parallelism#run}; each share packs its own panels of B, a
 * copy of k·n doubles per thread against its m·k·n / threads multiply-adds.
 *
 * <p>Summation order: every element of C is {@code ((0 + a₀b₀) + a₁b₁) + …} with p increasing and each product
 * rounded before it is added (no fused multiply-add), exactly as the textbook triple loop sums it. Blocking only
 * changes where the running sum is kept between steps, so the results are bit for bit those of the triple loop,
 * whatever the block sizes and however the rows of C are shared among threads.
 */
final class MatMulKernels {
    /** Depths added per pass over a row of C. */
    private static final int DEPTHS = 4;
    /** Columns per block: a 2 KB row of C and four 2 KB panel rows fit a 32 KB L1. */
    private static final int NC = 256;
    /** Depths per block: a KC × NC panel of 512 KB fits a 1 MB L2. */
    private static final int KC = 256;
    /**
     * Multiply-adds per extra thread: about 1M, where a second thread stopped losing to one on n×n products on
     * the 2-core test machine (n = 100; at n = 64 and 80 the hand-off cost more than it saved).
     */
    private static final long WORK_PER_SHARE = 1 << 20;

    private MatMulKernels() {}

    /** C(m×n) = A(m×k)·B(k×n). */
    static double[] mult(double[] a, double[] b, int m, int k, int n, int threads) {
        return multiply(a, k, 1, b, n, 1, m, k, n, threads);
    }

    /** C(m×n) = Aᵀ·B with A stored as (k×m) and B as (k×n). */
    static double[] multTransA(double[] a, double[] b, int m, int k, int n, int threads) {
        return multiply(a, 1, m, b, n, 1, m, k, n, threads);
    }

    /** C(m×n) = A·Bᵀ with A stored as (m×k) and B as (n×k). */
    static double[] multTransB(double[] a, double[] b, int m, int k, int n, int threads) {
        return multiply(a, k, 1, b, 1, k, m, k, n, threads);
    }

    /**
     * C(m×n) = A·B where A(i, p) is {@code a[i·aRow + p·aColumn]} and B(p, j) is {@code b[p·bRow + j·bColumn]},
     * on up to {@code threads} threads.
     */
    private static double[] multiply(double[] a, int aRow, int aColumn, double[] b, int bRow, int bColumn,
            int m, int k, int n, int threads) {
        double[] c = new double[m * n];
        int shares = shares(m, k, n, threads);
        if (shares == 1) {
            multiplyRows(a, aRow, aColumn, b, bRow, bColumn, 0, m, k, n, c);
        } else {
            Parallelism.run(shares, s -> multiplyRows(a, aRow, aColumn, b, bRow, bColumn,
                    (int) ((long) m * s / shares), (int) ((long) m * (s + 1) / shares), k, n, c));
        }
        return c;
    }

    /** How many threads to use: at most one per row of C, and one per WORK_PER_SHARE multiply-adds. */
    static int shares(int m, int k, int n, int threads) {
        long work = (long) m * k * n;
        return (int) Math.max(1, Math.min(Math.min(threads, m), work / WORK_PER_SHARE));
    }

    /** Rows [from, to) of C(m×n) = A·B, A and B read as in {@link #multiply}. */
    private static void multiplyRows(double[] a, int aRow, int aColumn, double[] b, int bRow, int bColumn,
            int from, int to, int k, int n, double[] c) {
        if (from == to || k == 0 || n == 0) {
            return;
        }
        double[][] panel = new double[Math.min(KC, k)][Math.min(NC, n)];
        double[] row = new double[Math.min(NC, n)];
        for (int jc = 0; jc < n; jc += NC) {
            int columns = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int depths = Math.min(KC, k - pc);
                packPanel(b, bRow, bColumn, pc, depths, jc, columns, panel);
                for (int i = from; i < to; i++) {
                    System.arraycopy(c, i * n + jc, row, 0, columns);
                    addRowTimesPanel(a, i * aRow + pc * aColumn, aColumn, panel, depths, columns, row);
                    System.arraycopy(row, 0, c, i * n + jc, columns);
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
     * row[j] += Σ_p A(i, pc + p)·panel[p][j] for p < depths and j < columns, the terms added in increasing p, four
     * depths per pass over the row; A(i, pc + p) is {@code a[from + p·aColumn]}.
     */
    private static void addRowTimesPanel(double[] a, int from, int aColumn, double[][] panel, int depths,
            int columns, double[] row) {
        int p = 0;
        for (; p + DEPTHS <= depths; p += DEPTHS) {
            double[] b0 = panel[p], b1 = panel[p + 1], b2 = panel[p + 2], b3 = panel[p + 3];
            int x = from + p * aColumn;
            double a0 = a[x], a1 = a[x + aColumn], a2 = a[x + 2 * aColumn], a3 = a[x + 3 * aColumn];
            for (int j = 0; j < columns; j++) {
                row[j] = row[j] + a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
            }
        }
        for (; p < depths; p++) {
            double[] b0 = panel[p];
            double a0 = a[from + p * aColumn];
            for (int j = 0; j < columns; j++) {
                row[j] = row[j] + a0 * b0[j];
            }
        }
    }
}
