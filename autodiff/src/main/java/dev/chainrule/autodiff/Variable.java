package dev.chainrule.autodiff;

import com.google.common.base.Preconditions;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import dev.chainrule.core.WritableTensor;

/**
 * A value in a graph: a tensor, the node that created it (none for a leaf), and after backward its gradient.
 * Leaves that require a gradient are parameters; leaves that do not are constants or frozen parameters. A
 * value computed from anything that requires a gradient requires one too.
 *
 * <p>A graph, and the variables in it, belong to one thread at a time: backward accumulates gradients without
 * locking. Train copies of a model on separate threads, not one model from several.
 */
public final class Variable {
    private Tensor value;
    /** A leaf's elements written in place: made by its first {@link #update} or backward; null before. */
    private Storage storage;
    /** How many times the value has changed: nodes compare it with the version they recorded. */
    private int version;
    private boolean requiresGrad;
    private Function creator;
    private Variable grad;
    private String name;
    /** Whether this is a gradient that a backward without create-graph made, or a value computed from one. */
    private boolean fromGradientWithoutGraph;
    /** The running backward that holds a gradient for this variable in {@link #pendingGradient}; null for none. */
    Object pendingOwner;
    /** The gradient that backward is passing on to this variable, summed over the consumers seen so far. */
    Variable pendingGradient;

    Variable(Tensor value, boolean requiresGrad) {
        this.value = value;
        this.requiresGrad = requiresGrad;
    }

    /**
     * The elements of a leaf's value and gradient that updates and backward write in place, step after step, and
     * whether anyone outside may hold them: then the next write goes to new elements, and theirs stay as they were.
     */
    private static final class Storage {
        /** The elements under value while update writes it in place; null until then, and after assign. */
        WritableTensor value;
        /** value() has handed value out since the elements were made: the next update copies them first. */
        boolean valueGivenAway;
        /** The elements a backward last wrote the gradient into; null until one did. */
        WritableTensor gradient;
        /** Lent to a backward and not given back by clearGrad: the next backward needs new elements. */
        boolean gradientLent;
        /** grad() has handed the gradient out since it arrived: clearGrad does not give the elements back. */
        boolean gradientGivenAway;
    }

    private Storage storage() {
        if (storage == null) {
            storage = new Storage();
        }
        return storage;
    }

    /**
     * A leaf whose gradient backward computes: a trainable parameter or an input to differentiate by.
     *
     * @param value its value, kept (tensors are immutable, so nothing is copied)
     * @return a new leaf that requires a gradient
     * @throws NullPointerException if {@code value} is null
     */
    public static Variable parameter(Tensor value) {
        return new Variable(Preconditions.checkNotNull(value, "Variable.parameter: value is null"), true);
    }

    /**
     * A leaf that receives no gradient: data, targets, or a frozen parameter.
     *
     * @param value its value, kept (tensors are immutable, so nothing is copied)
     * @return a new leaf that requires no gradient
     * @throws NullPointerException if {@code value} is null
     */
    public static Variable constant(Tensor value) {
        return new Variable(Preconditions.checkNotNull(value, "Variable.constant: value is null"), false);
    }

    /**
     * A scalar constant.
     *
     * @param value its value
     * @return a new leaf of shape {@code ()} that requires no gradient
     */
    public static Variable constant(double value) {
        return constant(Tensor.scalar(value));
    }

    /**
     * Gives this variable a name that error messages, traces and graph pictures show. Names need not be unique.
     *
     * @param newName the name, replacing any earlier one; null for none
     * @return this variable, changed, so that {@code Variable.parameter(w).named("W")} reads in one line
     */
    public Variable named(String newName) {
        this.name = newName;
        return this;
    }

    /**
     * The name given by {@link #named}.
     *
     * @return the name, or null if none was given
     */
    public String name() {
        return name;
    }

    /**
     * The value, fixed when this variable was made and changed only by {@link #assign} and {@link #update}.
     *
     * @return the tensor itself, not a copy; it never changes (tensors are immutable, and update copies a value
     *     given away here before it writes)
     */
    public Tensor value() {
        if (storage != null) {
            storage.valueGivenAway = true;
        }
        return value;
    }

