package dev.chainrule.autodiff;

import com.google.common.base.Preconditions;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;

/**
 * A value in a graph: a tensor, the node that created it (none for a leaf), and after backward its gradient.
 * Leaves that require a gradient are parameters; leaves that do not are constants or frozen parameters. A
 * value computed from anything that requires a gradient requires one too.
 *
 * <p>A graph, and the variables in it, belong to one thread at a time: backward accumulates gradients without
 * locking. Train copies of a model on separate threads, not one model from several.
 */
public final class Variable {
    private final Tensor value;
    private final boolean requiresGrad;
    private Function creator;
    private Variable grad;
    private String name;

    Variable(Tensor value, boolean requiresGrad) {
        this.value = Preconditions.checkNotNull(value, "value");
        this.requiresGrad = requiresGrad;
    }

    /** A leaf whose gradient backward computes: a trainable parameter or an input to differentiate by. */
    public static Variable parameter(Tensor value) {
        return new Variable(value, true);
    }

    /** A leaf that receives no gradient: data, targets, or a frozen parameter. */
    public static Variable constant(Tensor value) {
        return new Variable(value, false);
    }

    /** A scalar constant. */
    public static Variable constant(double value) {
        return constant(Tensor.scalar(value));
    }

    /** Gives this variable a name that error messages, traces and graph pictures show; returns this. */
    public Variable named(String newName) {
        this.name = newName;
        return this;
    }

    /** The name given by {@link #named}, or null. */
    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    public Shape shape() {
        return value.shape();
    }

    /** The only element of a value of size 1. */
    public double item() {
        return value.item();
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Whether this variable was made by the user rather than computed by a recorded node. */
    public boolean isLeaf() {
        return creator == null;
    }

    /** The node that computed this value, or null for a leaf or a value computed without recording. */
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
     * The gradient accumulated by backward, or null if none has reached this variable. It is itself a graph
     * (differentiable again) only when backward ran with {@link BackwardOptions#createGraph()}.
     */
    public Variable grad() {
        return grad;
    }

    /** Forgets the accumulated gradient, as before a new training step. */
    public void clearGrad() {
        grad = null;
    }

    void accumulateGrad(Variable g) {
        grad = grad == null ? g : Ops.add(grad, g);
    }

    /** A constant with the same value, cut from the graph: nothing flows back through it. */
    public Variable detach() {
        return constant(value).named(name);
    }

    /** Backpropagates from this scalar: every parameter it depends on receives d(this)/d(parameter). */
    public void backward() {
        backward(BackwardOptions.defaults());
    }

    /** Backpropagates with options: a seed gradient for a non-scalar, a retained or differentiable graph. */
    public void backward(BackwardOptions options) {
        Engine.backward(this, options);
    }

    // Fluent forms of the commonest operations, so that backward code reads like its formula.

    public Variable add(Variable other) {
        return Ops.add(this, other);
    }

    public Variable sub(Variable other) {
        return Ops.sub(this, other);
    }

    public Variable mul(Variable other) {
        return Ops.mul(this, other);
    }

    public Variable mul(double c) {
        return Ops.mul(this, c);
    }

    public Variable div(Variable other) {
        return Ops.div(this, other);
    }

    public Variable neg() {
        return Ops.neg(this);
    }

    /** Like {@code W (2, 3)} or {@code (2, 3)} when unnamed. */
    @Override
    public String toString() {
        return name == null ? shape().toString() : name + " " + shape();
    }
}
