package dev.chainrule.autodiff;

import static dev.chainrule.autodiff.PropertyChecks.assertRefused;
import static dev.chainrule.autodiff.testing.Properties.qt;

import dev.chainrule.autodiff.testing.Gens;
import dev.chainrule.autodiff.testing.PropertyTest;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.util.Arrays;
import java.util.List;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * Shapes that broadcast where they must not: a seed gradient, a loss's target or an affine bias whose shape is not
 * the expected one but would broadcast to it is refused, naming both shapes, rather than silently broadcast into a
 * wrong result.
 */
class ShapeRefusalPropertiesTest {
    /**
     * Two different shapes of rank 1 or more, one of which broadcasts to the other, in either order: an axis of
     * size 2 or more shrunk to 1, the leading axis dropped, or a leading axis of size 1 added.
     */
    private static Gen<Shape[]> differentButBroadcasting() {
        return Gens.shapes(1, 3).zip(Generate.range(0, 2), Generate.range(0, 2), SourceDSL.booleans().all(),
                (shape, change, axisChoice, swap) -> {
                    int[] dims = shape.dims();
                    int axis = axisChoice % dims.length;
                    Shape full;
                    Shape partner;
                    if (change == 0) {
                        dims[axis] += 1;
                        full = Shape.of(dims);
                        dims[axis] = 1;
                        partner = Shape.of(dims);
                    } else if (change == 1 && dims.length > 1) {
                        full = shape;
                        partner = Shape.of(Arrays.copyOfRange(dims, 1, dims.length));
                    } else {
                        int[] withLeadingOne = new int[dims.length + 1];
                        withLeadingOne[0] = 1;
                        System.arraycopy(dims, 0, withLeadingOne, 1, dims.length);
                        full = Shape.of(withLeadingOne);
                        partner = shape;
                    }
                    return swap ? new Shape[] {partner, full} : new Shape[] {full, partner};
                });
    }

    @PropertyTest
    void backwardRefusesASeedGradientWhoseShapeDiffersFromTheOutputsEvenWhenItBroadcasts() {
        qt().forAll(differentButBroadcasting())
                .describedAs(shapes -> "output " + shapes[0] + ", seed " + shapes[1])
                .checkAssert(shapes -> {
                    Variable y = Ops.mul(Variable.parameter(Tensor.ones(shapes[0])), 2.0);
                    assertRefused("backward", () -> y.backward(BackwardOptions.defaults().seed(Tensor.ones(shapes[1]))),
                            shapes);
                    assertRefused("GradCheck", () -> GradCheck.defaults().upstream(Tensor.ones(shapes[1]))
                            .check(xs -> Ops.mul(xs[0], 2.0), Tensor.ones(shapes[0])), shapes);
                });
    }

    @PropertyTest
    void lossesRefusePredictionAndTargetShapesThatDifferEvenWhenTheyBroadcast() {
        qt().forAll(differentButBroadcasting())
                .describedAs(shapes -> "prediction " + shapes[0] + ", target " + shapes[1])
                .checkAssert(shapes -> {
                    Variable o = Variable.parameter(Tensor.zeros(shapes[0]));
                    Variable t = Variable.constant(Tensor.zeros(shapes[1]));
                    assertRefused("meanSquaredError", () -> Ops.meanSquaredError(o, t), shapes);
                    assertRefused("sigmoidCrossEntropy", () -> Ops.sigmoidCrossEntropy(o, t), shapes);
                    assertRefused("softmaxCrossEntropy", () -> Ops.softmaxCrossEntropy(o, t), shapes);
                });
    }

    /** X (m×k), W (k×n), and a bias that broadcasts to X·W (m×n) but is not the vector (n). */
    @PropertyTest
    void affineRefusesABiasThatBroadcastsButIsNotAVectorOfOneEntryPerColumn() {
        Gen<Integer> dim = Gens.dims(Gens.MAX_DIM);
        Gen<Shape[]> cases = dim.zip(dim, dim, (m, k, n) -> new int[] {m, k, n}).flatMap(mkn -> {
            int m = mkn[0], k = mkn[1], n = mkn[2];
            List<Shape> biases = List.of(Shape.of(1, n), Shape.of(m, n), Shape.of(1), Shape.scalar(), Shape.of(1, 1));
            return Generate.pick(biases).map(b -> new Shape[] {Shape.of(m, k), Shape.of(k, n), b});
        });
        qt().forAll(cases).assuming(shapes -> !shapes[2].equals(Shape.of(shapes[1].dim(1))))
                .describedAs(shapes -> "x " + shapes[0] + ", W " + shapes[1] + ", b " + shapes[2])
                .checkAssert(shapes -> {
                    Variable x = Variable.constant(Tensor.zeros(shapes[0]));
                    Variable w = Variable.parameter(Tensor.zeros(shapes[1]));
                    Variable b = Variable.parameter(Tensor.zeros(shapes[2]));
                    assertRefused("affine", () -> Ops.affine(x, w, b), shapes[1], shapes[2]);
                });
    }
}
