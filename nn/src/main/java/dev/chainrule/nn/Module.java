package dev.chainrule.nn;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A piece of a network: parameters of its own, child modules, and a forward pass built from autodiff operations.
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
 */
public abstract class Module {
    private final Map<String, Parameter> own = new LinkedHashMap<>();
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
     * Registers a child module; its parameters' names gain the prefix {@code name.}.
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
        return child;
    }

    private void checkName(String name) {
        checkNotNull(name, "a module or parameter name is null");
        checkArgument(!name.isEmpty() && !name.contains("."), "name \"%s\" must be non-empty and without dots", name);
        checkArgument(!own.containsKey(name) && !children.containsKey(name), "%s is already a name in this module", name);
    }

    /**
     * Every parameter of this module and its children, depth first in the order registered, each once even when
     * shared by several modules (it keeps the first name found).
     *
     * @return a new list the caller owns
     */
    public final List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect("", all, seen);
        return all;
    }

    private void collect(String prefix, List<Parameter> all, Set<Variable> seen) {
        for (Parameter p : own.values()) {
            if (seen.add(p.variable())) {
                all.add(new Parameter(prefix + p.name(), p.variable(), p.role()));
            }
        }
        children.forEach((name, child) -> child.collect(prefix + name + ".", all, seen));
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
