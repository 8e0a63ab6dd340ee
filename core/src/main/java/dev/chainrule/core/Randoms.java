package dev.chainrule.core;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/** Seeded random sources. There is no hidden global generator: callers pass one, or build one from a seed. */
public final class Randoms {
    private Randoms() {}

    /**
     * A Well19937c generator: the same seed gives the same sequence on every machine.
     *
     * @param seed any value; equal seeds give equal sequences
     * @return a new generator that the caller owns and that no other call shares; like every commons-math
     *     generator it is not safe for use from several threads at once
     */
    public static RandomGenerator seeded(long seed) {
        return new Well19937c(seed);
    }
}
