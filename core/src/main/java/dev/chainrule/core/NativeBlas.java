package dev.chainrule.core;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * DGEMM of the system's BLAS ({@code libblas.so.3}: OpenBLAS with Debian's {@code libopenblas0-pthread}) through
 * the JNI class of {@code dev.ludovic.netlib:blas}, loaded on first use. When the library does not load, netlib
 * hands out its own Java BLAS instead; chainrule's kernels are faster than that one, so it is never used here.
 *
 * <p>Row-major to column-major: a row-major (r×c) array is the column-major (c×r) matrix of its transpose, so
 * C = op(A)·op(B) in row-major order is Cᵀ = op(B)ᵀ·op(A)ᵀ in BLAS's order: the operands swap places, and each
 * keeps its own transpose flag. No transpose is ever copied; OpenBLAS packs its panels from either layout.
 */
final class NativeBlas {
    /** The native BLAS, or null when it did not load. */
    private static final NativeBLAS BLAS_OR_NULL = load();

    private NativeBlas() {}

    /** @return whether the native BLAS loaded */
    static boolean available() {
        return BLAS_OR_NULL != null;
    }

    /**
     * How many threads OpenBLAS runs each product on, as it decides when it loads: the first positive value of
     * OPENBLAS_NUM_THREADS, GOTO_NUM_THREADS and OMP_NUM_THREADS, else the processors, never more than these.
     * A process cannot change its environment, nor can it reach {@code openblas_set_num_threads} through netlib.
     */
    static int openBlasThreads() {
        int processors = Runtime.getRuntime().availableProcessors();
        for (String variable : List.of("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")) {
            String value = System.getenv(variable);
            if (value != null && value.trim().matches("[0-9]{1,6}") && Integer.parseInt(value.trim()) > 0) {
                return Math.min(Integer.parseInt(value.trim()), processors);
            }
        }
        return processors;
    }

    /**
     * Rows [from, to) of C(m×n) = op(A)·op(B), written into c; A is stored (m×k), or (k×m) when transA, and B
     * (k×n), or (n×k) when transB. Callers have checked the shapes, and that k, m and n are positive. Every
     * operand is read in place: when transA, rows [from, to) of C need columns [from, to) of the stored A, read
     * with a leading dimension of m.
     */
    static void multiplyRows(double[] a, boolean transA, double[] b, boolean transB, int from, int to, int m, int k,
            int n, double[] c) {
        // Column-major: Cᵀ(n × (to − from)) = op(B)ᵀ(n×k) · op(A)ᵀ(k × (to − from)); row i of C is column i of Cᵀ.
        BLAS_OR_NULL.dgemm(transB ? "T" : "N", transA ? "T" : "N", n, to - from, k,
                1.0, b, 0, transB ? k : n,
                a, transA ? from : from * k, transA ? m : k,
                0.0, c, from * n, n);
    }

    /**
     * Whether OpenBLAS computes C faster as the column-major C (m×n), transposed afterwards, than as the
     * column-major Cᵀ: when C has few columns (n < 64) against its rows (m ≥ 4n) and the inner dimension is long
     * (k ≥ 256). OpenBLAS tiles the first dimension of its C, and n is too short for its tiles. Measured on one
     * thread, transpose included: 5000×400 · 400×25 at 21 against 30 GFLOP/s, 400×5000ᵀ · 5000×25 at 18 against
     * 31; at n = 256 the column-major Cᵀ wins (128×784 · 784×256: 50 against 43). Those figures are of the
     * machine README's earlier runs were made on; on the one under "Last measured" (OpenBLAS's Zen kernels) the
     * first product runs within 2% either way, 3.61 against 3.56 ms.
     */
    static boolean columnMajorFaster(int m, int k, int n) {
        return n < 64 && m >= 4 * n && k >= 256;
    }

