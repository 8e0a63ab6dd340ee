package dev.chainrule.nn;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Tensor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A piece of a network: parameters and buffers of its own, child modules, and a forward pass built from autodiff
 * operations.
 * A module may wire any graph in its forward pass (skip connections, several inputs, a weight used twice); the
 * engine differentiates whatever it builds.
 *
 * <pre>{@code
 * final class TwoLayer extends Module {
 *     private final Linear hidden = add("hidden", new Linear(4, 8, Init.epsilonUniform(), random));
 *     private final Linear output = add("output", new Linear(8, 3, Init.epsilonUniform(), random));
 *
 *     @Override public Variable forward(Variable x) {
 *         return output.forward(Ops.tanh(hidden.forward(x)));
 *     }
 * }
 * }</pre>
 *
 * Parameters are named hierarchically ({@code hidden.W}); those names appear in error messages and model files.
 * Buffers ({@link #addBuffer}) are named the same way and share one namespace with parameters and children, so that
 * a model file holds each under a name of its own.
 */
public abstract class Module {
    private final Map<String, Parameter> own = new LinkedHashMap<>();
    private final Map<String, Buffer> ownBuffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /**
     * The forward pass.
     *
     * @param x the input, for example a batch of rows
     * @return the output
     */
    public abstract Variable forward(Variable x);

    /**
     * Registers a weight of this module: a parameter that L2 regularization penalizes.
     *
     * @param name its name within this module, such as {@code W}
     * @param value its initial value
     * @return the new parameter's variable, named {@code name}
     */
    protected final Variable addWeight(String name, Tensor value) {
        return addParameter(name, value, Parameter.Role.WEIGHT);
    }

    /**
     * Registers a bias of this module: a parameter that L2 regularization does not penalize.
     *
     * @param name its name within this module, such as {@code b}
     * @param value its initial value
     * @return the new parameter's variable, named {@code name}
     */
    protected final Variable addBias(String name, Tensor value) {
        return addParameter(name, value, Parameter.Role.BIAS);
    }

    private Variable addParameter(String name, Tensor value, Parameter.Role role) {
        checkName(name);
        Variable variable = Variable.parameter(checkNotNull(value, "%s: value is null", name)).named(name);
        own.put(name, new Parameter(name, variable, role));
        return variable;
    }

    /**
     * Registers a buffer of this module: a constant that is saved and loaded with the parameters but never trained,
     * such as a standardization's μ and σ (PyTorch's {@code register_buffer}).
     *
     * @param name its name within this module, such as {@code mean}
     * @param value its initial value, which loading a model file replaces
     * @return the new buffer's variable, a constant named {@code name}
     */
    protected final Variable addBuffer(String name, Tensor value) {
        checkName(name);
        Variable variable = Variable.constant(checkNotNull(value, "%s: value is null", name)).named(name);
        ownBuffers.put(name, new Buffer(name, variable));
        return variable;
    }

    /**
     * Registers a child module; its parameters' and buffers' names gain the prefix {@code name.}.
     *
     * @param name the child's name within this module, such as {@code layer1}
     * @param child the module
     * @param <M> the child's type
     * @return {@code child}, for use in a field initializer
     */
    protected final <M extends Module> M add(String name, M child) {
        checkName(name);
        checkNotNull(child, "%s: the module is null", name);
        checkArgument(child != this, "%s: a module cannot contain itself", name);
        children.put(name, child);
        child.parameters().forEach(p -> p.variable().named(name + "." + p.name())); // the last parent's path
        child.buffers().forEach(b -> b.variable().named(name + "." + b.name()));
        return child;
    }

    private void checkName(String name) {
        checkNotNull(name, "a module, parameter or buffer name is null");
        checkArgument(!name.isEmpty() && !name.contains("."), "name \"%s\" must be non-empty and without dots", name);
        checkArgument(!own.containsKey(name) && !ownBuffers.containsKey(name) && !children.containsKey(name),
                "%s is already a name in this module (parameters, buffers and children share one namespace)", name);
    }

    /**
     * Every parameter of this module and its children, depth first in the order registered, each once even when
     * shared by several modules (it keeps the first name found).
     *
     * @return a new list the caller owns
     */
    public final List<Parameter> parameters() {
        return gather(m -> m.own.values(), Parameter::variable,
                (prefix, p) -> new Parameter(prefix + p.name(), p.variable(), p.role()));
    }

    /**
     * Every buffer of this module and its children, named and ordered as {@link #parameters()} names and orders
     * parameters. Never a parameter: buffers are not trained.
     *
     * @return a new list the caller owns
     */
    public final List<Buffer> buffers() {
        return gather(m -> m.ownBuffers.values(), Buffer::variable, (prefix, b) -> new Buffer(prefix + b.name(),
                b.variable()));
    }

    /**
     * Walks this module and its children depth first and gathers what each one owns, renamed with its path, each
     * variable once (a module shared by several parents keeps the first path found).
     */
    private <T> List<T> gather(Function<Module, Collection<T>> owned, Function<T, Variable> variable,
            BiFunction<String, T, T> prefixed) {
        List<T> all = new ArrayList<>();
        Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        gather("", owned, variable, prefixed, all, seen);
        return all;
    }

    private <T> void gather(String prefix, Function<Module, Collection<T>> owned, Function<T, Variable> variable,
            BiFunction<String, T, T> prefixed, List<T> all, Set<Variable> seen) {
        for (T item : owned.apply(this)) {
            if (seen.add(variable.apply(item))) {
                all.add(prefixed.apply(prefix, item));
            }
        }
        children.forEach((name, child) -> child.gather(prefix + name + ".", owned, variable, prefixed, all, seen));
    }

    /**
     * One parameter by its hierarchical name.
     *
     * @param name such as {@code layer1.W}
     * @return the parameter
     * @throws IllegalArgumentException if there is none of that name, listing the names there are
     */
    public final Parameter parameter(String name) {
        List<Parameter> all = parameters();
        return all.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "no parameter " + name + "; the parameters are " + all.stream().map(Parameter::name).toList()));
    }

    /**
     * Freezes every parameter of this module and its children: they keep their values and receive no gradient.
     *
     * @return this
     */
    public final Module freeze() {
        parameters().forEach(p -> p.variable().setRequiresGrad(false));
        return this;
    }

    /**
     * Unfreezes every parameter of this module and its children.
     *
     * @return this
     */
    public final Module unfreeze() {
        parameters().forEach(p -> p.variable().setRequiresGrad(true));
        return this;
    }

    /** Forgets the gradients of every parameter, before the next training step. */
    public final void clearGrads() {
        parameters().forEach(p -> p.variable().clearGrad());
    }

    /**
     * Training mode, for this module and its children: dropout drops.
     *
     * @return this
     */
    public final Module train() {
        setTraining(true);
        return this;
    }

    /**
     * Evaluation mode, for this module and its children: dropout passes everything through.
     *
     * @return this
     */
    public final Module eval() {
        setTraining(false);
        return this;
    }

    private void setTraining(boolean mode) {
        training = mode;
        children.values().forEach(child -> child.setTraining(mode));
    }

    /**
     * @return whether this module is in training mode (the default) rather than evaluation mode
     */
    public final boolean isTraining() {
        return training;
    }

    /**
     * The child modules, by name, in the order registered.
     *
     * @return an unmodifiable view
     */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }
}
