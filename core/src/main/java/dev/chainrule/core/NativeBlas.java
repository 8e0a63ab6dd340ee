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
     * (k×n), or (n×k) when transB. Callers have checked the shapes, and that k, m and n are positive.
     *
     * <p>When transA, rows [from, to) of C need columns [from, to) of the stored A, which BLAS could read in place
     * with a leading dimension of m; but netlib checks every operand as if it ran to offset + k·m, past the end of
     * A, so those columns are copied: k·(to − from) doubles against k·(to − from)·n multiply-adds.
     */
    static void multiplyRows(double[] a, boolean transA, double[] b, boolean transB, int from, int to, int m, int k,
            int n, double[] c) {
        int rows = to - from;
        double[] aRows = a;
        int aOffset = transA ? from : from * k;
        if (transA && rows < m) {
            aRows = new double[k * rows];
            for (int p = 0; p < k; p++) {
                System.arraycopy(a, p * m + from, aRows, p * rows, rows);
            }
            aOffset = 0;
        }
        // Column-major: Cᵀ(n × rows) = op(B)ᵀ(n×k) · op(A)ᵀ(k × rows); row i of C is column i of Cᵀ.
        BLAS_OR_NULL.dgemm(transB ? "T" : "N", transA ? "T" : "N", n, rows, k,
                1.0, b, 0, transB ? k : n,
                aRows, aOffset, transA ? (aRows == a ? m : rows) : k,
                0.0, c, from * n, n);
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
