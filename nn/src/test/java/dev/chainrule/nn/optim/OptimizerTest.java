package dev.chainrule.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.autodiff.Ops;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.core.Parallelism;
import dev.chainrule.core.Randoms;
import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Parameter;
import java.util.List;
import java.util.function.Function;
import org.apache.commons.math3.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Each optimizer against its update rule computed by hand for the first steps, and on a bowl with a known minimum.
 * The loss is L = ½ Σ a ⊙ (w − c)², so g = a ⊙ (w − c) and the minimum is w = c.
 */
class OptimizerTest {
    private static final double[] A = {1.0, 4.0};
    private static final double[] C = {0.5, -1.5};
    private static final double[] START = {2.0, 1.0};

    private static Parameter parameter() {
        return new Parameter("w", Variable.parameter(Tensor.vector(START)).named("w"), Parameter.Role.WEIGHT);
    }

    private static void lossBackward(Variable w) {
        lossBackward(w, A, C);
    }

    /** Backward of L = ½ Σ a ⊙ (w − c)²: g = a ⊙ (w − c), each element's gradient from its own a, c and w. */
    private static void lossBackward(Variable w, double[] a, double[] c) {
        Variable d = Ops.sub(w, Variable.constant(Tensor.vector(c)));
        Ops.mul(Ops.sum(Ops.mul(Ops.mul(d, d), Variable.constant(Tensor.vector(a)))), 0.5).backward();
    }

    /** Runs {@code steps} steps; returns w after each. */
    private static double[][] run(Function<List<Parameter>, Optimizer> make, int steps) {
        Parameter p = parameter();
        Optimizer optimizer = make.apply(List.of(p));
        double[][] trajectory = new double[steps][];
        for (int s = 0; s < steps; s++) {
            optimizer.clearGrads();
            lossBackward(p.variable());
            optimizer.step();
            trajectory[s] = p.variable().value().toArray();
        }
        return trajectory;
    }

    /**
     * Runs {@code steps} steps without reading w in between, so that every step after the first writes its
     * elements in place (reading w gives its tensor away, and the next step then writes a copy); returns w.
     */
    private static double[] runInPlace(Function<List<Parameter>, Optimizer> make, int steps) {
        Parameter p = parameter();
        Optimizer optimizer = make.apply(List.of(p));
        for (int s = 0; s < steps; s++) {
            optimizer.clearGrads();
            lossBackward(p.variable());
            optimizer.step();
        }
        return p.variable().value().toArray();
    }

    /** The rule's steps, read after each step and, in place, after the last. */
    private static void assertRule(double[][] expected, Function<List<Parameter>, Optimizer> make) {
        assertSteps(expected, run(make, expected.length));
        double[] last = expected[expected.length - 1];
        assertSteps(new double[][] {last}, new double[][] {runInPlace(make, expected.length)});
    }

    private static double gradient(double w, int i) {
        return A[i] * (w - C[i]);
    }

    private static void assertSteps(double[][] expected, double[][] actual) {
        for (int s = 0; s < expected.length; s++) {
            for (int i = 0; i < expected[s].length; i++) {
                assertEquals(expected[s][i], actual[s][i], 1e-15, "step " + (s + 1) + ", element " + i);
            }
        }
    }

    @Test
    void sgdMomentumAndNesterovTakeTheirFirstStepsByTheirRules() {
        double lr = 0.1, mu = 0.9;
        double[][] plain = new double[3][2], momentum = new double[3][2], nesterov = new double[3][2];
        for (int i = 0; i < 2; i++) {
            double w = START[i], wm = START[i], vm = 0, wn = START[i], vn = 0;
            for (int s = 0; s < 3; s++) {
                w -= lr * gradient(w, i);
                plain[s][i] = w;
                vm = mu * vm + gradient(wm, i);
                wm -= lr * vm;
                momentum[s][i] = wm;
                double g = gradient(wn, i);
                vn = mu * vn + g;
                wn -= lr * (g + mu * vn);
                nesterov[s][i] = wn;
            }
        }
        assertRule(plain, ps -> Sgd.plain(ps, LearningRate.constant(lr)));
        assertRule(momentum, ps -> Sgd.momentum(ps, LearningRate.constant(lr), mu));
        assertRule(nesterov, ps -> Sgd.nesterov(ps, LearningRate.constant(lr), mu));
    }

