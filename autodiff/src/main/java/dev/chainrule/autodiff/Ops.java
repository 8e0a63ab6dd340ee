package dev.chainrule.autodiff;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.autodiff.LinearAlgebra.Form;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * The operations, one line each, so that user code reads like the math: {@code Ops.sigmoid(Ops.affine(x, W, b))}.
 * Binary element-wise operations broadcast with NumPy's rules; an operand that needs a gradient is first
 * broadcast by a BroadcastTo node, so that its gradient is summed back to its own shape.
 *
 * <p>Every operation applies a new node and returns a new variable, recorded as {@link Function#apply} says.
 * No argument may be null; a null is refused with a {@link NullPointerException} that says which. Values follow
 * IEEE 754 as {@link Tensor} computes them (log 0 = −∞, NaN below 0). Shape errors are
 * {@link IllegalArgumentException}s naming the operation and its inputs' names and shapes. An axis to reduce may
 * be negative and then counts from the end, as in NumPy; a permutation's may not.
 */
public final class Ops {
    private Ops() {}

    // ---- arithmetic -----------------------------------------------------------------------------------------

    /**
     * a + b, element-wise with broadcasting.  da = dy, db = dy, each summed back to its operand's shape.
     *
     * @param a the left operand
     * @param b the right operand
     * @return a new variable of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast
     */
    public static Variable add(Variable a, Variable b) {
        return broadcasting("add", new Arithmetic.Add(), a, b);
    }

    /**
     * a − b, element-wise with broadcasting.  da = dy, db = −dy.
     *
     * @param a the left operand
     * @param b the right operand
     * @return a new variable of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast
     */
    public static Variable sub(Variable a, Variable b) {
        return broadcasting("sub", new Arithmetic.Sub(), a, b);
    }

    /**
     * a ⊙ b, element-wise with broadcasting.  da = dy ⊙ b, db = dy ⊙ a.
     *
     * @param a the left operand
     * @param b the right operand
     * @return a new variable of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast
     */
    public static Variable mul(Variable a, Variable b) {
        return broadcasting("mul", new Arithmetic.Mul(), a, b);
    }

    /**
     * a / b, element-wise with broadcasting; division by zero gives ±∞ or NaN.  da = dy / b, db = −dy · a / b².
     *
     * @param a the dividend
     * @param b the divisor
     * @return a new variable of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast
     */
    public static Variable div(Variable a, Variable b) {
        return broadcasting("div", new Arithmetic.Div(), a, b);
    }

    /**
     * x + c for a constant c.
     *
     * @param x the variable
     * @param c the constant, added to every element
     * @return a new variable of x's shape
     */
    public static Variable add(Variable x, double c) {
        return add(x, Variable.constant(c));
    }

    /**
     * x · c for a constant c.
     *
     * @param x the variable
     * @param c the factor, applied to every element
     * @return a new variable of x's shape
     */
    public static Variable mul(Variable x, double c) {
        return mul(x, Variable.constant(c));
    }

    /**
     * 1 − x, as in σ′ = σ(1 − σ).
     *
     * @param x the variable
     * @return a new variable of x's shape
     */
    public static Variable oneMinus(Variable x) {
        return sub(Variable.constant(1.0), x);
    }

    /**
     * −x.  dx = −dy.
     *
     * @param x the variable
     * @return a new variable of x's shape
     */
    public static Variable neg(Variable x) {
        return new Arithmetic.Neg().apply(x);
    }

    /**
     * xᶜ element-wise for a constant exponent c, as {@link Math#pow} computes it.  dx = dy · c · xᶜ⁻¹, and 0 for
     * c = 0.
     *
     * @param x the base
     * @param exponent the constant exponent c; a fractional one gives NaN for negative x
     * @return a new variable of x's shape
     */
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
        return !x.shape().equals(shape) && x.requiresGrad() && GradMode.isEnabled() ? broadcastTo(x, shape) : x;
    }

    // ---- element-wise maps and activations ------------------------------------------------------------------

    /**
     * eˣ element-wise; +∞ where it overflows.  dx = dy · eˣ.
     *
     * @param x the exponent
     * @return a new variable of x's shape
     */
    public static Variable exp(Variable x) {
        return new Activations.Exp().apply(x);
    }

    /**
     * ln x element-wise: −∞ at 0, NaN below 0.  dx = dy / x.
     *
     * @param x the argument
     * @return a new variable of x's shape
     */
    public static Variable log(Variable x) {
        return new Activations.Log().apply(x);
    }

    /**
     * σ(x) = 1 / (1 + e⁻ˣ) element-wise, without overflow.  dx = dy · σ(x)(1 − σ(x)).
     *
     * @param x the pre-activation
     * @return a new variable of x's shape, elements in [0, 1]
     */
    public static Variable sigmoid(Variable x) {
        return new Activations.Sigmoid().apply(x);
    }

    /**
     * tanh x element-wise.  dx = dy · (1 − tanh² x).
     *
     * @param x the pre-activation
     * @return a new variable of x's shape, elements in [−1, 1]
     */
    public static Variable tanh(Variable x) {
        return new Activations.Tanh().apply(x);
    }

    /**
     * max(x, 0) element-wise.  dx = dy · [x > 0]: the gradient at x = 0 is taken as 0.
     *
     * @param x the pre-activation
     * @return a new variable of x's shape
     */
    public static Variable relu(Variable x) {
        return new Activations.ReLU().apply(x);
    }

    /**
     * x for x > 0, α·x otherwise, element-wise.  dx = dy · (1 or α); at x = 0 the slope is α.
     *
     * @param x the pre-activation
     * @param alpha the slope α for x ≤ 0, typically 0.01
     * @return a new variable of x's shape
     */
    public static Variable leakyRelu(Variable x, double alpha) {
        return new Activations.LeakyReLU(alpha).apply(x);
    }

    /**
     * |x| element-wise.  dx = dy · sign(x); at x = 0 the gradient is 0, as PyTorch takes abs′(0) = sgn(0) = 0
     * (the one-sided derivatives there are −1 and 1).
     *
     * @param x the variable
     * @return a new variable of x's shape, elements at least 0
     */
    public static Variable abs(Variable x) {
        return new Masks.Abs().apply(x);
    }

    /**
     * x clipped to [low, high] element-wise: min(max(x, low), high).  dx = dy where low ≤ x ≤ high, 0 outside: at
     * the bounds themselves the gradient passes, as PyTorch's clamp lets it.
     *
     * @param x the variable
     * @param low the smallest value kept; −∞ for none
     * @param high the largest value kept, at least {@code low}; +∞ for none
     * @return a new variable of x's shape, elements in [low, high] (NaN stays NaN, with gradient 0)
     * @throws IllegalArgumentException if {@code low > high} or either is NaN
     */
    public static Variable clip(Variable x, double low, double high) {
        return new Masks.Clip(low, high).apply(x);
    }

    /**
     * a where the condition is 1 and b where it is 0, element-wise, the three broadcast to a common shape with
     * NumPy's rules; nothing is computed from the element not chosen, so a NaN there does not show.  da = dy where
     * the condition is 1, db = dy where it is 0, each summed back to its operand's shape.
     *
     * @param condition 0s and 1s, a constant: no gradient flows to it. Kept, not copied (tensors are immutable)
     * @param a the elements chosen where the condition is 1
     * @param b the elements chosen where the condition is 0
     * @return a new variable of the shape the three broadcast to
     * @throws IllegalArgumentException naming the three shapes if they do not broadcast, or if the condition
     *     holds anything but 0 and 1
     */
    public static Variable where(Tensor condition, Variable a, Variable b) {
        Masks.Where node = new Masks.Where(checkNotNull(condition, "where: condition is null"));
        if (a == null || b == null) {
            return node.apply(a, b); // which names the node and the null input
        }
        Shape shape;
        try {
            shape = Shape.broadcast("where", condition.shape(), Shape.broadcast("where", a.shape(), b.shape()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(node.label(a, b) + ": condition " + condition.shape() + ", a " + a.shape()
                    + " and b " + b.shape() + " do not broadcast to a common shape", e);
        }
        return node.apply(expand(a, shape), expand(b, shape));
    }

    /**
     * Inverted dropout: each element of x is zeroed with probability p and the others are scaled by 1 / (1 − p),
     * so that the expected value is x. The mask is drawn once, here, from {@code random}, and backward reuses it:
     * dx = dy ⊙ mask / (1 − p). Call it in training only; in evaluation use x itself (a module skips it).
     *
     * @param x the activations
     * @param p the probability of dropping an element, in [0, 1); 0 gives x unchanged and draws nothing
     * @param random the source of the mask, advanced by one {@code nextDouble()} per element of x in row-major
     *     order (an element is kept when its draw is below 1 − p); seed it for repeatable runs
     * @return a new variable of x's shape
     * @throws IllegalArgumentException if p is outside [0, 1) or NaN
     */
    public static Variable dropout(Variable x, double p, RandomGenerator random) {
        Shape shape = checkNotNull(x, "dropout: x is null").shape();
        return new Masks.Dropout(p, checkNotNull(random, "dropout: random is null"), shape).apply(x);
    }

    // ---- reductions and broadcasting ------------------------------------------------------------------------

    /**
     * Σ x over all elements.  dx = dy broadcast to x's shape.
     *
     * @param x the variable
     * @return a new scalar, shape {@code ()}; 0 if x has no elements
     */
    public static Variable sum(Variable x) {
        return new Reductions.Sum(false).apply(x);
    }

    /**
     * Σ x over the given axes.  dx = dy broadcast back over them.
     *
     * @param x the variable
     * @param keepDims true to keep the summed axes as size 1, so that the result broadcasts against x; false to
     *     drop them
     * @param axes the axes to sum, each in [−rank, rank), none repeated; none means every axis. Copied
     * @return a new variable of shape {@code x.shape().reduce("sum", keepDims, axes)}
     * @throws IllegalArgumentException if an axis is out of range or repeated
     */
    public static Variable sum(Variable x, boolean keepDims, int... axes) {
        return new Reductions.Sum(keepDims, checkNotNull(axes, "sum: axes is null")).apply(x);
    }

    /**
     * The mean of all elements.  dx = dy / n broadcast to x's shape, n = x's size.
     *
     * @param x the variable
     * @return a new scalar, shape {@code ()}; NaN if x has no elements
     */
    public static Variable mean(Variable x) {
        return new Reductions.Mean(false).apply(x);
    }

    /**
     * The mean over the given axes.  dx = dy / n broadcast back over them, n the number of elements averaged.
     *
     * @param x the variable
     * @param keepDims true to keep the averaged axes as size 1; false to drop them
     * @param axes the axes to average, each in [−rank, rank), none repeated; none means every axis. Copied
     * @return a new variable of shape {@code x.shape().reduce("mean", keepDims, axes)}
     * @throws IllegalArgumentException if an axis is out of range or repeated
     */
    public static Variable mean(Variable x, boolean keepDims, int... axes) {
        return new Reductions.Mean(keepDims, checkNotNull(axes, "mean: axes is null")).apply(x);
    }

    /**
     * x repeated along broadcast axes to fill {@code shape}.  dx = dy summed back to x's shape ({@link #sumTo}).
     *
     * @param x the variable
     * @param shape a shape that x's shape broadcasts to ({@link Shape#broadcastsTo})
     * @return a new variable of {@code shape}
     * @throws IllegalArgumentException if x's shape does not broadcast to {@code shape}
     */
    public static Variable broadcastTo(Variable x, Shape shape) {
        return new Reductions.BroadcastTo(checkNotNull(shape, "broadcastTo: shape is null")).apply(x);
    }

    /**
     * x summed over the axes that broadcasting {@code shape} to x's shape would expand: the adjoint of
     * {@link #broadcastTo}.  dx = dy broadcast back to x's shape.
     *
     * @param x the variable
     * @param shape a shape that broadcasts to x's shape
     * @return a new variable of {@code shape}
     * @throws IllegalArgumentException if {@code shape} does not broadcast to x's shape
     */
    public static Variable sumTo(Variable x, Shape shape) {
        return new Reductions.SumTo(checkNotNull(shape, "sumTo: shape is null")).apply(x);
    }

    /**
     * The largest element.  dx = dy at the first largest element in row-major order, 0 elsewhere (PyTorch's
     * max(x) without an axis splits the gradient among ties instead).
     *
     * @param x the variable, with at least one element
     * @return a new scalar, shape {@code ()}; NaN if x holds a NaN
     * @throws IllegalArgumentException if x has no elements
     */
    public static Variable max(Variable x) {
        return new Masks.Max(false).apply(x);
    }

    /**
     * The largest element over the given axes.  dx = dy at the first largest element of each group reduced
     * together, in row-major order, and 0 elsewhere: for one axis, at the lowest index along it, where PyTorch's
     * max(x, dim) sends it.
     *
     * @param x the variable, with at least one element
     * @param keepDims true to keep the reduced axes as size 1; false to drop them
     * @param axes the axes to reduce, each in [−rank, rank), none repeated; none means every axis. Copied
     * @return a new variable of shape {@code x.shape().reduce("max", keepDims, axes)}; NaN where a group holds one
     * @throws IllegalArgumentException if x has no elements, or an axis is out of range or repeated
     */
    public static Variable max(Variable x, boolean keepDims, int... axes) {
        return new Masks.Max(keepDims, checkNotNull(axes, "max: axes is null")).apply(x);
    }

    /**
     * The smallest element.  dx = dy at the first smallest element in row-major order, 0 elsewhere.
     *
     * @param x the variable, with at least one element
     * @return a new scalar, shape {@code ()}; NaN if x holds a NaN
     * @throws IllegalArgumentException if x has no elements
     */
    public static Variable min(Variable x) {
        return new Masks.Min(false).apply(x);
    }

    /**
     * The smallest element over the given axes.  dx = dy at the first smallest element of each group reduced
     * together, in row-major order (for one axis, the lowest index), and 0 elsewhere.
     *
     * @param x the variable, with at least one element
     * @param keepDims true to keep the reduced axes as size 1; false to drop them
     * @param axes the axes to reduce, each in [−rank, rank), none repeated; none means every axis. Copied
     * @return a new variable of shape {@code x.shape().reduce("min", keepDims, axes)}; NaN where a group holds one
     * @throws IllegalArgumentException if x has no elements, or an axis is out of range or repeated
     */
    public static Variable min(Variable x, boolean keepDims, int... axes) {
        return new Masks.Min(keepDims, checkNotNull(axes, "min: axes is null")).apply(x);
    }

    // ---- shapes ---------------------------------------------------------------------------------------------

    /**
     * The elements of x in another shape, in the same row-major order.  dx = dy in x's shape.
     *
     * @param x the variable
     * @param shape the new shape, of x's size
     * @return a new variable of {@code shape}
     * @throws IllegalArgumentException if the sizes differ
     */
    public static Variable reshape(Variable x, Shape shape) {
        return new Shapes.Reshape(checkNotNull(shape, "reshape: shape is null")).apply(x);
    }

    /**
     * Shorthand for {@code reshape(x, Shape.of(dims))}.
     *
     * @param x the variable
     * @param dims the size of each axis of the result, each at least 0; none gives a scalar. Copied
     * @return a new variable of shape {@code (dims)}
     * @throws IllegalArgumentException if {@link Shape#of} refuses {@code dims}, or the sizes differ
     */
    public static Variable reshape(Variable x, int... dims) {
        return reshape(x, Shape.of(checkNotNull(dims, "reshape: dims is null")));
    }

    /**
     * Reverses the axes; for a matrix, the transpose.  dx = dyᵀ.
     *
     * @param x the variable
     * @return a new variable of x's shape reversed; of x's shape for rank 0 or 1
     */
    public static Variable transpose(Variable x) {
        return transpose(x, checkNotNull(x, "transpose: x is null").shape().reversedAxes());
    }

    /**
     * Permutes the axes: axis i of the result is axis perm[i] of x.  dx = dy permuted by the inverse.
     *
     * @param x the variable
     * @param perm each of 0, 1, …, rank − 1 exactly once; negative axes are not accepted. Copied
     * @return a new variable whose dimension i is x's dimension perm[i]
     * @throws IllegalArgumentException if {@code perm} is not a permutation of x's axes
     */
    public static Variable transpose(Variable x, int... perm) {
        return new Shapes.Transpose(checkNotNull(perm, "transpose: perm is null")).apply(x);
    }

    /**
     * The inputs joined end to end along an existing axis, in order.  dxᵢ = dy at xᵢ's positions along it.
     *
     * @param axis the axis to join along, in [−rank, rank)
     * @param xs one or more variables of equal rank, at least 1, whose dimensions agree on every other axis; the
     *     array is copied
     * @return a new variable whose size along {@code axis} is the sum of the inputs' sizes along it
     * @throws IllegalArgumentException if there are no inputs, an input is a scalar, the axis is out of range, or
     *     two inputs differ on another axis (naming both shapes)
     */
    public static Variable concat(int axis, Variable... xs) {
        return new Indexing.Concat(axis).apply(checkNotNull(xs, "concat: xs is null"));
    }

    /**
     * The inputs stacked along a new axis: two (3) vectors stacked at axis 0 give a (2, 3) matrix.  dxᵢ = dy at
     * position i of the new axis.
     *
     * @param axis where the new axis goes, in [−(rank + 1), rank + 1) for inputs of rank {@code rank}
     * @param xs one or more variables of one shape; the array is copied
     * @return a new variable of the inputs' shape with an axis of size {@code xs.length} inserted at {@code axis}
     * @throws IllegalArgumentException if there are no inputs, the axis is out of range, or two shapes differ
     */
    public static Variable stack(int axis, Variable... xs) {
        return new Indexing.Stack(axis).apply(checkNotNull(xs, "stack: xs is null"));
    }

    /**
     * x at positions [from, to) along one axis, every other axis whole.  dx = dy padded with zeros back to x's
     * shape ({@link #pad}).
     *
     * @param x the variable, rank at least 1
     * @param axis the axis to cut, in [−rank, rank)
     * @param from the first position kept, in [0, dim(axis)]
     * @param to the position after the last one kept, in [from, dim(axis)]
     * @return a new variable of x's shape with {@code to − from} along {@code axis}
     * @throws IllegalArgumentException if the axis is out of range or [from, to) does not lie in [0, dim(axis)]
     */
    public static Variable slice(Variable x, int axis, int from, int to) {
        return new Indexing.Slice(axis, from, to).apply(x);
    }

    /**
     * x with zeros added before and after it along one axis: the adjoint of {@link #slice}.  dx = dy at x's
     * positions, [before, before + dim(axis)).
     *
     * @param x the variable, rank at least 1
     * @param axis the axis to extend, in [−rank, rank)
     * @param before how many positions of zeros go first, at least 0
     * @param after how many positions of zeros go last, at least 0
     * @return a new variable of x's shape with {@code before + dim(axis) + after} along {@code axis}
     * @throws IllegalArgumentException if the axis is out of range or a count is negative
     */
    public static Variable pad(Variable x, int axis, int before, int after) {
        return new Indexing.Pad(axis, before, after).apply(x);
    }

    /**
     * x at one position along one axis, that axis dropped: {@code index(m, 0, i)} is row i of a matrix.  dx = dy
     * at that position, zeros elsewhere.
     *
     * @param x the variable, rank at least 1
     * @param axis the axis to take from, in [−rank, rank)
     * @param position in [0, dim(axis)); negative positions are not accepted
     * @return a new variable of x's shape without {@code axis}
     * @throws IllegalArgumentException if the axis is out of range or the position is outside [0, dim(axis))
     */
    public static Variable index(Variable x, int axis, int position) {
        return new Indexing.Index(axis, position).apply(x);
    }

    /**
     * The rows of x (its positions along axis 0) at the given indices, in their order: an embedding lookup, k
     * indices into an (n × d) table giving (k × d).  dx = dy's rows added into zeros at the indices, a row picked
     * several times receiving the sum ({@link #scatterAddRows}).
     *
     * @param x the table, rank at least 1
     * @param indices each in [0, n), repeats allowed; copied
     * @return a new variable of x's shape with {@code indices.length} rows
     * @throws IllegalArgumentException if x is a scalar, or an index is out of range (naming it, its position
     *     and the number of rows)
     */
    public static Variable gatherRows(Variable x, int... indices) {
        return new Indexing.GatherRows(checkNotNull(indices, "gatherRows: indices is null")).apply(x);
    }

    /**
     * Zeros with {@code rows} rows, into which row j of x is added at row {@code indices[j]}: the adjoint of
     * {@link #gatherRows}.  dx = dy's rows at the indices.
     *
     * @param x the rows to add, rank at least 1, one row per index
     * @param rows the number of rows of the result, at least 0
     * @param indices one per row of x, each in [0, rows), repeats allowed; copied
     * @return a new variable of x's shape with {@code rows} rows
     * @throws IllegalArgumentException if x is a scalar, the number of indices is not x's number of rows, or an
     *     index is out of range
     */
    public static Variable scatterAddRows(Variable x, int rows, int... indices) {
        return new Indexing.ScatterAddRows(rows, checkNotNull(indices, "scatterAddRows: indices is null")).apply(x);
    }

    // ---- linear algebra -------------------------------------------------------------------------------------

    /**
     * C = A·B.  dA = dC·Bᵀ, dB = Aᵀ·dC.
     *
     * @param a A, (m×k)
     * @param b B, (k×n)
     * @return a new (m×n) variable
     * @throws IllegalArgumentException if either is not a matrix, or the inner dimensions differ
     */
    public static Variable matmul(Variable a, Variable b) {
        return new LinearAlgebra.MatMul(Form.PLAIN).apply(a, b);
    }

    /**
     * C = Aᵀ·B, without building Aᵀ.  dA = B·dCᵀ, dB = A·dC.
     *
     * @param a A, (k×m)
     * @param b B, (k×n)
     * @return a new (m×n) variable
     * @throws IllegalArgumentException if either is not a matrix, or their first dimensions differ
     */
    public static Variable matmulTransA(Variable a, Variable b) {
        return new LinearAlgebra.MatMul(Form.TRANS_A).apply(a, b);
    }

    /**
     * C = A·Bᵀ, without building Bᵀ.  dA = dC·B, dB = dCᵀ·A.
     *
     * @param a A, (m×k)
     * @param b B, (n×k)
     * @return a new (m×n) variable
     * @throws IllegalArgumentException if either is not a matrix, or their second dimensions differ
     */
    public static Variable matmulTransB(Variable a, Variable b) {
        return new LinearAlgebra.MatMul(Form.TRANS_B).apply(a, b);
    }

    /**
     * Y = X·W + b, b added to every row: one fully connected layer before its activation.  dX = dY·Wᵀ,
     * dW = Xᵀ·dY, db = Σ_rows dY.
     *
     * @param x X, (m×k): m examples of k features
     * @param w W, (k×n)
     * @param b b, (n): a vector, not a (1×n) matrix
     * @return a new (m×n) variable
     * @throws IllegalArgumentException if x or w is not a matrix, x's columns differ from W's rows, or b is not a
     *     vector of W's column count
     */
    public static Variable affine(Variable x, Variable w, Variable b) {
        return new LinearAlgebra.Affine().apply(x, w, b);
    }

    // ---- softmax and losses ---------------------------------------------------------------------------------

    /**
     * yᵢ = eˣⁱ / Σⱼ eˣʲ along the last axis, computed without overflow.  dx = y ⊙ (dy − Σ_last(dy ⊙ y)).
     *
     * @param x the logits, rank at least 1; each row along the last axis is one distribution
     * @return a new variable of x's shape, each row in [0, 1] and summing to 1
     * @throws IllegalArgumentException if x is a scalar
     */
    public static Variable softmax(Variable x) {
        return new Losses.Softmax().apply(x);
    }

    /**
     * y = x − log Σ_last eˣ along the last axis, computed without overflow.  dx = dy − softmax(x) ⊙ Σ_last dy.
     *
     * @param x the logits, rank at least 1
     * @return a new variable of x's shape, elements at most 0
     * @throws IllegalArgumentException if x is a scalar
     */
    public static Variable logSoftmax(Variable x) {
        return new Losses.LogSoftmax().apply(x);
    }

    /**
     * J = −1/m ΣΣ [t log σ(z) + (1 − t) log(1 − σ(z))] from logits z, for m rows of independent labels t ∈ [0, 1];
     * fused, so that logits of ±1000 stay finite.  dz = dJ · (σ(z) − t) / m.
     *
     * @param logits z, the pre-activations: m = its first dimension (its length for a vector, 1 for a scalar)
     * @param targets t, of the logits' shape; they receive a gradient too if they require one
     * @return a new scalar, shape {@code ()}
     * @throws IllegalArgumentException if the shapes differ
     */
    public static Variable sigmoidCrossEntropy(Variable logits, Variable targets) {
        return new Losses.SigmoidCrossEntropy().apply(logits, targets);
    }

    /**
     * J = −1/m ΣΣ t · log softmax(z) from logits z (m×k) and one-hot target rows t (m×k); fused, so that extreme
     * logits stay finite.  dz = dJ · (softmax(z) − t) / m for one-hot t.
     *
     * @param logits z, rank at least 1, softmax along the last axis: m = the number of distributions, the
     *     product of every dimension but the last (1 for a vector)
     * @param targets t, of the logits' shape: one-hot rows, or any weights (each row summing to 1 for a
     *     distribution); they receive a gradient too if they require one
     * @return a new scalar, shape {@code ()}
     * @throws IllegalArgumentException if the shapes differ or the logits are a scalar
     */
    public static Variable softmaxCrossEntropy(Variable logits, Variable targets) {
        return new Losses.SoftmaxCrossEntropy().apply(logits, targets);
    }

    /**
     * J = −1/m Σ log softmax(z)[label] from logits z (m×k) and one class label in [0, k) per row: the one-hot form
     * with the targets built from the labels, as a constant.
     *
     * @param logits z, (m×k)
     * @param labels one class index in [0, k) per row, m of them; only read
     * @return a new scalar, shape {@code ()}
     * @throws NullPointerException if {@code logits} or {@code labels} is null
     * @throws IllegalArgumentException if the logits are not a matrix, the number of labels is not m, or a label
     *     is outside [0, k)
     */
    public static Variable softmaxCrossEntropy(Variable logits, int... labels) {
        Shape shape = checkNotNull(logits, "softmaxCrossEntropy: logits is null").shape();
        checkNotNull(labels, "softmaxCrossEntropy: labels is null");
        checkArgument(shape.rank() == 2, "softmaxCrossEntropy: logits with integer labels must be a matrix "
                + "(rows × classes), got %s", shape);
        if (labels.length != shape.dim(0)) {
            throw new IllegalArgumentException(String.format("softmaxCrossEntropy: logits %s need one label per row, "
                    + "got %s", shape, Messages.count(labels.length, "label")));
        }
        int classes = shape.dim(1);
        double[] oneHot = new double[shape.size()];
        for (int row = 0; row < labels.length; row++) {
            if (labels[row] < 0 || labels[row] >= classes) {
                throw new IllegalArgumentException(String.format(
                        "softmaxCrossEntropy: label %s of row %s is outside [0, %s)", labels[row], row, classes));
            }
            oneHot[row * classes + labels[row]] = 1.0;
        }
        return softmaxCrossEntropy(logits, Variable.constant(Tensor.adopt(shape, oneHot)));
    }

    /**
     * E = ½ Σ (o − t)² over all elements: half the sum of squares, not divided by the batch size or the number
     * of elements despite the name (the step-by-step example's error, whose derivative is plainly o − t).
     * do = dE · (o − t), dt = dE · (t − o).
     *
     * @param output o, any shape
     * @param target t, of the output's shape
     * @return a new scalar, shape {@code ()}
     * @throws IllegalArgumentException if the shapes differ
     */
    public static Variable meanSquaredError(Variable output, Variable target) {
        return new Losses.MeanSquaredError().apply(output, target);
    }
}
