package dev.chainrule.autodiff;

import dev.chainrule.autodiff.testing.Case;
import dev.chainrule.autodiff.testing.Gens;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.util.Arrays;
import java.util.function.Function;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/** A tensor and a reduction over some of its axes (none listed means all), keeping them as size 1 or not. */
record Reduction(Tensor x, int[] axes, boolean keepDims) {
    /** A reduction as Ops takes it: {@code Ops::sum}, {@code Ops::mean}, {@code Ops::max}, {@code Ops::min}. */
    @FunctionalInterface
    interface Reducer {
        Variable apply(Variable x, boolean keepDims, int... axes);
    }

    /** Tensors of rank 0 to maxRank drawn by {@code tensors}, any subset of their axes, kept or dropped. */
    static Gen<Reduction> reductions(int maxRank, Function<Shape, Gen<Tensor>> tensors) {
        return Gens.shapes(0, maxRank).flatMap(shape -> tensors.apply(shape)
                .zip(Gens.axes(shape.rank()), SourceDSL.booleans().all(), Reduction::new));
    }

    /** Values in [−2, 2]. */
    static Gen<Reduction> reductions(int maxRank) {
        return reductions(maxRank, shape -> Gens.tensors(shape, Gens.values(-2, 2)));
    }

    /** The case of this reduction by {@code reducer}, described as {@code name over axes [2, -3], keeping dims}. */
    Case toCase(String name, Reducer reducer) {
        return new Case(name + " " + over(), xs -> reducer.apply(xs[0], keepDims, axes), x);
    }

    /** Like {@code over axes [2, -3], keeping dims}. */
    String over() {
        return "over axes " + Arrays.toString(axes) + (keepDims ? ", keeping dims" : "");
    }

    @Override
    public String toString() {
        return over() + " of " + x.shape() + " " + x;
    }
}
