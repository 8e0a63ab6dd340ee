package dev.chainrule.nn.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.autodiff.GradMode;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Module;
import dev.chainrule.nn.data.Dataset;
import dev.chainrule.nn.metrics.ConfusionMatrix;
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
     * The classes a model predicts for some features.
     *
     * @param model the network
     * @param features a matrix (examples × features)
     * @return the class of highest output for each example
     */
    public static int[] predict(Module model, Tensor features) {
        checkNotNull(model, "Evaluation.predict: model is null");
        checkNotNull(features, "Evaluation.predict: features is null");
        return inEvaluationMode(model, () -> ConfusionMatrix.predictions(model.forward(Variable.constant(features)).value()));
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
