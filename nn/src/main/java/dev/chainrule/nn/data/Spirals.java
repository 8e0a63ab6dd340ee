package dev.chainrule.nn.data;

import static com.google.common.base.Preconditions.checkArgument;

import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Two interleaved spirals in the plane, one per class: a problem no straight line separates, small enough to
 * train on in seconds and to draw. Class c's points lie at radius r ∈ [0.05, 1] and angle cπ + 2π·turns·r, plus
 * Gaussian noise.
 *
 * <pre>{@code
 * Dataset train = Spirals.generate(400, 1.5, 0.04, Randoms.seeded(1));   // 800 points, 2 features, 2 classes
 * }</pre>
 */
public final class Spirals {
    private static final double INNER_RADIUS = 0.05;

    private Spirals() {}

    /**
     * @param perClass the number of points of each class, at least 1
     * @param turns how many times each arm winds around the origin, positive
     * @param noise the standard deviation of the noise added to each coordinate, at least 0
     * @param random the source of the radii and the noise; the same seed gives the same points
     * @return {@code 2 × perClass} rows of (x, y), classes 0 and 1 alternating row by row; a seed gives the same
     *     arms at every noise level
     * @throws IllegalArgumentException if an argument is out of range
     */
    public static Dataset generate(int perClass, double turns, double noise, RandomGenerator random) {
        checkArgument(perClass >= 1, "Spirals: %s points per class; expected at least 1", perClass);
        checkArgument(turns > 0 && Double.isFinite(turns), "Spirals: %s turns; expected a positive number", turns);
        checkArgument(noise >= 0 && Double.isFinite(noise), "Spirals: noise %s; expected at least 0", noise);
        double[] points = new double[4 * perClass];
        int[] labels = new int[2 * perClass];
        for (int row = 0; row < labels.length; row++) {
            labels[row] = row % 2;
            double radius = INNER_RADIUS + (1 - INNER_RADIUS) * random.nextDouble();
            double angle = labels[row] * Math.PI + 2 * Math.PI * turns * radius;
            points[2 * row] = radius * Math.cos(angle);
            points[2 * row + 1] = radius * Math.sin(angle);
        }
        // Noise drawn after every radius, so that a seed gives the same arms at every noise level.
        for (int i = 0; i < points.length; i++) {
            points[i] += noise * random.nextGaussian();
        }
        return new Dataset(Tensor.adopt(Shape.of(labels.length, 2), points), labels, 2);
    }
}
