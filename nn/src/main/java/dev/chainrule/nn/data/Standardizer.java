package dev.chainrule.nn.data;

import static com.google.common.base.Preconditions.checkArgument;

import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Standardize;
import java.nio.DoubleBuffer;
import java.util.Arrays;

/**
 * Standardisation x′ = (x − μ) / σ, column by column, with μ and σ measured on training data only. {@link #fit}
 * measures them and returns the standardizer; {@link #apply} then transforms any data, training, validation or
 * test, with those same numbers, so that nothing about the held-out data leaks into training:
 *
 * <pre>{@code
 * Standardizer standardizer = Standardizer.fit(parts.train());
 * Dataset train = standardizer.apply(parts.train());          // each column: mean 0, standard deviation 1
 * Dataset validation = standardizer.apply(parts.validation()); // shifted and scaled by the training numbers
 * }</pre>
 *
 * <p>σ is the population standard deviation (dividing by the number of rows, as scikit-learn's StandardScaler
 * does). A column that is constant in the training data has σ = 0; it gets σ = 1 and μ = its value instead, so
 * that it becomes exactly 0 on the training data, and x − μ elsewhere, rather than NaN. A column whose σ
 * underflows to 0 also gets σ = 1. Immutable.
 */
public final class Standardizer {
    private static final String ROWS_EXPECTED =
            "Standardizer.fit: expected a matrix (rows × features) with at least 1 row, got shape %s";

    private final Tensor mean;
    private final Tensor std;

    private Standardizer(Tensor mean, Tensor std) {
        this.mean = mean;
        this.std = std;
    }

    /**
     * Measures each column's mean and standard deviation.
     *
     * @param features the training features (rows × features), at least one row, every element finite
     * @return a standardizer for data with the same number of columns
     * @throws IllegalArgumentException if the features are not a matrix, have no rows, or hold NaN or an
     *     infinity (or values so large that their variance overflows)
     */
    public static Standardizer fit(Tensor features) {
        checkArgument(features.rank() == 2, ROWS_EXPECTED, features.shape());
        int d = features.shape().dim(1);
        DoubleBuffer elements = features.view();
        return fit(features.shape().dim(0), d, (i, into) -> elements.get(i * d, into));
    }

    /** Reads row i into an array of the row's length. */
    @FunctionalInterface
    private interface Rows {
        void read(int i, double[] into);
    }

    /** Two passes over m rows of d features, one row at a time: the means and ranges, then the variances. */
    private static Standardizer fit(int m, int d, Rows rows) {
        checkArgument(m >= 1, ROWS_EXPECTED, Shape.of(m, d));
        double[] row = new double[d];
        double[] mean = new double[d], min = new double[d], max = new double[d];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < m; i++) {
            rows.read(i, row);
            for (int j = 0; j < d; j++) {
                double x = row[j];
                mean[j] += x;
                min[j] = Math.min(min[j], x);
                max[j] = Math.max(max[j], x);
            }
        }
        double[] variance = new double[d];
        for (int j = 0; j < d; j++) {
            mean[j] /= m;
        }
        for (int i = 0; i < m; i++) {
            rows.read(i, row);
            for (int j = 0; j < d; j++) {
                double deviation = row[j] - mean[j];
                variance[j] += deviation * deviation;
            }
        }
        double[] std = new double[d];
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(variance[j] / m);
            checkArgument(Double.isFinite(mean[j]) && Double.isFinite(std[j]),
                    "Standardizer.fit: column %s has mean %s and standard deviation %s; expected finite features",
                    j, mean[j], std[j]);
            // Checked on the values, not on σ: the mean of a constant column may be off by rounding, which would
            // leave σ ≈ 1e-17 and turn the column into ±1 instead of 0.
            if (min[j] == max[j] || std[j] == 0) {
                mean[j] = min[j] == max[j] ? min[j] : mean[j];
                std[j] = 1;
            }
        }
        return new Standardizer(Tensor.vector(mean), Tensor.vector(std));
    }

    /**
     * Measures each column of the training data's features; labels play no part.
     *
     * @param train the training data, at least one row, every feature finite
     * @return a standardizer for data with the same number of features
     * @throws IllegalArgumentException as {@link #fit(Tensor)}
     */
    public static Standardizer fit(Dataset train) {
        return fit(train.size(), train.featureCount(), train::row); // row by row: images stay bytes
    }

    /**
     * (x − μ) / σ for every row, with the μ and σ of the training data.
     *
     * @param features any number of rows, with the column count of the training data
     * @return a new tensor of the same shape
     * @throws IllegalArgumentException if the features are not a matrix or their column count differs
     */
    public Tensor apply(Tensor features) {
        checkArgument(features.rank() == 2 && features.shape().dim(1) == mean.size(),
                "Standardizer.apply: features %s; expected a matrix with %s columns, as the training data had",
                features.shape(), mean.size());
        return features.sub(mean).div(std);
    }

    /**
     * The same rows with standardized features and unchanged labels and classes.
     *
     * @param data any rows with the feature count of the training data
     * @return a new dataset
     * @throws IllegalArgumentException if the feature count differs
     */
    public Dataset apply(Dataset data) {
        return new Dataset(apply(data.features()), data.labels(), data.classes());
    }

    /**
     * This standardization as a network's first layer: each batch is standardized as it passes, so that a large
     * dataset is not copied whole (Fashion-MNIST's features take 376 MB as doubles). The result is the same, number
     * for number, as {@link #apply(Tensor)}.
     *
     * @return a module computing (x − μ) / σ with this standardizer's μ and σ
     */
    public Standardize asModule() {
        return new Standardize(mean, std);
    }

    /**
     * The mean μ of each column of the training data.
     *
     * @return a vector (features)
     */
    public Tensor mean() {
        return mean;
    }

    /**
     * The standard deviation σ of each column of the training data, 1 where it was 0.
     *
     * @return a vector (features), every element positive
     */
    public Tensor std() {
        return std;
    }

    /** The fitted numbers, e.g. {@code Standardizer(mean [0.5, 2.0], std [1.0, 0.25])}. */
    @Override
    public String toString() {
        return "Standardizer(mean " + mean + ", std " + std + ")";
    }
}
