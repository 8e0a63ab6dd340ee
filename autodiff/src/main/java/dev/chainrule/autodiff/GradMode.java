package dev.chainrule.autodiff;

/**
 * Whether applying a node records it for backward, per thread. Changed only through scopes that restore the
 * previous setting when closed, so no flag is ever left behind:
 *
 * <pre>{@code
 * try (GradMode.Scope ignored = GradMode.noGrad()) {
 *     Variable prediction = model(x);   // computed, not recorded
 * }
 * }</pre>
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {}

    /** Whether nodes applied on this thread are recorded now. */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Stops recording on this thread until the returned scope is closed. */
    public static Scope noGrad() {
        return set(false);
    }

    /** Sets recording on this thread until the returned scope is closed; the engine uses it for create-graph. */
    static Scope set(boolean enabled) {
        boolean[] flag = ENABLED.get();
        Scope scope = new Scope(flag, flag[0]);
        flag[0] = enabled;
        return scope;
    }

    /** Restores the setting that was in force when it was opened. */
    public static final class Scope implements AutoCloseable {
        private final boolean[] flag;
        private final boolean previous;

        private Scope(boolean[] flag, boolean previous) {
            this.flag = flag;
            this.previous = previous;
        }

        @Override
        public void close() {
            flag[0] = previous;
        }
    }
}