    /**
     * The value for a node of a graph: not given away, so a later {@link #update} may write it in place. Nodes
     * read it while they run, and backward checks {@link #version()} before a node reads it again.
     */
    Tensor valueInGraph() {
        return value;
    }

    /** Marks the value as given away: a node's output shares its elements, as a reshape's does. */
    void valueSharedBy(Tensor output) {
        if (storage != null && output.sharesElementsWith(value)) {
            storage.valueGivenAway = true;
        }
    }

    /**
     * Replaces this leaf's value in place, as an optimizer's step does: the same variable keeps its name, its
     * gradient and its place in every module. A graph recorded before the change still holds this variable, so
     * backpropagating through it afterwards would read the new value with the old graph: backward refuses that
     * (see {@link #version()}), and the forward pass must be computed again.
     *
     * @param newValue the new value, of the same shape (kept, not copied: tensors are immutable)
     * @throws IllegalStateException if this is not a leaf, or requires a gradient and recording is on (update
     *     parameters under {@link GradMode#noGrad()}, so that the update itself is not recorded)
     * @throws IllegalArgumentException if the shape differs
     */
    public void assign(Tensor newValue) {
        Preconditions.checkNotNull(newValue, "assign: newValue is null");
        checkChangeable("assign");
        Preconditions.checkArgument(newValue.shape().equals(value.shape()),
                "assign: %s cannot take a value of shape %s: a variable keeps its shape", this, newValue.shape());
        value = newValue;
        if (storage != null) {
            storage.value = null;
        }
        version++;
    }

    /**
     * Overwrites this leaf's elements in place, as an optimizer's step does, with the same rules as {@link #assign}.
     * The elements are written where they are, without a new array, unless {@link #value()} has given the tensor
     * away since the last update (or never was there one): then a copy is written, and whoever holds the tensor
     * keeps it as it was. Graph nodes read the value without taking it, and backward refuses a graph recorded
     * before the update (see {@link #version()}).
     *
     * @param change given the elements in row-major order, to overwrite with the new value; it must not keep the
     *     array
     * @throws IllegalStateException if this is not a leaf, or requires a gradient and recording is on
     */
    public void update(WritableTensor.ElementWriter change) {
        Preconditions.checkNotNull(change, "update: change is null");
        checkChangeable("update");
        Storage elements = storage();
        if (elements.value == null || elements.valueGivenAway) {
            elements.value = WritableTensor.copyOf(value);
            value = elements.value.tensor();
            elements.valueGivenAway = false;
        }
        elements.value.write(change);
        version++;
    }

    private void checkChangeable(String operation) {
        if (!isLeaf()) {
            throw new IllegalStateException(operation + ": " + this + " is computed by " + creator
                    + "; only a leaf (a parameter, a constant) can be changed in place");
        }
        if (requiresGrad && GradMode.isEnabled()) {
            throw new IllegalStateException(operation + ": " + this + " requires a gradient; change it under "
                    + "GradMode.noGrad(), so that the update is not recorded");
        }
    }

    /**
     * How many times {@link #assign} and {@link #update} have changed this variable. A node records its inputs'
     * versions when it is applied, and backward fails with "W was modified in place after the graph used it" if
     * one has moved since.
     *
     * @return 0 for a value never changed, one more for every change
     */
    public int version() {
        return version;
    }

    /**
     * The shape of the value.
     *
     * @return {@code value().shape()}
     */
    public Shape shape() {
        return value.shape();
    }

    /**
     * The only element of a value of size 1, such as a loss.
     *
     * @return that element
     * @throws IllegalArgumentException if the value does not have exactly one element
     */
    public double item() {
        return value.item();
    }

