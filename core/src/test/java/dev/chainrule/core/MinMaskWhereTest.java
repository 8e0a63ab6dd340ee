package dev.chainrule.core;

import static dev.chainrule.core.TestSupport.EXAMPLES;
import static dev.chainrule.core.TestSupport.assertTensorEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Min, the masks of where max and min take their values, where, and Bernoulli draws. */
class MinMaskWhereTest {

    /** Each axis reduced or not, at random; none reduced stands for all, as the reductions read it. */
    private static int[] someAxes(int rank, Random random) {
        return IntStream.range(0, rank).filter(a -> random.nextBoolean()).toArray();
    }

    /** The index with the reduced axes set to 0: which group an element folds into. */
    private static int[] group(int[] index, int[] axes) {
        int[] g = index.clone();
        for (int a = 0; a < g.length; a++) {
            if (axes.length == 0 || contains(axes, a)) {
                g[a] = 0;
            }
        }
        return g;
    }

    private static boolean contains(int[] axes, int axis) {
        return Arrays.stream(axes).anyMatch(a -> a == axis);
    }

    /**
     * Small integers, so that ties are common: the mask holds one 1 per group, at the first element in row-major
     * order that equals the group's max (min), and max (min) reads its value there.
     */
    @Test
    @Tag("property")
    void masksMarkTheFirstExtremeOfEachGroupWhereMaxAndMinTakeTheirValues() {
        qt().withExamples(EXAMPLES).forAll(TestSupport.dims(0, 4), TestSupport.seeds()).checkAssert((dims, seed) -> {
            Random random = new Random(seed);
            Shape shape = Shape.of(dims);
            double[] values = random.ints(shape.size(), -2, 3).asDoubleStream().toArray();
            Tensor x = Tensor.of(shape, values);
            int[] axes = someAxes(dims.length, random);
            for (boolean largest : new boolean[] {true, false}) {
                Tensor mask = largest ? x.maxMask(axes) : x.minMask(axes);
                Tensor extreme = largest ? x.max(true, axes) : x.min(true, axes);
                boolean[] seen = new boolean[extreme.size()];
                for (int flat = 0; flat < x.size(); flat++) {
                    int[] index = TestSupport.unravel(flat, dims);
                    int g = TestSupport.ravel(group(index, axes), extreme.shape().dims());
                    boolean first = !seen[g] && values[flat] == extreme.getFlat(g);
                    seen[g] |= first;
                    assertEquals(first ? 1.0 : 0.0, mask.getFlat(flat), (largest ? "max" : "min") + " mask over "
                            + Arrays.toString(axes) + " at " + Arrays.toString(index) + " of " + x);
                }
            }
        });
    }

