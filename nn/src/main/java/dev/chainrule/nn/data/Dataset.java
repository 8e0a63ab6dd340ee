package dev.chainrule.nn.data;

import static com.google.common.base.Preconditions.checkArgument;
import static dev.chainrule.nn.data.Messages.count;

import dev.chainrule.core.Randoms;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.lang.ref.SoftReference;
import java.util.Arrays;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Examples for classification: a features matrix with one row per example, and one integer label per row, a
 * class in [0, {@link #classes()}). Immutable: the labels array is copied in and out, and a {@link Tensor} never
 * changes. No method accepts {@code null}.
 *
 * <pre>{@code
 * Dataset.Split parts = data.split(0.8, 42);   // 80% to train, 20% to validate, seeded
 * Tensor targets = parts.train().oneHot();     // (rows × classes) of 0s and 1s
 * }</pre>
 *
 * <p>A subset, a split part and a mini-batch keep the number of classes of the dataset they come from, so that
 * their one-hot matrices have the same width even when a class is missing from them.
 */
public final class Dataset {
    /** The most elements a Java array, and so a tensor, can hold on common JVMs: what a reader may build. */
    static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final Storage features;
    private final int[] labels;
    private final int classes;

    /**
     * A dataset with as many classes as the largest label needs: max label + 1 (0 when there are no rows).
     *
     * @param features a matrix (rows × features); shared, which is safe because tensors never change
     * @param labels one per row, each at least 0; copied
     * @throws IllegalArgumentException if the features are not a matrix, the counts of rows and labels differ,
     *     or a label is negative
     */
    public Dataset(Tensor features, int[] labels) {
        this(features, labels, classesOf(labels));
    }

    /**
     * A dataset with a given number of classes, for data in which some class may be absent (a test set, a
     * subset).
     *
     * @param features a matrix (rows × features); shared, which is safe because tensors never change
     * @param labels one per row, each in [0, classes); copied
     * @param classes the number of classes, at least 0
     * @throws IllegalArgumentException if the features are not a matrix, the counts of rows and labels differ,
     *     or a label is outside [0, classes)
     */
    public Dataset(Tensor features, int[] labels, int classes) {
        this(new Doubles(checkMatrix(features)), labels, classes);
    }

    /**
     * Images read as unsigned bytes, kept as bytes: each feature is {@code (values[i] & 0xFF) · scale}, computed
     * when rows are asked for, so that Fashion-MNIST's training images take 47 MB instead of 376.
     */
    static Dataset ofUnsignedBytes(byte[] values, int rows, int columns, double scale, int[] labels) {
        return new Dataset(new UnsignedBytes(values, rows, columns, scale), labels, classesOf(labels));
    }

    /** One class more than the largest label: the classes the labels show, 0 for none. */
    private static int classesOf(int[] labels) {
        return Arrays.stream(labels).max().orElse(-1) + 1;
    }

    private static Tensor checkMatrix(Tensor features) {
        checkArgument(features.rank() == 2, "Dataset: features must be a matrix (rows × features), got shape %s",
                features.shape());
        return features;
    }

    private Dataset(Storage features, int[] labels, int classes) {
        int rows = features.rows();
        if (labels.length != rows) {
            throw new IllegalArgumentException("Dataset: features " + Shape.of(rows, features.columns()) + " have "
                    + count(rows, "row") + " but there " + (labels.length == 1 ? "is " : "are ")
                    + count(labels.length, "label") + "; expected one label per row");
        }
        checkArgument(classes >= 0, "Dataset: the number of classes is %s; expected at least 0", classes);
        for (int i = 0; i < rows; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("Dataset: label " + labels[i] + " at row " + i
                        + " is outside [0, " + classes + "), the " + count(classes, "class", "classes"));
            }
        }
        this.features = features;
        this.labels = labels.clone();
        this.classes = classes;
    }

    /**
     * The number of examples.
     *
     * @return the number of rows, at least 0
     */
    public int size() {
        return labels.length;
    }

    /**
     * The number of features per example.
     *
     * @return the number of columns of {@link #features()}
     */
    public int featureCount() {
        return features.columns();
    }

    /**
     * The features, one row per example.
     *
     * @return the (rows × features) matrix. Tensors never change, so one given to the constructor is shared, not
     *     copied. Images read as bytes ({@link IdxReader}) are kept as bytes, an eighth of the memory; the first
     *     call makes their tensor of doubles, which is kept while memory allows (training reads batches through
     *     {@link #subset}, and never needs it)
     */
    public Tensor features() {
        return features.tensor();
    }

    /** Copies row i's features into {@code into}, of {@link #featureCount()} elements: for a pass over the rows. */
    void row(int i, double[] into) {
        features.row(i, into);
    }

    /**
     * The labels, one per row.
     *
     * @return a new array, which the caller owns
     */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * The number of classes: the width of {@link #oneHot()}.
     *
     * @return the number given, or max label + 1 when none was given
     */
    public int classes() {
        return classes;
    }

    /**
     * The same rows, features and labels, with another number of classes: for data in which some class may be
     * absent. The features are shared, however they are stored.
     *
     * @param newClasses the number of classes, above every label
     * @return a new dataset
     * @throws IllegalArgumentException if a label is outside [0, newClasses)
     */
    public Dataset withClasses(int newClasses) {
        return new Dataset(features, labels, newClasses);
    }

    /**
     * The given rows, in the given order.
     *
     * @param rows indices in [0, size()); a row may appear more than once (as in a bootstrap sample) or not at
     *     all. Only read
     * @return a new dataset of {@code rows.length} rows with the same number of classes
     * @throws IllegalArgumentException if an index is out of range
     */
    public Dataset subset(int... rows) {
        int[] subsetLabels = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int row = rows[i];
            if (row < 0 || row >= size()) {
                throw new IllegalArgumentException("Dataset.subset: row " + row + " at position " + i
                        + " is outside [0, " + size() + ")");
            }
            subsetLabels[i] = labels[row];
        }
        return new Dataset(features.gather(rows), subsetLabels, classes); // one array copy per row
    }

    /**
     * Splits the rows at random into a training part and a validation part, disjoint and together covering every
     * row; {@code split(f, seed)} is {@code split(f, Randoms.seeded(seed))}.
     *
     * @param trainFraction the share of rows that go to training, in [0, 1]
     * @param seed any value; the same seed gives the same split
     * @return the two parts
     * @throws IllegalArgumentException if the fraction is outside [0, 1] or NaN
     */
    public Split split(double trainFraction, long seed) {
        return split(trainFraction, Randoms.seeded(seed));
    }

    /**
     * Splits the rows at random into a training part of round(trainFraction · size()) rows and a validation part
     * of the rest. Which rows go where is random; within each part, rows keep the order they have here.
     *
     * @param trainFraction the share of rows that go to training, in [0, 1]
     * @param random the source, advanced by size() − 1 draws
     * @return the two parts, disjoint and together covering every row, each with this dataset's classes
     * @throws IllegalArgumentException if the fraction is outside [0, 1] or NaN
     */
    public Split split(double trainFraction, RandomGenerator random) {
        checkArgument(trainFraction >= 0 && trainFraction <= 1, "Dataset.split: training fraction %s is outside [0, 1]",
                trainFraction);
        int[] order = Shuffle.permutation(size(), random);
        int trainSize = (int) Math.round(trainFraction * size());
        int[] train = Arrays.copyOfRange(order, 0, trainSize);
        int[] validation = Arrays.copyOfRange(order, trainSize, order.length);
        Arrays.sort(train);
        Arrays.sort(validation);
        return new Split(subset(train), subset(validation));
    }

    /**
     * The labels as one-hot rows: row i holds 1 in column labels[i] and 0 elsewhere.
     *
     * @return a new (rows × classes) tensor
     */
    public Tensor oneHot() {
        double[] values = new double[Math.multiplyExact(size(), classes)];
        for (int i = 0; i < size(); i++) {
            values[i * classes + labels[i]] = 1;
        }
        return Tensor.of(Shape.of(size(), classes), values);
    }

    /**
     * Equal features (as {@link Tensor#equals} compares them, however they are stored), equal labels and equal
     * numbers of classes.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Dataset other && classes == other.classes && Arrays.equals(labels, other.labels)
                && sameFeatures(other);
    }

    /** features().equals(other.features()), element by element, without making either tensor. */
    private boolean sameFeatures(Dataset other) {
        if (features.rows() != other.features.rows() || features.columns() != other.features.columns()) {
            return false;
        }
        for (int i = 0; i < features.size(); i++) {
            if (Double.doubleToLongBits(features.get(i)) != Double.doubleToLongBits(other.features.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** features().hashCode() (31 · shape's hash + Arrays.hashCode of the elements), without making the tensor. */
    @Override
    public int hashCode() {
        int elements = 1;
        for (int i = 0; i < features.size(); i++) {
            long bits = Double.doubleToLongBits(features.get(i));
            elements = 31 * elements + (int) (bits ^ (bits >>> 32));
        }
        int featuresHash = 31 * Shape.of(features.rows(), features.columns()).hashCode() + elements;
        return 31 * (31 * featuresHash + Arrays.hashCode(labels)) + classes;
    }

    /** The sizes, e.g. {@code Dataset(60000 rows × 784 features, 10 classes)}. */
    @Override
    public String toString() {
        return "Dataset(" + count(size(), "row") + " × " + count(featureCount(), "feature") + ", "
                + count(classes, "class", "classes") + ")";
    }

    /** How the features are kept: a tensor of doubles, or unsigned bytes times a scale. */
    private sealed interface Storage permits Doubles, UnsignedBytes {
        int rows();

        int columns();

        /** rows · columns, at most 2³¹ − 1 (a tensor's or an array's limit). */
        default int size() {
            return rows() * columns();
        }

        /** All rows, as a tensor. */
        Tensor tensor();

        /** The given rows, kept the same way. */
        Storage gather(int[] rows);

        void row(int i, double[] into);

        /** Element i in row-major order. */
        double get(int i);
    }

    private record Doubles(Tensor values) implements Storage {
        @Override public int rows() { return values.shape().dim(0); }

        @Override public int columns() { return values.shape().dim(1); }

        @Override public Tensor tensor() { return values; }

        @Override public Storage gather(int[] rows) { return new Doubles(values.gatherRows(rows)); }

        @Override public void row(int i, double[] into) { values.view().get(i * into.length, into); }

        @Override public double get(int i) { return values.getFlat(i); }
    }

    /**
     * Row-major (rows × columns) unsigned bytes; feature i is {@code (values[i] & 0xFF) · scale}. The doubles of
     * {@link #tensor()} are kept softly, so that calling {@link Dataset#features()} again is free while memory
     * allows, and costs nothing when it does not.
     */
    private static final class UnsignedBytes implements Storage {
        private final byte[] values;
        private final int rows;
        private final int columns;
        private final double scale;
        private SoftReference<Tensor> doubles = new SoftReference<>(null);

        UnsignedBytes(byte[] values, int rows, int columns, double scale) {
            this.values = values;
            this.rows = rows;
            this.columns = columns;
            this.scale = scale;
        }

        @Override public int rows() { return rows; }

        @Override public int columns() { return columns; }

        @Override public synchronized Tensor tensor() {
            Tensor tensor = doubles.get();
            if (tensor == null) {
                double[] features = new double[values.length];
                for (int i = 0; i < features.length; i++) {
                    features[i] = get(i);
                }
                tensor = Tensor.adopt(Shape.of(rows, columns), features);
                doubles = new SoftReference<>(tensor);
            }
            return tensor;
        }

        @Override public Storage gather(int[] indices) {
            byte[] gathered = new byte[Shape.of(indices.length, columns).size()]; // refuses more than 2³¹ − 1
            for (int j = 0; j < indices.length; j++) {
                System.arraycopy(values, indices[j] * columns, gathered, j * columns, columns);
            }
            return new UnsignedBytes(gathered, indices.length, columns, scale);
        }

        @Override public void row(int i, double[] into) {
            for (int j = 0; j < columns; j++) {
                into[j] = get(i * columns + j);
            }
        }

        @Override public double get(int i) { return (values[i] & 0xFF) * scale; }
    }

    /**
     * The two parts of a {@link Dataset#split}: disjoint, and together holding every row of the dataset once.
     *
     * @param train the rows to fit on
     * @param validation the rows held out, to measure on
     */
    public record Split(Dataset train, Dataset validation) {}
}
