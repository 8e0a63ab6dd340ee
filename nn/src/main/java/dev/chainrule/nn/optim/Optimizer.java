package dev.chainrule.nn.optim;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.autodiff.GradMode;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Parallelism;
import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Updates parameters in place from their gradients: one {@link #step()} after each backward. The update runs under
 * no-grad and writes through {@link Variable#update}, over the parameters' own elements: every module keeps its
 * parameters, a step makes no new weight arrays (only a value someone holds is copied first, and left as it was),
 * and a graph recorded before the step is refused rather than reused. A parameter without a gradient (frozen, or
 * unused by the loss) is left as it is. State (momentum, moments) is kept per parameter.
 */
public abstract class Optimizer {
    /**
     * The runs in which the built-in optimizers' loops go over a parameter's elements. The JIT sizes a loop's
     * unrolling, and with it its vectorization, by the trip counts it has profiled when it compiles the loop: a
     * loop over all the elements, run first on a tiny network's parameters (2 to 8 elements), stayed scalar for
     * the 784-256-128-10 network trained next in the same process: plain SGD's step went from 43 to 79–114 µs,
     * Adam's from 242 to 887. So each update loops over whole runs of CHUNK elements (a trip count that never
     * varies), then over what is left in a second loop, and keeps its speed whatever ran first.
     */
    static final int CHUNK = 256;
    /**
     * The fewest elements of a parameter that the built-in optimizers hand to another thread
     * ({@link Parallelism#share}). On two threads a layer's dW comes out of the product in halves, each in the cache
     * of the thread that computed it, and one thread updating all of it pulls the other half across: the SGD step
     * of a 784-256-128-10 network at batch 128 took 129–143 µs on two threads against 60–66 on one, and 80–89
     * with the update shared (batch 32 and 1024, whose dW₁ one thread sums, neither gained nor lost: 31–84
     * against 55–64 µs, 133–190 against 150–181). At batch 1 no product is shared and every gradient lies in the
     * calling thread's cache: sharing the update there made the whole step take 164–188 µs against 126–137, which
     * is why {@link #overElements} shares only after shared work.
     */
    static final int ELEMENTS_PER_SHARE = 1 << 14;

    private final List<Variable> parameters = new ArrayList<>();
    private final LearningRate learningRate;
    /** Each parameter's slot, at its index in {@link #parameters}; null until its first update. */
    private final Slot[] slots;
    private int steps;
    private double lastRate = Double.NaN;
    /** {@link Parallelism#handOffs()} when the last step ended, or when this optimizer was made. */
    private long handOffsAfterLastStep = Parallelism.handOffs();
    private boolean shareUpdates;

    /** One parameter's state, and how many updates it has had: its own t for bias corrections. */
    private static final class Slot {
        final double[][] state;
        int updates;

        Slot(double[][] state) {
            this.state = state;
        }
    }

    /**
     * @param parameters what to update; a parameter listed twice (a weight shared by two modules whose lists were
     *     joined) is updated once
     * @param learningRate the rate at each step
     */
    protected Optimizer(List<Parameter> parameters, LearningRate learningRate) {
        checkNotNull(parameters, "Optimizer: parameters is null");
        this.learningRate = checkNotNull(learningRate, "Optimizer: learningRate is null");
        Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Parameter p : parameters) {
            Variable v = checkNotNull(p, "Optimizer: a parameter is null").variable();
            if (seen.add(v)) {
                this.parameters.add(v);
            }
        }
        checkArgument(!this.parameters.isEmpty(), "Optimizer: no parameters to update");
        slots = new Slot[this.parameters.size()];
    }

    /**
     * Writes one parameter's new value over its elements. It should not throw part-way: the elements written so
     * far would stay. The built-in optimizers loop over the elements through {@link #overElements}, each element's
     * update being its own, and over runs of 256 elements, then over the rest in a loop of its own, so that the
     * JIT vectorizes them even when a tiny network's steps ran first: do the same for speed.
     *
     * @param w its elements in row-major order, to overwrite with the new value, in place; lent for this call
     *     only (it is a copy when someone holds the parameter's value: see {@link Variable#update})
     * @param g its gradient's elements in the same order, lent for this call only, and not to be written
     * @param state this parameter's state, as {@link #newState} made it and earlier updates left it: arrays of
     *     the optimizer's own, which no one else sees, so update them in place
     * @param rate the learning rate of this step
     * @param t this parameter's update number from 1, for bias corrections: steps in which it had no gradient
     *     (frozen, or unused) do not count, as in PyTorch
     */
    protected abstract void update(double[] w, double[] g, double[][] state, double rate, int t);

    /**
     * Runs {@code range} over a parameter's elements [0, length), for {@link #update}: shared among the threads
     * ({@link Parallelism#share}) when the work since the last step was, so that each thread updates the part of
     * a gradient that a shared product left in its cache; else on the calling thread alone, where the forward and
     * backward left every gradient. Only for loops whose result does not depend on the cut.
     *
     * @param length the parameter's elements
     * @param range the loop over [from, to)
     */
    protected final void overElements(int length, Parallelism.Range range) {
        if (shareUpdates) {
            Parallelism.share(length, ELEMENTS_PER_SHARE, range);
        } else {
            range.run(0, length);
        }
    }

    /**
     * @param w a parameter's value at its first update
     * @return the arrays this optimizer keeps for it, updated in place at each update (zeros of its size,
     *     typically, in row-major order); empty for none
     */
    protected abstract double[][] newState(Tensor w);

    /**
     * Updates every parameter that has a gradient, and counts one step.
     *
     * @throws IllegalStateException if the learning rate for this step is not a positive number
     */
    public final void step() {
        double rate = learningRate.at(steps);
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalStateException("Optimizer: the learning rate of step " + steps + " is " + rate
                    + "; expected a positive number");
        }
        lastRate = rate;
        steps++;
        shareUpdates = Parallelism.handOffs() != handOffsAfterLastStep;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (int i = 0; i < slots.length; i++) {
                Variable w = parameters.get(i);
                if (w.hasGrad() && w.requiresGrad()) {
                    if (slots[i] == null) {
                        slots[i] = new Slot(newState(w.value()));
                    }
                    Slot slot = slots[i];
                    slot.updates++;
                    w.readGrad(g -> w.update(elements -> update(elements, g, slot.state, rate, slot.updates)));
                }
            }
        }
        handOffsAfterLastStep = Parallelism.handOffs();
    }

    /** Forgets every parameter's gradient, before the next backward. */
    public final void clearGrads() {
        parameters.forEach(Variable::clearGrad);
    }

    /**
     * @return how many steps have been made
     */
    public final int steps() {
        return steps;
    }

    /**
     * @return the learning rate the next step will use
     */
    public final double currentLearningRate() {
        return learningRate.at(steps);
    }

    /**
     * @return the learning rate the last step used, or NaN before the first
     */
    public final double lastLearningRate() {
        return lastRate;
    }
}
