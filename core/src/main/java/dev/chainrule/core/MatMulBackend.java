package dev.chainrule.core;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Locale;

/**
 * Which code computes the matrix products: chainrule's own Java kernels, always present, or the system's BLAS.
 *
 * <p>The default is {@link #NATIVE} when the system's BLAS loads and runs each product on one thread of its own
 * (OpenBLAS reads its thread count from the environment when it loads, so start the JVM with
 * {@code OPENBLAS_NUM_THREADS=1}); else {@link #JAVA}. The system property {@value #PROPERTY} overrides this with
 * {@code java} or {@code native}, and {@link #use} changes it for the products that start after the call.
 *
 * <p>Either way chainrule's {@link Parallelism} shares the rows of a large product among its threads, and no
 * element's sum is split, so the results are the same bit for bit on any thread count. The two backends agree
 * within about k·2⁻⁵² of Σ|A(i,p)·B(p,j)| for each element, not bit for bit: OpenBLAS sums with fused
 * multiply-adds, in its own order.
 */
public enum MatMulBackend {
    /** chainrule's blocked kernels: every element summed as the textbook triple loop sums it. */
    JAVA,
    /**
     * DGEMM of the system's {@code libblas.so.3} through the JNI class of {@code dev.ludovic.netlib:blas}, for
     * products of more than {@value MatMulKernels#SMALL_WORK} multiply-adds; smaller ones stay on Java.
     */
    NATIVE;

    /** The system property that chooses the backend: {@code native}, {@code java}, or {@code auto} (default). */
    public static final String PROPERTY = "chainrule.blas";

    private static volatile MatMulBackend current = fromProperty();

    /** @return the backend the products that start now use */
    public static MatMulBackend current() {
        return current;
    }

    /**
     * Sets the backend for the products that start after this call.
     *
     * @param backend JAVA, or NATIVE when {@link #nativeAvailable()}
     * @throws IllegalStateException if backend is NATIVE and the system's BLAS did not load
     */
    public static void use(MatMulBackend backend) {
        checkNotNull(backend, "MatMulBackend.use: backend is null");
        if (backend == NATIVE && !nativeAvailable()) {
            throw new IllegalStateException("MatMulBackend.use(NATIVE): no native BLAS loaded (libblas.so.3 from "
                    + "libopenblas0-pthread, and netlib's JNI class on the class path, are needed)");
        }
        current = backend;
    }

    /** @return whether the system's BLAS loaded through netlib's JNI class */
    public static boolean nativeAvailable() {
        return NativeBlas.available();
    }

    /**
     * @return one line saying which backend is in use and why, as {@code chainrule bench} and {@code --verbose}
     *     print it, such as {@code native BLAS (OpenBLAS on 1 thread of its own, products of > 128
     *     multiply-adds)} or {@code java (native BLAS found, but OpenBLAS would run 2 threads of its own: start
     *     with OPENBLAS_NUM_THREADS=1 to use it)}
     */
    public static String describe() {
        int openBlasThreads = NativeBlas.openBlasThreads();
        if (current == NATIVE) {
            return String.format(Locale.ROOT, "native BLAS (OpenBLAS on %d thread%s of its own, products of > %d"
                    + " multiply-adds)", openBlasThreads, openBlasThreads == 1 ? "" : "s", MatMulKernels.SMALL_WORK);
        } else if (!nativeAvailable()) {
            return "java (no native BLAS: install libopenblas0-pthread)";
        } else if (openBlasThreads > 1 && !"java".equals(property())) {
            return "java (native BLAS found, but OpenBLAS would run " + openBlasThreads + " threads of its own: "
                    + "start with OPENBLAS_NUM_THREADS=1 to use it)";
        }
        return "java (native BLAS found, not chosen)";
    }

    /** The default: the property's choice if it can be honoured, else native only when OpenBLAS is serial. */
    private static MatMulBackend fromProperty() {
        String choice = property();
        if (choice.equals("java") || !nativeAvailable()) {
            return JAVA;
        }
        return choice.equals("native") || NativeBlas.openBlasThreads() == 1 ? NATIVE : JAVA;
    }

    private static String property() {
        return System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    }
}
