package dev.chainrule.nn.train;

/**
 * The figures of one epoch: those that the same seed and data reproduce exactly (timings are reported to
 * listeners separately, and are not part of a result).
 *
 * @param epoch the epoch's number, from 1
 * @param loss the training loss, averaged over the epoch's examples (each batch's loss weighted by its size)
 * @param accuracy the share of training examples predicted right during the epoch (before each batch's update)
 * @param validationLoss the loss on the validation set after the epoch, or NaN without one
 * @param validationAccuracy the accuracy on the validation set after the epoch, or NaN without one
 * @param learningRate the learning rate of the epoch's last step
 */
public record EpochResult(int epoch, double loss, double accuracy, double validationLoss, double validationAccuracy,
        double learningRate) {
    /**
     * @return whether a validation set was scored
     */
    public boolean hasValidation() {
        return !Double.isNaN(validationLoss);
    }
}
