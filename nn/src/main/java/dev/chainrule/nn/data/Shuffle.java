package dev.chainrule.nn.data;

import dev.chainrule.core.Randoms;
import org.apache.commons.math3.random.RandomGenerator;

/** Seeded permutations, shared by {@link Dataset#split} and {@link Batches}. */
final class Shuffle {
    private Shuffle() {}

    /** A uniformly random permutation of 0, 1, …, n − 1 (Fisher–Yates), drawing n − 1 times from {@code random}. */
    static int[] permutation(int n, RandomGenerator random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /**
     * A generator for one epoch, determined by the seed and the epoch alone, so that epoch 7 is the same whether
     * or not epochs 0 to 6 ran. The pair is mixed by SplitMix64's finaliser so that neighbouring seeds and
     * epochs give unrelated streams.
     */
    static RandomGenerator forEpoch(long seed, int epoch) {
        long z = seed + (epoch + 1L) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return Randoms.seeded(z ^ (z >>> 31));
    }
}