    /**
     * Whether Aᵀ·B runs faster by blocks of depths ({@link #multiplyDepthsTransAColumnMajor}) than by blocks of
     * rows: when {@link #columnMajorFaster}, and when the inner dimension is long (k ≥ 512 and k ≥ m) and C at
     * least twice as tall as it is wide (m ≥ 2n), as a dense layer's dW = Xᵀ·dY at a large batch. A block of rows
     * reads A's columns a leading dimension apart and hands OpenBLAS a C that is short in its first dimension; a
     * block of depths reads A's and B's rows whole. Measured on one thread in two blocks, sums and transpose
     * included, against rows (the fastest of six half-second runs): 784×1024ᵀ · 1024×256 9.2 against 9.6 ms,
     * 784×2048ᵀ · 2048×256 17.6 against 19.2; about even at 256×1024ᵀ · 1024×128 (1.57 against 1.51) and
     * 256×512ᵀ · 512×128 (0.74 against 0.71); a loss at 1024×1024ᵀ · 1024×1024 (m &lt; 2n: 49.6 against 47.7).
     * The step of 784-256-128-10 at batch 1024 on one thread took 26.1–30.8 ms by depths, 29.9–40.2 by rows
     * (6 alternated processes). Those figures are of the machine README's earlier runs were made on; on the one
     * under "Last measured" (OpenBLAS's Zen kernels) rows win that dW by 3–5% (9.4 against 9.8 ms), and depths
     * still win the course network's 400×5000ᵀ · 5000×25 (3.3 against 3.7 ms).
     */
    static boolean transAByDepthsFaster(int m, int k, int n) {
        return columnMajorFaster(m, k, n) || (k >= 512 && k >= m && m >= 2 * n);
    }

    /**
     * Rows [from, to) of C(m×n) = A·op(B), computed as the column-major (to − from)×n block of C in a scratch
     * array and transposed into C. The rows of the stored (m×k) A are contiguous, so no operand is copied.
     */
    static void multiplyRowsColumnMajor(double[] a, double[] b, boolean transB, int from, int to, int k, int n,
            double[] c) {
        int rows = to - from;
        double[] block = new double[rows * n];
        // Column-major: block(rows×n) = A(rows×k), A's rows read as the columns of (k×rows), times op(B)(k×n).
        BLAS_OR_NULL.dgemm("T", transB ? "N" : "T", rows, n, k, 1.0, a, from * k, k, b, 0, transB ? k : n, 0.0,
                block, 0, rows);
        writeTransposed(block, rows, n, c, from);
    }

    /**
     * The part of C(m×n) = Aᵀ·B that depths [from, to) contribute, as a column-major (m×n) array: the rows of the
     * stored (k×m) A and (k×n) B that a block of depths reads are contiguous, where a block of C's rows would
     * need a column block of A.
     */
    static double[] multiplyDepthsTransAColumnMajor(double[] a, double[] b, int from, int to, int m, int n) {
        double[] partial = new double[m * n];
        BLAS_OR_NULL.dgemm("N", "T", m, n, to - from, 1.0, a, from * m, m, b, from * n, n, 0.0, partial, 0, m);
        return partial;
    }

    /** C = the transpose of the column-major Σ partials, added in order. */
    static void sumAndTranspose(double[][] partials, int m, int n, double[] c) {
        double[] sum = partials[0];
        for (int q = 1; q < partials.length; q++) {
            for (int e = 0; e < sum.length; e++) {
                sum[e] += partials[q][e];
            }
        }
        writeTransposed(sum, m, n, c, 0);
    }

    /**
     * Rows [from, from + rows) of the row-major C(·×n): the column-major (rows × n) block, transposed four columns
     * at a time, so that each row of C is written in runs of four and the block read down four columns at once
     * (784×256: 107 against 146 us element by element; 1024×256: 132 against 807, its columns 8 KB apart).
     */
    private static void writeTransposed(double[] block, int rows, int n, double[] c, int from) {
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            for (int i = 0, column = j * rows, row = from * n + j; i < rows; i++, column++, row += n) {
                c[row] = block[column];
                c[row + 1] = block[column + rows];
                c[row + 2] = block[column + 2 * rows];
                c[row + 3] = block[column + 3 * rows];
            }
        }
        for (; j < n; j++) {
            for (int i = 0; i < rows; i++) {
                c[(from + i) * n + j] = block[j * rows + i];
            }
        }
    }

    /**
     * netlib's instance if it is the native one, else null. netlib logs a warning for every implementation it
     * fails to load (its vectorized Java one always, without an incubator module); those stay quiet here.
     */
    private static NativeBLAS load() {
        Logger netlib = Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder");
        Level before = netlib.getLevel();
        netlib.setLevel(Level.OFF);
        try {
            BLAS blas = BLAS.getInstance();
            return blas instanceof NativeBLAS ? (NativeBLAS) blas : null;
        } catch (LinkageError | RuntimeException e) {
            return null; // netlib missing from the class path, or broken: the Java kernels do everything
        } finally {
            netlib.setLevel(before);
        }
    }
}
