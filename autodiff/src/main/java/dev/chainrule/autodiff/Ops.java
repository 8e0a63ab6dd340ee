package dev.chainrule.autodiff;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.autodiff.LinearAlgebra.Form;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;

/**
 * The operations, one line each, so that user code reads like the math: {@code Ops.sigmoid(Ops.affine(x, W, b))}.
 * Binary element-wise operations broadcast with NumPy's rules; an operand that needs a gradient is first
 * broadcast by a BroadcastTo node, so that its gradient is summed back to its own shape.
 */
public final class Ops {
    private Ops() {}

    // ---- arithmetic -----------------------------------------------------------------------------------------

    public static Variable add(Variable a, Variable b) {
        return broadcasting("add", new Arithmetic.Add(), a, b);
    }

    public static Variable sub(Variable a, Variable b) {
        return broadcasting("sub", new Arithmetic.Sub(), a, b);
    }

    public static Variable mul(Variable a, Variable b) {
        return broadcasting("mul", new Arithmetic.Mul(), a, b);
    }

    public static Variable div(Variable a, Variable b) {
        return broadcasting("div", new Arithmetic.Div(), a, b);
    }

    /** x + c for a constant c. */
    public static Variable add(Variable x, double c) {
        return add(x, Variable.constant(c));
    }

    /** x · c for a constant c. */
    public static Variable mul(Variable x, double c) {
        return mul(x, Variable.constant(c));
    }

    /** 1 − x, as in σ′ = σ(1 − σ). */
    public static Variable oneMinus(Variable x) {
        return sub(Variable.constant(1.0), x);
    }

    public static Variable neg(Variable x) {
        return new Arithmetic.Neg().apply(x);
    }

    /** xᶜ for a constant exponent c. */
    public static Variable pow(Variable x, double exponent) {
        return new Arithmetic.Pow(exponent).apply(x);
    }

    /** Applies a binary node to a and b broadcast to their common shape. */
    private static Variable broadcasting(String operation, Function node, Variable a, Variable b) {
        if (a == null || b == null) {
            return node.apply(a, b); // which names the node and the null input
        }
        Shape shape;
        try {
            shape = Shape.broadcast(operation, a.shape(), b.shape());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(node.label(a, b) + ": " + e.getMessage(), e);
        }
        return node.apply(expand(a, shape), expand(b, shape));
    }

    /** Broadcasts an operand that will receive a gradient through a node, so that its gradient is summed back. */
    private static Variable expand(Variable x, Shape shape) {
        boolean recorded = x.requiresGrad() && GradMode.isEnabled();
        return recorded && !x.shape().equals(shape) ? broadcastTo(x, shape) : x;
    }

    // ---- element-wise maps and activations ------------------------------------------------------------------

    public static Variable exp(Variable x) {
        return new Activations.Exp().apply(x);
    }

    public static Variable log(Variable x) {
        return new Activations.Log().apply(x);
    }

    public static Variable sigmoid(Variable x) {
        return new Activations.Sigmoid().apply(x);
    }

    public static Variable tanh(Variable x) {
        return new Activations.Tanh().apply(x);
    }

    public static Variable relu(Variable x) {
        return new Activations.ReLU().apply(x);
    }

    /** x for x > 0, alpha·x otherwise. */
    public static Variable leakyRelu(Variable x, double alpha) {
        return new Activations.LeakyReLU(alpha).apply(x);
    }

    // ---- reductions and broadcasting ------------------------------------------------------------------------

    /** Sum of all elements, a scalar. */
    public static Variable sum(Variable x) {
        return new Reductions.Sum(false).apply(x);
    }

    /** Sum over the given axes; keepDims leaves them as size 1. */
    public static Variable sum(Variable x, boolean keepDims, int... axes) {
        return new Reductions.Sum(keepDims, checkNotNull(axes, "sum: axes is null")).apply(x);
    }

    /** Mean of all elements, a scalar. */
    public static Variable mean(Variable x) {
        return new Reductions.Mean(false).apply(x);
    }

    /** Mean over the given axes; keepDims leaves them as size 1. */
    public static Variable mean(Variable x, boolean keepDims, int... axes) {
        return new Reductions.Mean(keepDims, checkNotNull(axes, "mean: axes is null")).apply(x);
    }

