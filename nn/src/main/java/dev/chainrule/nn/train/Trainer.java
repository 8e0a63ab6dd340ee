package dev.chainrule.nn.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.autodiff.Variable;
import dev.chainrule.nn.Module;
import dev.chainrule.nn.data.Batches;
import dev.chainrule.nn.data.Dataset;
import dev.chainrule.nn.metrics.ConfusionMatrix;
import dev.chainrule.nn.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Mini-batch training: for each epoch, seeded shuffled batches; for each batch, forward, loss, backward, one
 * optimizer step. Optionally scores a validation set after each epoch and stops early when its loss has not
 * improved for a number of epochs. Listeners see the run (progress, a line per epoch); the loop itself stays
 * short. Same model, seed and data ⇒ the same {@link History}, bit for bit.
 *
 * <pre>{@code
 * History history = Trainer.of(net, Adam.adam(net.parameters(), LearningRate.constant(1e-3)), Loss.softmaxCrossEntropy())
 *         .epochs(10).batchSize(128).seed(42).validation(validation).listener(new EpochLog(System.out))
 *         .fit(train);
 * }</pre>
 */
public final class Trainer {
    private final Module model;
    private final Optimizer optimizer;
    private final Loss loss;
    private int epochs = 10;
    private int batchSize = 32;
    private long seed;
    private Dataset validation;
    private int patience;
    private final List<TrainingListener> listeners = new ArrayList<>();

    private Trainer(Module model, Optimizer optimizer, Loss loss) {
        this.model = checkNotNull(model, "Trainer: model is null");
        this.optimizer = checkNotNull(optimizer, "Trainer: optimizer is null");
        this.loss = checkNotNull(loss, "Trainer: loss is null");
    }

    /**
     * @param model the network to train; its output has one score per class
     * @param optimizer the optimizer over the model's parameters
     * @param loss what to minimize
     * @return a trainer with 10 epochs, batches of 32, seed 0, no validation set, no early stopping, no listener
     */
    public static Trainer of(Module model, Optimizer optimizer, Loss loss) {
        return new Trainer(model, optimizer, loss);
    }

    /**
     * @param count how many epochs to run at most, positive
     * @return this
     */
    public Trainer epochs(int count) {
        checkArgument(count > 0, "Trainer: epochs must be positive, got %s", count);
        this.epochs = count;
        return this;
    }

    /**
     * @param size examples per batch, positive; the last batch of an epoch may hold fewer
     * @return this
     */
    public Trainer batchSize(int size) {
        checkArgument(size > 0, "Trainer: the batch size must be positive, got %s", size);
        this.batchSize = size;
        return this;
    }

    /**
     * @param value the seed of the batches' order (the model's initial weights and dropout have their own)
     * @return this
     */
    public Trainer seed(long value) {
        this.seed = value;
        return this;
    }

    /**
     * @param data examples to score after each epoch, never trained on
     * @return this
     */
    public Trainer validation(Dataset data) {
        this.validation = checkNotNull(data, "Trainer: validation data is null");
        return this;
    }

    /**
     * Stops when the validation loss has not improved for {@code epochs} epochs in a row (needs a validation set).
     *
     * @param epochs the patience, positive
     * @return this
     */
    public Trainer earlyStopping(int epochs) {
        checkArgument(epochs > 0, "Trainer: the early-stopping patience must be positive, got %s", epochs);
        this.patience = epochs;
        return this;
    }

    /**
     * @param listener sees every epoch and batch
     * @return this
     */
    public Trainer listener(TrainingListener listener) {
        listeners.add(checkNotNull(listener, "Trainer: listener is null"));
        return this;
    }

    /**
     * Trains the model on {@code train}, in place.
     *
     * @param train the training examples
     * @return the figures of every epoch run
     */
    public History fit(Dataset train) {
        checkNotNull(train, "Trainer.fit: train is null");
        checkArgument(train.size() > 0, "Trainer.fit: the training set is empty");
        checkArgument(patience == 0 || validation != null, "Trainer.fit: early stopping needs a validation set");
        Batches batches = new Batches(train, batchSize, seed);
        List<EpochResult> results = new ArrayList<>();
        double bestValidationLoss = Double.POSITIVE_INFINITY;
        int epochsWithoutImprovement = 0;
        boolean stoppedEarly = false;
        model.train();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            EpochResult result = runEpoch(epoch, batches);
            double seconds = (System.nanoTime() - start) / 1e9;
            results.add(result);
            for (TrainingListener l : listeners) {
                l.epochFinished(result, seconds, train.size() / seconds);
            }
            if (result.hasValidation() && result.validationLoss() < bestValidationLoss) {
                bestValidationLoss = result.validationLoss();
                epochsWithoutImprovement = 0;
            } else if (patience > 0 && ++epochsWithoutImprovement >= patience) {
                stoppedEarly = epoch < epochs;
                break;
            }
        }
        History history = new History(results, stoppedEarly);
        listeners.forEach(l -> l.trainingFinished(history));
        return history;
    }

    private EpochResult runEpoch(int epoch, Batches batches) {
        List<Dataset> epochBatches = batches.epoch(epoch - 1);
        listeners.forEach(l -> l.epochStarted(epoch, epochs, epochBatches.size()));
        double lossSum = 0;
        long right = 0, seen = 0;
        for (int b = 0; b < epochBatches.size(); b++) {
            Dataset batch = epochBatches.get(b);
            optimizer.clearGrads();
            Variable output = model.forward(Variable.constant(batch.features()));
            Variable batchLoss = loss.of(output, batch);
            batchLoss.backward();
            optimizer.step();
            double value = batchLoss.item();
            lossSum += value * batch.size();
            right += correct(output, batch);
            seen += batch.size();
            int number = b + 1;
            listeners.forEach(l -> l.batchFinished(epoch, number, batch.size(), value));
        }
        double validationLoss = Double.NaN, validationAccuracy = Double.NaN;
        if (validation != null) {
            Evaluation scored = Evaluation.of(model, validation, loss, Math.max(batchSize, 256));
            validationLoss = scored.loss();
            validationAccuracy = scored.accuracy();
        }
        return new EpochResult(epoch, lossSum / seen, (double) right / seen, validationLoss, validationAccuracy,
                optimizer.lastLearningRate());
    }

    private static long correct(Variable output, Dataset batch) {
        int[] predicted = ConfusionMatrix.predictions(output.value());
        int[] labels = batch.labels();
        long right = 0;
        for (int i = 0; i < predicted.length; i++) {
            right += predicted[i] == labels[i] ? 1 : 0;
        }
        return right;
    }
}
