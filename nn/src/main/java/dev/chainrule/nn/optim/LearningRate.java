package dev.chainrule.nn.optim;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * A learning rate as a function of the step: how many updates the optimizer has made before this one (0 for the
 * first). Write your own as a lambda: {@code step -> 0.1 / (1 + step / 1000.0)}.
 */
@FunctionalInterface
public interface LearningRate {
    /**
     * @param step the number of updates made before this one, from 0
     * @return the learning rate for this update
     */
    double at(int step);

    /**
     * @param rate the rate at every step, positive
     * @return a constant learning rate
     */
    static LearningRate constant(double rate) {
        checkArgument(rate > 0, "LearningRate: the rate must be positive, got %s", rate);
        return step -> rate;
    }

    /**
     * Step decay: {@code rate · factor^⌊step / every⌋}.
     *
     * @param rate the initial rate, positive
     * @param every how many steps each rate lasts, positive
     * @param factor what the rate is multiplied by after each period, in (0, 1]
     * @return the schedule
     */
    static LearningRate stepDecay(double rate, int every, double factor) {
        checkArgument(rate > 0 && every > 0 && factor > 0 && factor <= 1,
                "LearningRate.stepDecay: needs rate > 0, every > 0 and factor in (0, 1], got %s, %s, %s", rate, every, factor);
        return step -> rate * Math.pow(factor, step / every);
    }

    /**
     * Cosine annealing from {@code rate} down to {@code floor} over {@code steps} steps, then {@code floor}:
     * {@code floor + (rate − floor)(1 + cos(π · step / steps)) / 2}.
     *
     * @param rate the initial rate, positive
     * @param floor the final rate, in [0, rate]
     * @param steps how many steps the descent takes, positive
     * @return the schedule
     */
    static LearningRate cosine(double rate, double floor, int steps) {
        checkArgument(rate > 0 && floor >= 0 && floor <= rate && steps > 0,
                "LearningRate.cosine: needs rate > 0, floor in [0, rate] and steps > 0, got %s, %s, %s", rate, floor, steps);
        return step -> step >= steps ? floor : floor + (rate - floor) * (1 + Math.cos(Math.PI * step / steps)) / 2;
    }
}
