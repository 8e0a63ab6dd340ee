package dev.chainrule.nn.metrics;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.core.Tensor;
import java.util.Arrays;

/**
 * Counts of (true class, predicted class) pairs, and the metrics read from them: accuracy, and per class precision,
 * recall and F1. Immutable.
 */
public final class ConfusionMatrix {
    private final long[][] counts;
    private final long total;

    private ConfusionMatrix(long[][] counts, long total) {
        this.counts = counts;
        this.total = total;
    }

    /**
     * @param actual the true class of each example, in [0, classes)
     * @param predicted the predicted class of each example, in [0, classes)
     * @param classes the number of classes, positive
     * @return the matrix
     * @throws IllegalArgumentException if the lengths differ or a class is out of range, naming the example
     */
    public static ConfusionMatrix of(int[] actual, int[] predicted, int classes) {
        checkNotNull(actual, "ConfusionMatrix: actual is null");
        checkNotNull(predicted, "ConfusionMatrix: predicted is null");
        checkArgument(classes > 0, "ConfusionMatrix: needs at least one class, got %s", classes);
        checkArgument(actual.length == predicted.length, "ConfusionMatrix: %s true classes but %s predictions",
                actual.length, predicted.length);
        long[][] counts = new long[classes][classes];
        for (int i = 0; i < actual.length; i++) {
            checkArgument(actual[i] >= 0 && actual[i] < classes && predicted[i] >= 0 && predicted[i] < classes,
                    "ConfusionMatrix: example %s has true class %s and prediction %s, outside [0, %s)", i, actual[i],
                    predicted[i], classes);
            counts[actual[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(counts, actual.length);
    }

    /**
     * The class of highest score in each row, the first at ties: a classifier's predictions from its logits or
     * probabilities.
     *
     * @param scores a matrix (examples × classes)
     * @return one class per row
     */
    public static int[] predictions(Tensor scores) {
        checkNotNull(scores, "ConfusionMatrix.predictions: scores is null");
        checkArgument(scores.rank() == 2 && scores.shape().dim(1) > 0,
                "ConfusionMatrix.predictions: scores must be a matrix (examples × classes), got %s", scores.shape());
        Tensor argmax = scores.argmax(1);
        int[] classes = new int[argmax.size()];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = (int) argmax.getFlat(i);
        }
        return classes;
    }

    /**
     * @return the number of classes
     */
    public int classes() {
        return counts.length;
    }

    /**
     * @param actual a true class
     * @param predicted a predicted class
     * @return how many examples of class {@code actual} were predicted as {@code predicted}
     */
    public long count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /**
     * @return the share of examples predicted right; NaN when there are none
     */
    public double accuracy() {
        long right = 0;
        for (int c = 0; c < counts.length; c++) {
            right += counts[c][c];
        }
        return (double) right / total;
    }

    /**
     * @param c a class
     * @return of the examples predicted as c, the share that are c; NaN when none was predicted as c
     */
    public double precision(int c) {
        long predicted = 0;
        for (long[] row : counts) {
            predicted += row[c];
        }
        return (double) counts[c][c] / predicted;
    }

    /**
     * @param c a class
     * @return of the examples of class c, the share predicted as c; NaN when there is none
     */
    public double recall(int c) {
        long actual = 0;
        for (long n : counts[c]) {
            actual += n;
        }
        return (double) counts[c][c] / actual;
    }

    /**
     * @param c a class
     * @return the harmonic mean of precision and recall, 2PR / (P + R); 0 when both are 0 or either is undefined
     *     (no example predicted as c, or none of class c), as scikit-learn's default counts it
     */
    public double f1(int c) {
        double p = precision(c), r = recall(c);
        return Double.isNaN(p) || Double.isNaN(r) || p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /**
     * @param o another object
     * @return whether it is a confusion matrix with the same counts
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix m && Arrays.deepEquals(counts, m.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(counts);
    }

    /**
     * A table: true classes down, predictions across, then precision, recall and F1 per class.
     *
     * @return the table, one line per class
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format("%8s", "true\\pred"));
        for (int c = 0; c < counts.length; c++) {
            sb.append(String.format(" %7d", c));
        }
        sb.append("  precision  recall      F1\n");
        for (int a = 0; a < counts.length; a++) {
            sb.append(String.format("%9d", a));
            for (long n : counts[a]) {
                sb.append(String.format(" %7d", n));
            }
            sb.append(String.format("  %9.4f %7.4f %7.4f%n", precision(a), recall(a), f1(a)));
        }
        return sb.append(String.format("accuracy %.4f over %d examples", accuracy(), total)).toString();
    }
}