    /**
     * Whether backward computes a gradient for this variable: true for a parameter and for a value recorded from
     * one, false for a constant and for anything computed under {@link GradMode#noGrad()}. Fixed when made, except
     * that a leaf can be frozen and unfrozen with {@link #setRequiresGrad}.
     *
     * @return true if gradients flow to this variable
     */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Freezes this leaf (no gradient any more: backward passes it by, and values computed from it alone are not
     * recorded) or unfreezes it. It takes effect for every backward run after it, through graphs recorded before it
     * too; a leaf unfrozen after a forward pass gets no gradient from that pass, which did not record it.
     *
     * @param required whether this leaf should receive gradients
     * @throws IllegalStateException if this is not a leaf: a computed value requires a gradient exactly when one
     *     of its inputs does
     */
    public void setRequiresGrad(boolean required) {
        if (!isLeaf()) {
            throw new IllegalStateException("setRequiresGrad: " + this + " is computed by " + creator
                    + "; freeze the leaves it is computed from instead");
        }
        requiresGrad = required;
    }

    /**
     * Whether this variable was made by the user rather than computed by a recorded node: true for parameters
     * and constants, and also for a value computed without recording (from constants only, or under no-grad).
     *
     * @return true if {@link #creator()} is null
     */
    public boolean isLeaf() {
        return creator == null;
    }

    /**
     * The node that computed this value.
     *
     * @return the recorded node, or null for a leaf or a value computed without recording
     */
    public Function creator() {
        return creator;
    }

    void setCreator(Function node) {
        this.creator = node;
    }

    /** Depth in the graph: 0 for leaves, one more than the node that made it otherwise. */
    int generation() {
        return creator == null ? 0 : creator.generation() + 1;
    }

    /**
     * The gradient accumulated by backward. It is itself a graph (differentiable again) only when backward ran
     * with {@link BackwardOptions#createGraph()}.
     *
     * @return d(loss)/d(this), summed over every backward since the last {@link #clearGrad()}
     * @throws IllegalStateException if no gradient has reached this variable, saying why it may not have: ask
     *     {@link #hasGrad()} first where absence is expected
     */
    public Variable grad() {
        if (grad == null) {
            throw new IllegalStateException(whyNoGradient());
        }
        if (storage != null) {
            storage.gradientGivenAway = true;
        }
        return grad;
    }

    /**
     * Lends the gradient's elements to {@code reader} without handing the gradient out, as an optimizer reads
     * them: {@link #grad()} hands it out, and the next backward then writes new elements rather than over the ones
     * you hold.
     *
     * @param reader given the elements in row-major order; it must neither write into the array nor keep it
     * @throws IllegalStateException if there is no gradient, as {@link #grad()}
     */
    public void readGrad(Tensor.ElementReader reader) {
        Preconditions.checkNotNull(reader, "readGrad: reader is null");
        if (grad == null) {
            throw new IllegalStateException(whyNoGradient());
        }
        grad.valueInGraph().read(reader);
    }

    /**
     * Whether a backward has accumulated a gradient into this variable since it was made or last cleared.
     *
     * @return true if {@link #grad()} has a gradient to return
     */
    public boolean hasGrad() {
        return grad != null;
    }

    private String whyNoGradient() {
        if (!requiresGrad) {
            return this + " has no gradient: it requires none (a constant, a frozen parameter, or a value computed "
                    + "under no-grad); make it with Variable.parameter to differentiate by it";
        }
        if (!isLeaf()) {
            return this + " has no gradient: it is computed by " + creator + ", and backward keeps the gradients of "
                    + "leaves only; use Gradients.of(loss, it) for the gradient of an intermediate value";
        }
        return this + " has no gradient: no backward has reached it since it was made or cleared. Call backward() "
                + "on a loss computed from it; if you did, that loss does not depend on it";
    }

    /** Forgets the accumulated gradient, as before a new training step. */
    public void clearGrad() {
        if (storage != null) {
            // The elements come back only from the gradient they hold, and only if grad() never handed it out
            if (grad != null && storage.gradient != null && grad.valueInGraph() == storage.gradient.tensor()
                    && !storage.gradientGivenAway) {
                storage.gradientLent = false;
            }
            storage.gradientGivenAway = false;
        }
        grad = null;
    }

