package dev.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chainrule.core.Tensor;
import org.junit.jupiter.api.Test;

class FiguresTest {
    @Test
    void shortDecimalsPrintAsTheyAreEvenThroughRoundingNoise() {
        assertEquals("0.05", Figures.significant(0.05, 8));
        assertEquals("1", Figures.significant(1.0, 8));
        assertEquals("0.3925", Figures.significant(0.25 * 0.05 + 0.30 * 0.10 + 0.35, 8)); // 0.39250000000000004
        assertEquals("0", Figures.significant(0.0, 8));
    }

    @Test
    void otherNumbersRoundToTheSignificantDigitsKeepingTrailingZeros() {
        assertEquals("0.18681560", Figures.significant(0.1868156018, 8));
        assertEquals("0.298371109", Figures.significant(0.2983711087600027, 9));
        assertEquals("-0.022602540", Figures.significant(-0.0226025403, 8));
        assertEquals("0.0000351018778", Figures.significant(3.510187782978859e-05, 9));
    }

    @Test
    void extremeMagnitudesUseScientificNotationAndNonFiniteValuesPrintAsJavaDoes() {
        assertEquals("1.2345679E+12", Figures.significant(1.23456789e12, 8));
        assertEquals("1E-9", Figures.significant(1e-9, 8));
        assertEquals("NaN", Figures.significant(Double.NaN, 8));
        assertEquals("-Infinity", Figures.significant(Double.NEGATIVE_INFINITY, 8));
    }

    @Test
    void aTensorSummaryIsItsShapeAndNormAndAScalarsIsItsValue() {
        assertEquals("(2) ‖·‖ = 5", Figures.summary(Tensor.vector(3, 4)));
        assertEquals("0.5", Figures.summary(Tensor.scalar(0.5)));
    }

    @Test
    void digitsMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Figures.significant(1, 0));
        assertEquals("Figures.significant: digits is 0, expected a positive count", e.getMessage());
    }
}
