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

    /**
     * QuickTheories with our example count; the seed is QuickTheories' own (random, or QT_SEED).
     *
     * @return a new QuickTheory running {@value #EXAMPLES} examples, or {@code -Dchainrule.examples} of them
     */
    public static QuickTheory qt() {
        return QuickTheory.qt().withExamples(Integer.getInteger("chainrule.examples", EXAMPLES));
    }

    /**
     * Checks a case's graph at its inputs with GradCheck's defaults, the random parts drawn from the case's own
     * {@link Case#seed()}: every combination of parameter and constant inputs, a random upstream gradient (never 1),
     * tight tolerances.
     *
     * @param c the case
     * @throws AssertionError with GradCheck's worst element if the check fails
     */
    public static void assertGradientsMatch(Case c) {
        GradCheck.defaults().seed(c.seed()).check(c.graph(), c.inputs()).assertPassed();
    }

    /**
     * Checks a case whose graph has a kink at {@code kink} (in terms of its inputs' values) with one-sided
     * differences on each element's own side of it, as {@link GradCheck#kinkAt} does: for inputs at or near a
     * kink, where central differences would straddle it.
     *
     * @param c the case
     * @param kink where the derivative jumps
     * @throws AssertionError with GradCheck's worst element if the check fails
     */
    public static void assertGradientsMatchAroundKink(Case c, double kink) {
        GradCheck.defaults().seed(c.seed()).kinkAt(kink).check(c.graph(), c.inputs()).assertPassed();
    }

    /**
     * Checks a case's second derivatives against finite differences of its plain first derivatives, with the
     * random parts drawn from the case's own {@link Case#seed()}.
     *
     * @param c the case
     * @throws AssertionError with GradCheck's worst element if the check fails
     */
    public static void assertSecondOrderGradientsMatch(Case c) {
        GradCheck.defaults().seed(c.seed()).checkSecondOrder(c.graph(), c.inputs()).assertPassed();
    }
}