    /**
     * Elements that a backward may write this leaf's gradient into, kept from one backward to the next, or null
     * when a gradient is here already (the new one is added to it) or this is not a leaf that requires one. Lent
     * once until {@link #clearGrad}; new elements are made when the last ones were handed out.
     */
    WritableTensor lendGradientStorage() {
        if (!isLeaf() || !requiresGrad || grad != null) {
            return null;
        }
        Storage elements = storage();
        if (elements.gradient == null || elements.gradientLent) {
            elements.gradient = WritableTensor.zeros(value.shape());
        }
        elements.gradientLent = true;
        return elements.gradient;
    }

    /** Marks a gradient made by a backward without create-graph, or a value computed from one. */
    void markFromGradientWithoutGraph() {
        fromGradientWithoutGraph = true;
    }

    boolean isFromGradientWithoutGraph() {
        return fromGradientWithoutGraph;
    }

    void accumulateGrad(Variable g) {
        grad = grad == null ? g : Ops.add(grad, g);
    }

    /**
     * A constant with the same value, cut from the graph: nothing flows back through it.
     *
     * @return a new leaf that requires no gradient, with this variable's value and name
     */
    public Variable detach() {
        return constant(value()).named(name);
    }

    /**
     * Backpropagates from this scalar: every parameter it depends on receives d(this)/d(parameter), added to its
     * {@link #grad()}. The graph is freed afterwards; see {@link #backward(BackwardOptions)} for the exceptions.
     */
    public void backward() {
        backward(BackwardOptions.defaults());
    }

    /**
     * Backpropagates with options: a seed gradient for a non-scalar, a retained or differentiable graph, a
     * listener. Every leaf that requires a gradient and that this variable depends on receives its gradient,
     * added to its {@link #grad()}; intermediate values receive none (use {@link Gradients#of} for those).
     *
     * @param options how to run, not null; {@link BackwardOptions#defaults()} for a scalar
     * @throws NullPointerException if {@code options} is null
     * @throws IllegalArgumentException if this variable requires no gradient, is not a scalar and no seed is
     *     given, is not of the seed's shape, or was computed from a gradient made without create-graph
     * @throws IllegalStateException if the graph was freed by an earlier backward without
     *     {@link BackwardOptions#retainGraph()}, or a node's backward broke its contract ({@link Function#backward});
     *     an exception from the listener, such as {@link NonFinite#detector()}'s, propagates too
     */
    public void backward(BackwardOptions options) {
        Engine.backward(this, options);
    }

    // Fluent forms of the commonest operations, so that backward code reads like its formula.

    /**
     * this + other, element-wise with broadcasting: {@link Ops#add(Variable, Variable)}.
     *
     * @param other the right operand, not null
     * @return a new variable of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast
     */
    public Variable add(Variable other) {
        return Ops.add(this, other);
    }

    /**
     * this − other, element-wise with broadcasting: {@link Ops#sub(Variable, Variable)}.
     *
     * @param other the right operand, not null
     * @return a new variable of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast
     */
    public Variable sub(Variable other) {
        return Ops.sub(this, other);
    }

    /**
     * this · other, element-wise with broadcasting: {@link Ops#mul(Variable, Variable)}.
     *
     * @param other the right operand, not null
     * @return a new variable of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast
     */
    public Variable mul(Variable other) {
        return Ops.mul(this, other);
    }

    /**
     * this · c for a constant c: {@link Ops#mul(Variable, double)}.
     *
     * @param c the factor
     * @return a new variable of this shape
     */
    public Variable mul(double c) {
        return Ops.mul(this, c);
    }

    /**
     * this / other, element-wise with broadcasting: {@link Ops#div(Variable, Variable)}.
     *
     * @param other the divisor, not null
     * @return a new variable of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast
     */
    public Variable div(Variable other) {
        return Ops.div(this, other);
    }

    /**
     * −this: {@link Ops#neg(Variable)}.
     *
     * @return a new variable of this shape
     */
    public Variable neg() {
        return Ops.neg(this);
    }

    /** Like {@code W (2, 3)} or {@code (2, 3)} when unnamed. */
    @Override
    public String toString() {
        return name == null ? shape().toString() : name + " " + shape();
    }
}
