package dev.chainrule.nn.train;

import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.nn.Parameter;
import dev.chainrule.nn.Regularization;
import dev.chainrule.nn.data.Dataset;
import java.util.List;

/** The loss of a network's output on a batch: what training minimizes. */
@FunctionalInterface
public interface Loss {
    /**
     * @param output the network's output for the batch's features (logits, for the cross-entropies)
     * @param batch the batch, whose labels the output is scored against
     * @return the loss, a scalar
     */
    Variable of(Variable output, Dataset batch);

    /**
     * −1/m Σ log softmax(z)[label]: for one class per example.
     *
     * @return the loss
     */
    static Loss softmaxCrossEntropy() {
        return (output, batch) -> Ops.softmaxCrossEntropy(output, batch.labels());
    }

    /**
     * The course's −1/m ΣΣ [y log σ(z) + (1 − y) log(1 − σ(z))] against the one-hot labels: one sigmoid unit per
     * class.
     *
     * @return the loss
     */
    static Loss sigmoidCrossEntropy() {
        return (output, batch) -> Ops.sigmoidCrossEntropy(output, Variable.constant(batch.oneHot()));
    }

    /**
     * This loss plus the L2 term λ/(2m) Σ Θ² over the weights among {@code parameters} (biases excluded): the course's
     * regularized cost. m is the number of training examples, as in the course's J(Θ), not the batch size, so that
     * the same λ means the same penalty whatever the batches.
     *
     * @param lambda λ, not negative
     * @param examples m, the size of the training set, positive
     * @param parameters the network's parameters
     * @return the regularized loss; this loss itself when λ = 0
     */
    default Loss plusL2(double lambda, int examples, List<Parameter> parameters) {
        checkNotNull(parameters, "Loss.plusL2: parameters is null");
        Regularization.l2(lambda, examples, List.of());                 // checks λ and m now, not at the first batch
        if (lambda == 0) {
            return this;                                                // a term of 0 whose graph would cost a pass
        }
        return (output, batch) -> Ops.add(of(output, batch), Regularization.l2(lambda, examples, parameters));
    }
}