    @Test
    void adamAndAdamWTakeTheirFirstStepsByTheirRules() {
        double lr = 0.05, b1 = 0.9, b2 = 0.999, eps = 1e-8, decay = 0.1;
        double[][] adam = new double[3][2], adamW = new double[3][2];
        for (int i = 0; i < 2; i++) {
            double w = START[i], m = 0, v = 0, ww = START[i], mw = 0, vw = 0;
            for (int t = 1; t <= 3; t++) {
                double g = gradient(w, i);
                m = b1 * m + (1 - b1) * g;
                v = b2 * v + (1 - b2) * g * g;
                w -= lr * (m / (1 - Math.pow(b1, t))) / (Math.sqrt(v / (1 - Math.pow(b2, t))) + eps);
                adam[t - 1][i] = w;
                double gw = gradient(ww, i);
                mw = b1 * mw + (1 - b1) * gw;
                vw = b2 * vw + (1 - b2) * gw * gw;
                ww = ww * (1 - lr * decay)
                        - lr * (mw / (1 - Math.pow(b1, t))) / (Math.sqrt(vw / (1 - Math.pow(b2, t))) + eps);
                adamW[t - 1][i] = ww;
            }
        }
        assertRule(adam, ps -> Adam.adam(ps, LearningRate.constant(lr)));
        assertRule(adamW, ps -> Adam.adamW(ps, LearningRate.constant(lr), decay));
        // Adam's first step moves every element by about η, whatever its gradient's size
        assertEquals(START[1] - lr, run(ps -> Adam.adam(ps, LearningRate.constant(lr)), 1)[0][1], 1e-6);
    }

    /** Every optimizer, with rates at which each finds the bowl's minimum unless AdamW's decay moves it. */
    private static List<Function<List<Parameter>, Optimizer>> optimizers(double adamWDecay) {
        return List.of(
                ps -> Sgd.plain(ps, LearningRate.constant(0.2)),
                ps -> Sgd.momentum(ps, LearningRate.constant(0.05), 0.9),
                ps -> Sgd.nesterov(ps, LearningRate.constant(0.05), 0.9),
                ps -> Adam.adam(ps, LearningRate.cosine(0.1, 0, 1500)),
                ps -> Adam.adamW(ps, LearningRate.cosine(0.1, 0, 1500), adamWDecay));
    }

    @Test
    void everyOptimizerFindsTheMinimumOfTheBowl() {
        for (Function<List<Parameter>, Optimizer> make : optimizers(0)) {
            double[][] trajectory = run(make, 1500);
            double[] last = trajectory[trajectory.length - 1];
            assertEquals(C[0], last[0], 1e-6, make.apply(List.of(parameter())).getClass().getSimpleName());
            assertEquals(C[1], last[1], 1e-6, make.apply(List.of(parameter())).getClass().getSimpleName());
        }
    }

    /**
     * The updates loop over whole chunks of a parameter's elements, then over the rest: in a parameter of two
     * chunks and a rest, every element takes the steps it takes as a parameter of its own, bit for bit.
     */
    @Test
    void everyElementOfALargeParameterStepsAsItWouldAlone() {
        int size = 2 * Optimizer.CHUNK + 7;
        Bowl bowl = Bowl.random(size, 5);
        double[] a = bowl.a(), c = bowl.c(), start = bowl.start();
        List<Function<List<Parameter>, Optimizer>> optimizers = optimizers(0.1);
        for (int k = 0; k < optimizers.size(); k++) {
            Function<List<Parameter>, Optimizer> make = optimizers.get(k);
            double[] whole = stepsOf(make, a, c, start);
            for (int i = 0; i < size; i++) {
                double alone = stepsOf(make, new double[] {a[i]}, new double[] {c[i]}, new double[] {start[i]})[0];
                assertEquals(alone, whole[i], 0.0, "optimizer " + k + ", element " + i);
            }
        }
    }

