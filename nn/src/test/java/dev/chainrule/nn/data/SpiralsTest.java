package dev.chainrule.nn.data;

import static dev.chainrule.nn.data.TestData.assertRefused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.core.Randoms;
import org.junit.jupiter.api.Test;

class SpiralsTest {
    @Test
    void pointsLieOnTheirClassesArmWhenThereIsNoNoise() {
        double turns = 1.5;
        Dataset data = Spirals.generate(50, turns, 0, Randoms.seeded(3));
        assertEquals(100, data.size());
        assertEquals(2, data.featureCount());
        assertEquals(2, data.classes());
        for (int row = 0; row < data.size(); row++) {
            double x = data.features().get(row, 0);
            double y = data.features().get(row, 1);
            double radius = Math.hypot(x, y);
            int label = data.labels()[row];
            assertEquals(row % 2, label, "classes alternate");
            assertTrue(radius >= 0.05 - 1e-12 && radius <= 1 + 1e-12, "radius " + radius);
            // The angle of a point on arm c is cπ + 2π·turns·r, up to whole turns.
            double expected = label * Math.PI + 2 * Math.PI * turns * radius;
            double offTheArm = Math.IEEEremainder(Math.atan2(y, x) - expected, 2 * Math.PI);
            assertEquals(0, offTheArm, 1e-9, "row " + row);
        }
    }

    @Test
    void theSameSeedGivesTheSamePointsAndAnotherSeedOthers() {
        Dataset a = Spirals.generate(20, 2, 0.1, Randoms.seeded(7));
        Dataset b = Spirals.generate(20, 2, 0.1, Randoms.seeded(7));
        Dataset c = Spirals.generate(20, 2, 0.1, Randoms.seeded(8));
        assertEquals(a, b);
        assertTrue(!a.equals(c));
        assertArrayEquals(a.labels(), c.labels());
    }

    @Test
    void noiseMovesEachCoordinateByAGaussianOfTheGivenStandardDeviation() {
        double noise = 0.05;
        Dataset clean = Spirals.generate(2000, 1, 0, Randoms.seeded(5));
        Dataset noisy = Spirals.generate(2000, 1, noise, Randoms.seeded(5));
        double sum = 0;
        double sumOfSquares = 0;
        int n = 0;
        for (int row = 0; row < clean.size(); row++) {
            for (int j = 0; j < 2; j++) {
                double d = noisy.features().get(row, j) - clean.features().get(row, j);
                sum += d;
                sumOfSquares += d * d;
                n++;
            }
        }
        // 8000 draws: the sample mean is within 4 standard errors of 0, the sample deviation within 5%.
        assertEquals(0, sum / n, 4 * noise / Math.sqrt(n));
        assertEquals(noise, Math.sqrt(sumOfSquares / n), 0.05 * noise);
    }

    @Test
    void argumentsOutOfRangeAreRefusedNamingThem() {
        assertRefused("Spirals: 0 points per class; expected at least 1",
                () -> Spirals.generate(0, 1, 0, Randoms.seeded(1)));
        assertRefused("Spirals: -1.0 turns; expected a positive number",
                () -> Spirals.generate(1, -1, 0, Randoms.seeded(1)));
        assertRefused("Spirals: noise NaN; expected at least 0",
                () -> Spirals.generate(1, 1, Double.NaN, Randoms.seeded(1)));
    }
}
