package dev.chainrule.nn.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.autodiff.GradMode;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Module;
import dev.chainrule.nn.data.Dataset;
import dev.chainrule.nn.metrics.ConfusionMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * A model scored on a dataset: its loss and its confusion matrix (accuracy, precision, recall, F1). Computed in
 * evaluation mode (no dropout) and under no-grad, in batches.
 *
 * @param loss the loss averaged over the examples
 * @param confusion true classes against the classes of highest output
 */
public record Evaluation(double loss, ConfusionMatrix confusion) {
    /** Rows run at once by {@link #predict} and {@link #probabilities}: bounds the activations held in memory. */
    private static final int ROWS_AT_ONCE = 1000;

    /**
     * @return the share of examples predicted right
     */
    public double accuracy() {
        return confusion.accuracy();
    }

    /**
     * Scores {@code model} on {@code data}; the model's training or evaluation mode is restored afterwards.
     *
     * @param model the network; its output has one score per class
     * @param data the examples
     * @param loss the loss to average
     * @param batchSize how many examples to run at once
     * @return the evaluation
     */
    public static Evaluation of(Module model, Dataset data, Loss loss, int batchSize) {
        checkArgument(batchSize > 0, "Evaluation: the batch size must be positive, got %s", batchSize);
        checkNotNull(model, "Evaluation: model is null");
        checkNotNull(data, "Evaluation: data is null");
        checkNotNull(loss, "Evaluation: loss is null");
        checkArgument(data.size() > 0, "Evaluation: the dataset is empty");
        return inEvaluationMode(model, () -> score(model, data, loss, batchSize));
    }

    private static Evaluation score(Module model, Dataset data, Loss loss, int batchSize) {
        double total = 0;
        int[] predicted = new int[data.size()];
        int[] actual = new int[data.size()];
        int offset = 0;
        int outputs = 1;
        for (int start = 0; start < data.size(); start += batchSize) {
            Dataset batch = data.subset(IntStream.range(start, Math.min(start + batchSize, data.size())).toArray());
            Variable output = model.forward(Variable.constant(batch.features()));
            total += loss.of(output, batch).item() * batch.size();
            outputs = output.shape().dim(1);
            int[] classes = ConfusionMatrix.predictions(output.value());
            System.arraycopy(classes, 0, predicted, offset, classes.length);
            System.arraycopy(batch.labels(), 0, actual, offset, classes.length);
            offset += classes.length;
        }
        // As many classes as the model scores, even when the data lacks the last ones (a small test set).
        return new Evaluation(total / data.size(), ConfusionMatrix.of(actual, predicted, Math.max(data.classes(), outputs)));
    }

    /**
     * The classes a model predicts for some features, computed in evaluation mode under no-grad, in batches.
     *
     * @param model the network
     * @param features a matrix (examples × features), at least one row
     * @return the class of highest output for each example
     */
    public static int[] predict(Module model, Tensor features) {
        return ConfusionMatrix.predictions(outputs("Evaluation.predict", model, features));
    }

    /**
     * The probability a model gives each class for some features: the softmax of its outputs (its logits), computed
     * in evaluation mode under no-grad, in batches. The class of highest probability is {@link #predict}'s.
     *
     * @param model the network; its output has one logit per class
     * @param features a matrix (examples × features), at least one row
     * @return a new matrix (examples × classes) whose rows sum to 1 up to rounding
     */
    public static Tensor probabilities(Module model, Tensor features) {
        return outputs("Evaluation.probabilities", model, features).softmax();
    }

    /** The model's outputs for every row, {@value #ROWS_AT_ONCE} rows at a time, the mode restored afterwards. */
    private static Tensor outputs(String operation, Module model, Tensor features) {
        checkNotNull(model, "%s: model is null", operation);
        checkNotNull(features, "%s: features is null", operation);
        checkArgument(features.rank() == 2 && features.shape().dim(0) > 0,
                "%s: features %s: expected a matrix (examples × features) with at least one row", operation,
                features.shape());
        int rows = features.shape().dim(0);
        return inEvaluationMode(model, () -> {
            List<Tensor> outputs = new ArrayList<>();
            for (int start = 0; start < rows; start += ROWS_AT_ONCE) {
                Tensor batch = features.slice(0, start, Math.min(start + ROWS_AT_ONCE, rows));
                outputs.add(model.forward(Variable.constant(batch)).value());
            }
            return Tensor.concat(0, outputs.toArray(new Tensor[0]));
        });
    }

    /** Runs {@code work} in evaluation mode under no-grad, then puts the model back in the mode it was in. */
    private static <T> T inEvaluationMode(Module model, Supplier<T> work) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return work.get();
        } finally {
            if (wasTraining) {
                model.train();
            }
        }
    }
}