    /**
     * A parameter large enough to be shared among two threads, cut where no chunk ends, after work that was
     * shared: the same bits as on one thread, and the elements around the cut and at the end as each would step
     * alone.
     */
    @Test
    void aParameterSharedAmongThreadsStepsAsOnOneThread() {
        int size = 2 * Optimizer.ELEMENTS_PER_SHARE + 3 * Optimizer.CHUNK / 2 + 5;
        int cut = size / 2; // where Parallelism.share starts the second thread's part
        Bowl bowl = Bowl.random(size, 6);
        double[] a = bowl.a(), c = bowl.c(), start = bowl.start();
        int before = Parallelism.threads();
        try {
            List<Function<List<Parameter>, Optimizer>> optimizers = optimizers(0.1);
            for (int k = 0; k < optimizers.size(); k++) {
                Parallelism.setThreads(1);
                double[] oneThread = stepsOf(optimizers.get(k), a, c, start);
                Parallelism.setThreads(2);
                long handOffs = Parallelism.handOffs();
                double[] twoThreads = stepsAfterSharedWork(optimizers.get(k), a, c, start);
                assertEquals(handOffs + 6, Parallelism.handOffs(), "three steps, each shared after shared work");
                assertArrayEquals(oneThread, twoThreads, "optimizer " + k);
                for (int i : new int[] {0, cut - 1, cut, cut + 1, size - 6, size - 1}) {
                    double alone = stepsOf(optimizers.get(k), new double[] {a[i]}, new double[] {c[i]},
                            new double[] {start[i]})[0];
                    assertEquals(alone, twoThreads[i], 0.0, "optimizer " + k + ", element " + i);
                }
            }
        } finally {
            Parallelism.setThreads(before);
        }
    }

    /**
     * A large parameter's update is shared among the threads after a forward and backward that were, where each
     * thread holds part of the gradient, and stays on the calling thread after one that was not, where it holds
     * all of it.
     */
    @Test
    void anUpdateIsSharedOnlyAfterSharedWork() {
        Bowl bowl = Bowl.random(2 * Optimizer.ELEMENTS_PER_SHARE, 7);
        int before = Parallelism.threads();
        try {
            Parallelism.setThreads(2);
            for (Function<List<Parameter>, Optimizer> make : optimizers(0.1)) {
                Variable w = Variable.parameter(Tensor.vector(bowl.start()));
                Optimizer optimizer = make.apply(List.of(new Parameter("w", w, Parameter.Role.WEIGHT)));
                for (boolean shared : new boolean[] {false, true, false, true, true}) {
                    optimizer.clearGrads();
                    lossBackward(w, bowl.a(), bowl.c());
                    if (shared) {
                        handOverWork();
                    }
                    long handOffs = Parallelism.handOffs();
                    optimizer.step();
                    assertEquals(shared ? handOffs + 1 : handOffs, Parallelism.handOffs(),
                            "after shared work: " + shared);
                }
            }
        } finally {
            Parallelism.setThreads(before);
        }
    }

    /** Work that the other threads take a share of, as a large product's would be. */
    private static void handOverWork() {
        Parallelism.share(2, 1, (from, to) -> { });
    }

    /** L = ½ Σ a ⊙ (w − c)², a in [0.5, 1.5), c and the starting w standard normal. */
    private record Bowl(double[] a, double[] c, double[] start) {
        static Bowl random(int size, long seed) {
            RandomGenerator random = Randoms.seeded(seed);
            Bowl bowl = new Bowl(new double[size], new double[size], new double[size]);
            for (int i = 0; i < size; i++) {
                bowl.a[i] = 0.5 + random.nextDouble();
                bowl.c[i] = random.nextGaussian();
                bowl.start[i] = random.nextGaussian();
            }
            return bowl;
        }
    }

