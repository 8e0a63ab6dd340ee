package dev.chainrule.autodiff;

import static com.google.common.base.Preconditions.checkArgument;

import dev.chainrule.core.Tensor;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * How traces, graph pictures and worked examples print numbers: a value with a short decimal form as it is
 * ({@code 0.05}, {@code 1}, and {@code 0.3925} for the double 0.39250000000000004), any other to a fixed number of
 * significant digits ({@code 0.18681560}).
 */
public final class Figures {
    /** Beyond these magnitudes a plain decimal gets long, so scientific notation is used. */
    private static final double PLAIN_BELOW = 1e9;
    private static final double PLAIN_FROM = 1e-6;
    /** Digits of a double beyond this many are taken for rounding noise when deciding whether a value is short. */
    private static final int NOISE_DIGITS = 12;
    /** Significant digits of the figures in traces and graph pictures. */
    private static final int DIGITS = 8;

    private Figures() {}

    /**
     * A number to at most {@code digits} significant digits, trailing zeros kept when rounding happened, so that
     * figures line up: {@code significant(0.1868156018, 8)} is {@code 0.18681560}, {@code significant(0.05, 8)}
     * is {@code 0.05}. A value within 12 significant digits of a shorter decimal prints as that decimal, so
     * that the rounding noise of doubles does not show. NaN and the infinities print as Java prints them.
     *
     * @param value the number
     * @param digits how many significant digits at most, positive
     * @return the number as text
     * @throws IllegalArgumentException if {@code digits} is not positive
     */
    public static String significant(double value, int digits) {
        checkArgument(digits > 0, "Figures.significant: digits is %s, expected a positive count", digits);
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        // 0.25·0.05 + 0.30·0.10 + 0.35 is 0.39250000000000004 in doubles: what is short to NOISE_DIGITS is short
        BigDecimal nearlyShort = new BigDecimal(value).round(new MathContext(Math.max(NOISE_DIGITS, digits)))
                .stripTrailingZeros();
        BigDecimal shown = nearlyShort.precision() <= digits ? nearlyShort
                : new BigDecimal(value).round(new MathContext(digits));
        double magnitude = Math.abs(value);
        boolean plain = magnitude == 0 || magnitude >= PLAIN_FROM && magnitude < PLAIN_BELOW;
        return plain ? shown.toPlainString() : shown.toString();
    }

    /** A figure of a trace or a graph picture: the value to {@link #DIGITS} significant digits. */
    static String figure(double value) {
        return significant(value, DIGITS);
    }

    /** A scalar as its figure, any other tensor as its shape and norm: {@code (4, 10) ‖·‖ = 3.1622777}. */
    static String summary(Tensor t) {
        return t.size() == 1 ? figure(t.item()) : t.shape() + " ‖·‖ = " + figure(norm(t));
    }

    /** The Euclidean (Frobenius) norm: √Σ t². */
    static double norm(Tensor t) {
        double sumOfSquares = 0;
        for (int i = 0; i < t.size(); i++) {
            sumOfSquares += t.getFlat(i) * t.getFlat(i);
        }
        return Math.sqrt(sumOfSquares);
    }
}
