package dev.chainrule.core;

import static dev.chainrule.core.TestSupport.assertTensorEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import org.apache.commons.math3.random.RandomGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.SourceDSL;

class RandomTensorTest {

    private static final Shape SHAPE = Shape.of(4, 5);

    @Test
    @Tag("property")
    void uniformWithTheSameSeedGivesEqualTensors() {
        qt().withExamples(50).forAll(TestSupport.seeds()).checkAssert(seed -> {
            Tensor a = Tensor.uniform(Randoms.seeded(seed), -1, 1, SHAPE);
            Tensor b = Tensor.uniform(Randoms.seeded(seed), -1, 1, SHAPE);
            assertTensorEquals(a, b);
            assertEquals(a, b);
        });
    }

    @Test
    @Tag("property")
    void normalWithTheSameSeedGivesEqualTensors() {
        qt().withExamples(50).forAll(TestSupport.seeds()).checkAssert(seed -> {
            assertTensorEquals(Tensor.normal(Randoms.seeded(seed), 0, 1, SHAPE),
                    Tensor.normal(Randoms.seeded(seed), 0, 1, SHAPE));
        });
    }

    @Test
    @Tag("property")
    void differentSeedsGiveDifferentTensors() {
        qt().withExamples(50).forAll(TestSupport.seeds(), TestSupport.seeds())
                .assuming((s, t) -> !s.equals(t))
                .checkAssert((s, t) -> {
                    assertNotEquals(Tensor.uniform(Randoms.seeded(s), 0, 1, SHAPE),
                            Tensor.uniform(Randoms.seeded(t), 0, 1, SHAPE));
                    assertNotEquals(Tensor.normal(Randoms.seeded(s), 0, 1, SHAPE),
                            Tensor.normal(Randoms.seeded(t), 0, 1, SHAPE));
                });
    }

    @Test
    void neighbouringSeedsGiveDifferentTensors() {
        assertNotEquals(Tensor.uniform(Randoms.seeded(0), 0, 1, SHAPE), Tensor.uniform(Randoms.seeded(1), 0, 1, SHAPE));
        assertNotEquals(Tensor.uniform(Randoms.seeded(42), 0, 1, SHAPE),
                Tensor.uniform(Randoms.seeded(43), 0, 1, SHAPE));
    }

    @Test
    void oneGeneratorDrawnTwiceGivesDifferentTensors() {
        RandomGenerator random = Randoms.seeded(7);
        Tensor first = Tensor.uniform(random, 0, 1, SHAPE);
        Tensor second = Tensor.uniform(random, 0, 1, SHAPE);
        assertNotEquals(first, second);
        assertEquals(first, Tensor.uniform(Randoms.seeded(7), 0, 1, SHAPE));
    }

    @Test
    @Tag("property")
    void uniformValuesLieInTheHalfOpenInterval() {
        qt().withExamples(100)
                .forAll(TestSupport.seeds(), SourceDSL.doubles().between(-100, 100), SourceDSL.doubles().between(0.001, 50))
                .checkAssert((seed, low, width) -> {
                    double high = low + width;
                    Tensor t = Tensor.uniform(Randoms.seeded(seed), low, high, Shape.of(10, 10));
                    assertEquals(Shape.of(10, 10), t.shape());
                    for (int i = 0; i < t.size(); i++) {
                        double v = t.getFlat(i);
                        assertTrue(v >= low && v < high, () -> v + " is outside [" + low + ", " + high + ")");
                    }
                });
    }

    @Test
    void uniformSampleMeanAndSpreadAreRoughlyRight() {
        Tensor t = Tensor.uniform(Randoms.seeded(2024), 2, 6, Shape.of(10_000));
        double[] v = t.toArray();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (double x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
            sum += x;
        }
        assertEquals(4.0, sum / v.length, 0.1);
        assertTrue(min >= 2 && min < 2.01, "min " + min);
        assertTrue(max < 6 && max > 5.99, "max " + max);
    }

    @Test
    void normalSampleMeanAndStandardDeviationAreRoughlyRight() {
        double mean = 3;
        double std = 2;
        Tensor t = Tensor.normal(Randoms.seeded(99), mean, std, Shape.of(100, 100));
        assertEquals(Shape.of(100, 100), t.shape());
        double[] v = t.toArray();
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        double sampleMean = sum / v.length;
        double squares = 0;
        for (double x : v) {
            squares += (x - sampleMean) * (x - sampleMean);
        }
        double sampleStd = Math.sqrt(squares / (v.length - 1));
        // The standard error of the mean is std / 100 = 0.02; allow five of them. The std is tighter still.
        assertEquals(mean, sampleMean, 0.1);
        assertEquals(std, sampleStd, 0.1);
    }

    @Test
    void degenerateAndInvalidParameters() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> Tensor.uniform(Randoms.seeded(1), 3, 3, Shape.of(5)));
        assertTrue(empty.getMessage().contains("must be below"), empty.getMessage()); // [3, 3) holds no number
        assertTensorEquals(Tensor.full(Shape.of(5), -1), Tensor.normal(Randoms.seeded(1), -1, 0, Shape.of(5)));
        IllegalArgumentException low = assertThrows(IllegalArgumentException.class,
                () -> Tensor.uniform(Randoms.seeded(1), 2, 1, Shape.of(3)));
        assertTrue(low.getMessage().contains("Tensor.uniform"), low.getMessage());
        IllegalArgumentException std = assertThrows(IllegalArgumentException.class,
                () -> Tensor.normal(Randoms.seeded(1), 0, -1, Shape.of(3)));
        assertTrue(std.getMessage().contains("Tensor.normal"), std.getMessage());
    }
}