    /** w after three steps on L = ½ Σ a ⊙ (w − c)² from {@code start}. */
    private static double[] stepsOf(Function<List<Parameter>, Optimizer> make, double[] a, double[] c,
            double[] start) {
        return steps(make, a, c, start, false);
    }

    /** {@link #stepsOf}, with work handed over to the other threads before each step. */
    private static double[] stepsAfterSharedWork(Function<List<Parameter>, Optimizer> make, double[] a, double[] c,
            double[] start) {
        return steps(make, a, c, start, true);
    }

    private static double[] steps(Function<List<Parameter>, Optimizer> make, double[] a, double[] c,
            double[] start, boolean afterSharedWork) {
        Variable w = Variable.parameter(Tensor.vector(start));
        Optimizer optimizer = make.apply(List.of(new Parameter("w", w, Parameter.Role.WEIGHT)));
        for (int s = 0; s < 3; s++) {
            optimizer.clearGrads();
            lossBackward(w, a, c);
            if (afterSharedWork) {
                handOverWork();
            }
            optimizer.step();
        }
        return w.value().toArray();
    }

    @Test
    void aParameterWithoutAGradientIsLeftAloneAndStepsAreCounted() {
        Parameter used = parameter();
        Parameter unused = new Parameter("u", Variable.parameter(Tensor.vector(7.0)), Parameter.Role.BIAS);
        Optimizer sgd = Sgd.plain(List.of(used, unused), LearningRate.stepDecay(0.1, 2, 0.5));

        lossBackward(used.variable());
        sgd.step();

        assertEquals(Tensor.vector(7.0), unused.variable().value());
        assertEquals(0, unused.variable().version());
        assertEquals(1, used.variable().version());
        assertEquals(1, sgd.steps());
        assertEquals(0.1, sgd.currentLearningRate());
        sgd.step();
        assertEquals(0.05, sgd.currentLearningRate());
    }

    /** Steps write the weights in place, but never into a tensor someone took before the step. */
    @Test
    void aValueTakenBeforeAStepKeepsItsElements() {
        Parameter p = parameter();
        Optimizer sgd = Sgd.plain(List.of(p), LearningRate.constant(0.1));
        for (int s = 0; s < 2; s++) {
            sgd.clearGrads();
            lossBackward(p.variable());
            sgd.step();
        }
        Tensor taken = p.variable().value();
        double[] elements = taken.toArray();
        for (int s = 0; s < 2; s++) {
            sgd.clearGrads();
            lossBackward(p.variable());
            sgd.step();
        }

        assertEquals(Tensor.vector(elements), taken);
        assertTrue(!p.variable().value().equals(taken), "the steps moved w");
        assertEquals(4, p.variable().version());
    }

    /** A node of a user's, outside chainrule, that keeps the tensors its forward was given. */
    private static final class KeepsItsInputs extends dev.chainrule.autodiff.Function {
        final List<Tensor> kept = new java.util.ArrayList<>();

        @Override protected Tensor forward(Tensor... xs) {
            kept.add(xs[0]);
            return xs[0].mul(2.0);
        }

        @Override protected Variable[] backward(Variable gy) {
            return grads(gy.mul(2.0));
        }
    }

    /** chainrule's own nodes read a parameter where it is; a user's node is given a tensor that never changes. */
    @Test
    void aUsersNodeKeepsTheValuesItWasGivenThroughSteps() {
        Parameter p = parameter();
        Optimizer sgd = Sgd.plain(List.of(p), LearningRate.constant(0.1));
        KeepsItsInputs node = null;
        for (int s = 0; s < 3; s++) {
            sgd.clearGrads();
            node = new KeepsItsInputs();
            Variable d = Ops.sub(node.apply(p.variable()), Variable.constant(Tensor.vector(C)));
            Ops.sum(Ops.mul(d, d)).backward();
            sgd.step();
        }
        Tensor kept = node.kept.get(0);
        double[] elements = kept.toArray();
        sgd.clearGrads();
        Ops.sum(Ops.mul(p.variable(), p.variable())).backward();
        sgd.step();

        assertEquals(Tensor.vector(elements), kept);
        assertTrue(!p.variable().value().equals(kept), "the step moved w");
    }

