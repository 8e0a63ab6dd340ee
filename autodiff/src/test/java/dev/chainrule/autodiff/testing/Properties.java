package dev.chainrule.autodiff.testing;

import dev.chainrule.autodiff.GradCheck;
import org.quicktheories.QuickTheory;

/**
 * Settings shared by every property. The number of examples is {@value #EXAMPLES} unless the system property
 * {@code chainrule.examples} says otherwise (more for a long hunt, fewer for a quick run); QuickTheories prints
 * the seed of a failure, and {@code -DQT_SEED=...} is not needed: pass {@code chainrule.seed} to replay one.
 */
public final class Properties {
    /** Examples per property by default. */
    public static final int EXAMPLES = 100;

    private Properties() {}

    /** QuickTheories with our example count and, if {@code chainrule.seed} is set, a fixed seed. */
    public static QuickTheory qt() {
        QuickTheory qt = QuickTheory.qt().withExamples(Integer.getInteger("chainrule.examples", EXAMPLES));
        String seed = System.getProperty("chainrule.seed");
        return seed == null ? qt : qt.withFixedSeed(Long.parseLong(seed));
    }

    /** Checks a case's graph at its inputs with GradCheck's defaults; fails with GradCheck's worst element. */
    public static void assertGradientsMatch(Case c) {
        GradCheck.defaults().check(c.graph(), c.inputs()).assertPassed();
    }

    /** Checks a case's second derivatives with GradCheck's defaults. */
    public static void assertSecondOrderGradientsMatch(Case c) {
        GradCheck.defaults().checkSecondOrder(c.graph(), c.inputs()).assertPassed();
    }
}
