package dev.chainrule.autodiff.testing;

import dev.chainrule.autodiff.GradCheck;
import org.quicktheories.QuickTheory;

/**
 * Settings shared by every property. Each runs {@value #EXAMPLES} examples unless the system property
 * {@code chainrule.examples} says otherwise (more for a long hunt, fewer for a quick run). A failure prints
 * QuickTheories' seed; {@code -DQT_SEED=<seed>} replays exactly that run.
 */
public final class Properties {
    /** Examples per property by default. */
    public static final int EXAMPLES = 100;

    private Properties() {}

    /** QuickTheories with our example count; the seed is QuickTheories' own (random, or QT_SEED). */
    public static QuickTheory qt() {
        return QuickTheory.qt().withExamples(Integer.getInteger("chainrule.examples", EXAMPLES));
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