    @Test
    void aGraphRecordedBeforeAStepCannotBeBackpropagatedAfterIt() {
        Parameter p = parameter();
        Optimizer sgd = Sgd.plain(List.of(p), LearningRate.constant(0.1));
        lossBackward(p.variable());
        Variable stale = Ops.sum(Ops.tanh(p.variable()));
        sgd.step();

        IllegalStateException e = assertThrows(IllegalStateException.class, stale::backward);
        assertTrue(e.getMessage().startsWith("w (2) was modified in place after the graph used it"), e.getMessage());
    }

    @Test
    void schedulesGiveTheirRates() {
        LearningRate step = LearningRate.stepDecay(0.1, 10, 0.5);
        LearningRate cosine = LearningRate.cosine(0.1, 0.01, 100);

        assertEquals(0.1, step.at(9));
        assertEquals(0.05, step.at(10));
        assertEquals(0.025, step.at(25));
        assertEquals(0.1, cosine.at(0), 1e-15);
        assertEquals(0.055, cosine.at(50), 1e-15);
        assertEquals(0.01, cosine.at(100), 1e-15);
        assertEquals(0.01, cosine.at(1000), 1e-15);
        LearningRate custom = s -> 1.0 / (s + 1);
        assertEquals(0.25, custom.at(3));
        assertThrows(IllegalArgumentException.class, () -> LearningRate.cosine(0.1, 0.2, 10));
        assertThrows(IllegalArgumentException.class, () -> Sgd.nesterov(List.of(parameter()), LearningRate.constant(0.1), 0));
    }
    /**
     * A parameter frozen while others train starts its own bias correction when it is unfrozen: Adam's first update
     * of it moves each element by about η, as PyTorch's per-parameter step count gives, not by up to 3.16·η.
     */
    @Test
    void adamCountsEachParametersOwnUpdatesForItsBiasCorrection() {
        Parameter trained = parameter();
        Parameter frozen = new Parameter("f", Variable.parameter(Tensor.vector(1.0)).named("f"), Parameter.Role.WEIGHT);
        Optimizer adam = Adam.adam(List.of(trained, frozen), LearningRate.constant(0.1));
        frozen.variable().setRequiresGrad(false);
        for (int s = 0; s < 50; s++) {
            adam.clearGrads();
            lossBackward(trained.variable());
            adam.step();
        }
        frozen.variable().setRequiresGrad(true);
        adam.clearGrads();
        Ops.sum(Ops.mul(frozen.variable(), 3.0)).backward();
        adam.step();

        assertEquals(1.0 - 0.1, frozen.variable().value().item(), 1e-6);
    }

    @Test
    void aParameterListedTwiceIsUpdatedOnce() {
        Parameter p = parameter();
        Optimizer sgd = Sgd.plain(List.of(p, p), LearningRate.constant(0.1));
        lossBackward(p.variable());
        sgd.step();

        assertEquals(START[0] - 0.1 * gradient(START[0], 0), p.variable().value().getFlat(0), 1e-15);
        assertEquals(1, p.variable().version());
    }

    @Test
    void theLastStepsRateIsKnownAndABadRateIsRefused() {
        Parameter p = parameter();
        Optimizer sgd = Sgd.plain(List.of(p), LearningRate.stepDecay(1.0, 1, 0.5));
        assertTrue(Double.isNaN(sgd.lastLearningRate()));
        lossBackward(p.variable());
        sgd.step();
        sgd.step();
        assertEquals(0.5, sgd.lastLearningRate());
        assertEquals(0.25, sgd.currentLearningRate());

        Optimizer broken = Sgd.plain(List.of(p), step -> -1);
        IllegalStateException e = assertThrows(IllegalStateException.class, broken::step);
        assertEquals("Optimizer: the learning rate of step 0 is -1.0; expected a positive number", e.getMessage());
    }
}
