package dev.chainrule.nn.data;

import static dev.chainrule.nn.data.TestData.assertRefused;
import static dev.chainrule.nn.data.TestData.normalMatrix;
import static dev.chainrule.nn.data.TestData.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Standardize;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StandardizerTest {
    @Test
    void trainingColumnsComeOutWithMeanZeroAndStandardDeviationOne() {
        qt().forAll(integers().between(2, 50), integers().between(1, 5), longs().all()).checkAssert((m, d, seed) -> {
            Random random = new Random(seed);
            Tensor train = normalMatrix(random, m, d, random.nextGaussian() * 100, 0.1 + random.nextDouble() * 10);
            Tensor standardized = Standardizer.fit(train).apply(train);
            Tensor mean = standardized.mean(false, 0);
            Tensor variance = standardized.sub(mean).pow(2).mean(false, 0);
            assertTrue(mean.allClose(Tensor.zeros(d), 1e-9, 0), "means " + mean + " of " + train);
            assertTrue(variance.allClose(Tensor.ones(d), 1e-9, 1e-9), "variances " + variance + " of " + train);
        });
    }

    @Test
    void heldOutDataIsShiftedAndScaledByTheTrainingNumbersOnly() {
        Random random = new Random(1);
        Tensor train = normalMatrix(random, 200, 3, 5, 2);
        Tensor test = normalMatrix(random, 100, 3, 50, 20); // a very different distribution
        Standardizer standardizer = Standardizer.fit(train);
        Tensor expected = test.sub(train.mean(false, 0)).div(train.sub(train.mean(false, 0)).pow(2).mean(false, 0)
                .map(Math::sqrt));
        assertTrue(standardizer.apply(test).allClose(expected, 1e-12, 1e-12));
        // The test set's own statistics do not leak in: standardized, it is far from mean 0 and std 1.
        assertTrue(standardizer.apply(test).mean().item() > 10);
    }

    @Test
    void aStandardizerFittedOnTheTrainingPartIgnoresTheValidationPart() {
        Random random = new Random(2);
        Dataset data = new Dataset(normalMatrix(random, 100, 2, 0, 1), new int[100]);
        Dataset.Split split = data.split(0.8, 7);
        Dataset alteredValidation = new Dataset(split.validation().features().mul(1000), split.validation().labels());
        Standardizer fitted = Standardizer.fit(split.train());
        assertEquals(fitted.mean(), Standardizer.fit(split.train().features()).mean());
        // Replacing the validation rows changes nothing that training sees.
        assertEquals(Standardizer.fit(split.train()).std(), fitted.std());
        assertTrue(fitted.apply(alteredValidation).features().allClose(
                split.validation().features().mul(1000).sub(fitted.mean()).div(fitted.std()), 1e-12, 1e-12));
    }

    @Test
    void aConstantColumnBecomesExactlyZero() {
        // 0.1 three times has a mean of 0.10000000000000002 in floating point: σ must still count as 0.
        Tensor train = Tensor.matrix(new double[] {0.1, 1}, new double[] {0.1, 2}, new double[] {0.1, 3});
        Standardizer standardizer = Standardizer.fit(train);
        assertEquals(Tensor.vector(0.1, 2), standardizer.mean());
        assertEquals(1.0, standardizer.std().getFlat(0));
        Tensor standardized = standardizer.apply(train);
        for (int i = 0; i < 3; i++) {
            assertEquals(0.0, standardized.get(i, 0), "row " + i);
        }
        Tensor elsewhere = standardizer.apply(Tensor.matrix(new double[] {5.1, 2}));
        assertEquals(5.1 - 0.1, elsewhere.get(0, 0), "x − μ elsewhere");
    }

    @Test
    void refusesWhatItCannotStandardize() {
        assertRefused("Standardizer.fit: expected a matrix (rows × features) with at least 1 row, got shape (0, 2)",
                () -> Standardizer.fit(Tensor.zeros(0, 2)));
        assertRefused("Standardizer.fit: column 1 has mean NaN and standard deviation NaN; expected finite features",
                () -> Standardizer.fit(Tensor.matrix(new double[] {1, Double.NaN}, new double[] {2, 3})));
        assertRefused("Standardizer.apply: features (1, 3); expected a matrix with 2 columns, as the training data had",
                () -> Standardizer.fit(Tensor.zeros(2, 2)).apply(Tensor.zeros(1, 3)));
    }
    @Test
    void asAModuleItStandardizesEachBatchExactlyAsApplyDoes() {
        Tensor train = Tensor.matrix(new double[] {1, 10, 5}, new double[] {3, 20, 5}, new double[] {8, 0, 5});
        Tensor other = Tensor.matrix(new double[] {2, -4, 7}, new double[] {0.5, 11, 5});
        Standardizer standardizer = Standardizer.fit(train);

        Tensor asModule = standardizer.asModule().forward(Variable.constant(other)).value();

        assertEquals(standardizer.apply(other), asModule);
        assertTrue(standardizer.asModule().parameters().isEmpty(), "μ and σ are not trained");
    }
    @Test
    void aStandardizeLayerRefusesAZeroStandardDeviation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Standardize(Tensor.vector(0, 0), Tensor.vector(1, 0)));
        assertEquals("Standardize: column 1 has mean 0.0 and std 0.0; expected a finite mean and a positive, finite std",
                e.getMessage());
    }
}
