package dev.chainrule.autodiff;

import static com.google.common.base.Preconditions.checkArgument;

import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import dev.chainrule.core.WritableTensor;

/**
 * Softmax, log-softmax and the losses. Cross-entropies take logits and are fused for numerical stability; their
 * composed twins (σ then log, softmax then log) are the oracles in their tests. A loss over a batch of m rows
 * is divided by m; the squared error is not (see {@link MeanSquaredError}).
 */
final class Losses {
    private Losses() {}

    /** y = softmax(x) along the last axis.  dx = y ⊙ (dy − Σ_last(dy ⊙ y)). */
    static final class Softmax extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].softmax(); }

        @Override protected Variable[] backward(Variable gy) {
            Variable y = output();
            return grads(y.mul(gy.sub(Ops.sum(gy.mul(y), true, -1))));
        }
    }

    /** y = x − log Σ_last eˣ.  dx = dy − softmax(x) ⊙ Σ_last dy, with softmax(x) = eʸ. */
    static final class LogSoftmax extends Function {
        @Override protected Tensor forward(Tensor... xs) { return xs[0].logSoftmax(); }

        @Override protected Variable[] backward(Variable gy) {
            return grads(gy.sub(Ops.exp(output()).mul(Ops.sum(gy, true, -1))));
        }
    }

    /**
     * J = −1/m ΣΣ [t log σ(z) + (1 − t) log(1 − σ(z))], evaluated as 1/m ΣΣ [max(z, 0) − z·t + log(1 + e^−|z|)]
     * so that logits of ±1000 stay finite.  dz = dJ · (σ(z) − t) / m (the δ = a − y of the notes), dt = −dJ · z / m.
     */
    static final class SigmoidCrossEntropy extends Function {
        @Override protected Tensor forward(Tensor... xs) {
            Tensor z = xs[0], t = xs[1];
            checkSameShape(z, t);
            Tensor perElement = z.maximum(0.0).sub(z.mul(t)).add(z.map(v -> Math.log1p(Math.exp(-Math.abs(v)))));
            return perElement.sum().mul(1.0 / rows(z.shape()));
        }

        @Override protected Variable[] backward(Variable gy) {
            Variable z = input(0), t = input(1);
            Variable scale = gy.mul(1.0 / rows(z.shape()));
            return grads(needsGrad(0) ? Ops.sigmoid(z).sub(t).mul(scale) : null,
                    needsGrad(1) ? z.mul(scale).neg() : null);
        }
    }

    /**
     * J = −1/m ΣΣ t · log softmax(z), softmax along the last axis, m distributions, t one-hot (or any weights).
     * dz = dJ · (softmax(z) · Σ_last t − t) / m, that is (softmax − t) / m for one-hot t;  dt = −dJ · log softmax(z) / m.
     */
    static final class SoftmaxCrossEntropy extends Function {
        /** softmax(z), kept by a forward that may be recorded, for the first-order backward; else null. */
        private Tensor softmax;

        @Override protected Tensor forward(Tensor... xs) {
            Tensor z = xs[0], t = xs[1];
            checkSameShape(z, t);
            checkArgument(z.rank() >= 1, "logits must have a class axis, got a scalar");
            WritableTensor p = GradMode.isEnabled() ? WritableTensor.zeros(z.shape()) : null;
            Tensor loss = z.softmaxCrossEntropy(t, -1.0 / distributions(z.shape()), p);
            softmax = p == null ? null : p.tensor();
            return loss;
        }

        @Override void release() { // the softmax is as large as the logits: it goes with the rest of the graph
            super.release();
            softmax = null;
        }

        @Override protected Variable[] backward(Variable gy) {
            Variable z = input(0), t = input(1);
            if (!GradMode.isEnabled() && !needsGrad(1)) { // first order: one fused pass, the same bits as the ops below
                double scale = gy.item() * (1.0 / distributions(z.shape()));
                return grads(needsGrad(0)
                        ? Variable.constant(softmax.softmaxCrossEntropyGradientFromSoftmax(t.valueInGraph(), scale))
                        : null, null);
            }
            Variable scale = gy.mul(1.0 / distributions(z.shape()));
            Variable gz = needsGrad(0) ? Ops.softmax(z).mul(Ops.sum(t, true, -1)).sub(t).mul(scale) : null;
            Variable gt = needsGrad(1) ? Ops.logSoftmax(z).mul(scale).neg() : null;
            return grads(gz, gt);
        }
    }

    /**
     * E = ½ Σ (o − t)² over every element, with no division by the batch size: the error of the step-by-step
     * backpropagation example, whose derivative is plainly o − t.  do = dE · (o − t), dt = dE · (t − o).
     */
    static final class MeanSquaredError extends Function {
        @Override protected Tensor forward(Tensor... xs) {
            checkSameShape(xs[0], xs[1]);
            return xs[0].sub(xs[1]).pow(2).sum().mul(0.5);
        }

        @Override protected Variable[] backward(Variable gy) {
            Variable go = input(0).sub(input(1)).mul(gy);
            return grads(needsGrad(0) ? go : null, needsGrad(1) ? go.neg() : null);
        }
    }

    /** The batch size m of independent labels: the first dimension (one label per example for a vector), 1 for a scalar. */
    private static double rows(Shape shape) {
        return shape.rank() == 0 ? 1 : Math.max(1, shape.dim(0));
    }

    /** The number of softmax distributions: every axis but the last (1 for a single vector of logits). */
    private static double distributions(Shape shape) {
        return Math.max(1, shape.size() / Math.max(1, shape.dim(-1)));
    }

    private static void checkSameShape(Tensor prediction, Tensor target) {
        checkArgument(prediction.shape().equals(target.shape()),
                "prediction is %s but target is %s: they must have the same shape", prediction.shape(), target.shape());
    }
}