    @Test
    void minIsTheSmallestElementAndPropagatesNaN() {
        Tensor m = Tensor.matrix(new double[] {3, -1, 2}, new double[] {0, 5, -4});
        assertTensorEquals(Tensor.vector(-1, -4), m.min(false, 1));
        assertTensorEquals(Tensor.of(Shape.of(1, 3), 0, -1, -4), m.min(true, 0));
        assertTensorEquals(Tensor.scalar(-4), m.min());
        assertTrue(Double.isNaN(Tensor.vector(1, Double.NaN, -3).min().item()));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0).min());
    }

    @Test
    void masksGoToTheFirstTieAndTheFirstNaN() {
        assertTensorEquals(Tensor.vector(0, 1, 0, 0), Tensor.vector(1, 3, 3, 2).maxMask());
        assertTensorEquals(Tensor.vector(1, 0, 0, 0), Tensor.vector(1, 3, 1, 2).minMask(0));
        assertTensorEquals(Tensor.vector(0, 1, 0), Tensor.vector(1, Double.NaN, Double.NaN).maxMask());
        assertTensorEquals(Tensor.vector(0, 1, 0), Tensor.vector(1, Double.NaN, -5).minMask());
        assertTensorEquals(Tensor.matrix(new double[] {1, 0}, new double[] {0, 1}),
                Tensor.matrix(new double[] {2, 2}, new double[] {1, 4}).maxMask(-1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0).maxMask());
    }

    @Test
    @Tag("property")
    void whereChoosesAWhereTheConditionIsOneAndBWhereItIsZero() {
        qt().withExamples(EXAMPLES).forAll(TestSupport.compatiblePairs(), TestSupport.shapes(0, 2))
                .checkAssert((pair, conditionShape) -> {
                    Shape abShape = TestSupport.naiveBroadcast(pair.a(), pair.b());
                    Shape out = TestSupport.naiveBroadcast(abShape, conditionShape);
                    if (out == null) {
                        return;
                    }
                    Random random = new Random(pair.seed());
                    Tensor c = Tensor.of(conditionShape, random.ints(conditionShape.size(), 0, 2).asDoubleStream().toArray());
                    Tensor a = TestSupport.randomTensor(pair.a(), random.nextLong(), -5, 5);
                    Tensor b = TestSupport.randomTensor(pair.b(), random.nextLong(), -5, 5);
                    Tensor chosen = Tensor.where(c, a, b);
                    assertEquals(out, chosen.shape());
                    for (int flat = 0; flat < out.size(); flat++) {
                        int[] index = TestSupport.unravel(flat, out);
                        boolean yes = c.get(TestSupport.broadcastSourceIndex(index, c.shape())) == 1;
                        Tensor from = yes ? a : b;
                        assertEquals(from.get(TestSupport.broadcastSourceIndex(index, from.shape())), chosen.getFlat(flat));
                    }
                });
    }

    @Test
    void whereIgnoresNaNAndInfinityInTheElementNotChosen() {
        Tensor chosen = Tensor.where(Tensor.vector(1, 0), Tensor.vector(2, Double.NaN), Tensor.vector(Double.POSITIVE_INFINITY, 3));
        assertTensorEquals(Tensor.vector(2, 3), chosen);
    }

    @Test
    void whereRefusesShapesThatDoNotBroadcastNamingAllThreeAndAConditionNotZeroOrOne() {
        String shapes = assertThrows(IllegalArgumentException.class,
                () -> Tensor.where(Tensor.ones(2, 3), Tensor.zeros(4), Tensor.zeros(3))).getMessage();
        assertEquals("where: condition (2, 3), a (4) and b (3) do not broadcast to a common shape", shapes);
        String condition = assertThrows(IllegalArgumentException.class,
                () -> Tensor.where(Tensor.vector(1, 0.5), Tensor.zeros(2), Tensor.zeros(2))).getMessage();
        assertEquals("where: the condition must hold only 0 and 1, got 0.5 at [1] of (2)", condition);
        assertThrows(IllegalArgumentException.class,
                () -> Tensor.where(Tensor.vector(Double.NaN), Tensor.zeros(1), Tensor.zeros(1)));
    }

    @Test
    void bernoulliDrawsOnesWithTheGivenProbabilityFromTheSeed() {
        Tensor draws = Tensor.bernoulli(Randoms.seeded(3), 0.3, Shape.of(100, 100));
        assertTrue(Arrays.stream(draws.toArray()).allMatch(v -> v == 0 || v == 1), "only 0 and 1");
        // The mean of 10 000 draws has standard deviation √(0.3·0.7/10 000) ≈ 0.0046; 6 of them is 0.028.
        assertEquals(0.3, draws.mean().item(), 0.028);
        assertTensorEquals(draws, Tensor.bernoulli(Randoms.seeded(3), 0.3, Shape.of(100, 100)));
        assertTensorEquals(Tensor.zeros(2, 2), Tensor.bernoulli(Randoms.seeded(3), 0, Shape.of(2, 2)));
        assertTensorEquals(Tensor.ones(2, 2), Tensor.bernoulli(Randoms.seeded(3), 1, Shape.of(2, 2)));
        for (double p : new double[] {-0.1, 1.1, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> Tensor.bernoulli(Randoms.seeded(3), p, Shape.of(2)));
        }
    }
}