    public static Variable broadcastTo(Variable x, Shape shape) {
        return new Reductions.BroadcastTo(checkNotNull(shape, "broadcastTo: shape is null")).apply(x);
    }

    public static Variable sumTo(Variable x, Shape shape) {
        return new Reductions.SumTo(checkNotNull(shape, "sumTo: shape is null")).apply(x);
    }

    // ---- shapes ---------------------------------------------------------------------------------------------

    public static Variable reshape(Variable x, Shape shape) {
        return new Shapes.Reshape(checkNotNull(shape, "reshape: shape is null")).apply(x);
    }

    public static Variable reshape(Variable x, int... dims) {
        return reshape(x, Shape.of(checkNotNull(dims, "reshape: dims is null")));
    }

    /** Reverses the axes; for a matrix, the transpose. */
    public static Variable transpose(Variable x) {
        return transpose(x, checkNotNull(x, "transpose: x is null").shape().reversedAxes());
    }

    /** Axis i of the result is axis perm[i] of x. */
    public static Variable transpose(Variable x, int... perm) {
        return new Shapes.Transpose(checkNotNull(perm, "transpose: perm is null")).apply(x);
    }

    // ---- linear algebra -------------------------------------------------------------------------------------

    /** A·B. */
    public static Variable matmul(Variable a, Variable b) {
        return new LinearAlgebra.MatMul(Form.PLAIN).apply(a, b);
    }

    /** Aᵀ·B, without building Aᵀ. */
    public static Variable matmulTransA(Variable a, Variable b) {
        return new LinearAlgebra.MatMul(Form.TRANS_A).apply(a, b);
    }

    /** A·Bᵀ, without building Bᵀ. */
    public static Variable matmulTransB(Variable a, Variable b) {
        return new LinearAlgebra.MatMul(Form.TRANS_B).apply(a, b);
    }

    /** X·W + b for X (m×k), W (k×n), b (n): one fully connected layer before its activation. */
    public static Variable affine(Variable x, Variable w, Variable b) {
        return new LinearAlgebra.Affine().apply(x, w, b);
    }

    // ---- softmax and losses ---------------------------------------------------------------------------------

    /** Softmax along the last axis. */
    public static Variable softmax(Variable x) {
        return new Losses.Softmax().apply(x);
    }

    /** log softmax along the last axis. */
    public static Variable logSoftmax(Variable x) {
        return new Losses.LogSoftmax().apply(x);
    }

    /** −1/m ΣΣ [t log σ(z) + (1 − t) log(1 − σ(z))] from logits z, for m rows of independent labels t ∈ [0, 1]. */
    public static Variable sigmoidCrossEntropy(Variable logits, Variable targets) {
        return new Losses.SigmoidCrossEntropy().apply(logits, targets);
    }

    /** −1/m ΣΣ t · log softmax(z) from logits z (m×k) and one-hot target rows t (m×k). */
    public static Variable softmaxCrossEntropy(Variable logits, Variable targets) {
        return new Losses.SoftmaxCrossEntropy().apply(logits, targets);
    }

    /** −1/m Σ log softmax(z)[label] from logits z (m×k) and one class label in [0, k) per row. */
    public static Variable softmaxCrossEntropy(Variable logits, int... labels) {
        Shape shape = checkNotNull(logits, "softmaxCrossEntropy: logits is null").shape();
        checkNotNull(labels, "softmaxCrossEntropy: labels is null");
        checkArgument(shape.rank() == 2 && labels.length == shape.dim(0),
                "softmaxCrossEntropy: logits %s need one label per row, got %s", shape, Messages.count(labels.length, "label"));
        double[] oneHot = new double[shape.size()];
        for (int row = 0; row < labels.length; row++) {
            checkArgument(labels[row] >= 0 && labels[row] < shape.dim(1),
                    "softmaxCrossEntropy: label %s of row %s is outside [0, %s)", labels[row], row, shape.dim(1));
            oneHot[row * shape.dim(1) + labels[row]] = 1.0;
        }
        return softmaxCrossEntropy(logits, Variable.constant(Tensor.of(shape, oneHot)));
    }

    /** ½ Σ (o − t)² over all elements, not divided by the batch size: the step-by-step example's error. */
    public static Variable meanSquaredError(Variable output, Variable target) {
        return new Losses.MeanSquaredError().apply(output, target);
    }
}
