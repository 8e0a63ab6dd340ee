package dev.chainrule.autodiff;

import static dev.chainrule.autodiff.PropertyChecks.forward;
import static dev.chainrule.autodiff.PropertyChecks.assertClose;
import static dev.chainrule.autodiff.PropertyChecks.assertGradientShapesMatchInputs;
import static dev.chainrule.autodiff.PropertyChecks.assertRefused;
import static dev.chainrule.autodiff.PropertyChecks.squared;
import static dev.chainrule.autodiff.testing.Properties.assertSecondOrderGradientsMatch;
import static dev.chainrule.autodiff.testing.Properties.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chainrule.autodiff.testing.Case;
import dev.chainrule.autodiff.testing.Covers;
import dev.chainrule.autodiff.testing.Gens;
import dev.chainrule.autodiff.testing.PropertyTest;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Concat, Stack, Slice, Pad, Index, GatherRows and ScatterAddRows. All are linear, so their second-order
 * properties square the output: the gradient reaching the node then depends on the input, and its backward (the
 * paired node: Pad for Slice, ScatterAddRows for GatherRows, …) is differentiated in turn.
 */
class IndexingPropertiesTest {
    private static final Gen<Double> VALUES = Gens.values(-2, 2);

    /** A shape of rank 1 or more and one of its axes, written from the front or from the back. */
    private record Axis(Shape shape, int axis) {
        int dim() {
            return shape.dim(axis);
        }

        /** The shape with another size along the axis. */
        Shape with(int size) {
            int[] dims = shape.dims();
            dims[axis < 0 ? axis + dims.length : axis] = size;
            return Shape.of(dims);
        }
    }

    private record Joining(int axis, Tensor[] parts) {
        Case concat() {
            return new Case("concat along " + axis, xs -> Ops.concat(axis, xs), parts);
        }
    }

    private record Stacking(int axis, Tensor[] parts) {
        Case stack() {
            return new Case("stack along " + axis, xs -> Ops.stack(axis, xs), parts);
        }
    }

    private record Slicing(Tensor x, int axis, int from, int to) {
        Case slice() {
            return new Case("slice [" + from + ", " + to + ") along " + axis, xs -> Ops.slice(xs[0], axis, from, to), x);
        }
    }

    private record Padding(Tensor x, int axis, int before, int after) {
        Case pad() {
            return new Case("pad " + before + " and " + after + " along " + axis,
                    xs -> Ops.pad(xs[0], axis, before, after), x);
        }
    }

    private record Taking(Tensor x, int axis, int position) {
        Case index() {
            return new Case("index " + position + " along " + axis, xs -> Ops.index(xs[0], axis, position), x);
        }
    }

    private record Gathering(Tensor x, int[] indices) {
        Case gatherRows() {
            return new Case("gatherRows " + Arrays.toString(indices), xs -> Ops.gatherRows(xs[0], indices), x);
        }
    }

    private record Scattering(Tensor x, int rows, int[] indices) {
        Case scatterAddRows() {
            return new Case("scatterAddRows into " + rows + " rows at " + Arrays.toString(indices),
                    xs -> Ops.scatterAddRows(xs[0], rows, indices), x);
        }
    }

    private static Gen<Axis> axes(int maxRank) {
        return Gens.shapes(1, maxRank).flatMap(shape -> Generate.range(-shape.rank(), shape.rank() - 1)
                .map(axis -> new Axis(shape, axis)));
    }

    /** One to three parts that differ only along the axis, each 1 to 3 long there. */
    private static Gen<Joining> joinings(int maxRank) {
        return axes(maxRank).flatMap(a -> Generate.intArrays(Generate.range(1, 3), Generate.range(1, 3))
                .flatMap(sizes -> Gens.tensors(Arrays.stream(sizes).mapToObj(a::with).toList(), VALUES)
                        .map(parts -> new Joining(a.axis(), parts))));
    }

    /** One to three parts of one shape (scalars among them), the new axis anywhere in [−(rank + 1), rank]. */
    private static Gen<Stacking> stackings(int maxRank) {
        return Gens.shapes(0, maxRank).flatMap(shape -> Generate.range(-(shape.rank() + 1), shape.rank())
                .zip(Generate.range(1, 3), (axis, count) -> new int[] {axis, count})
                .flatMap(spec -> Gens.tensors(Collections.nCopies(spec[1], shape), VALUES)
                        .map(parts -> new Stacking(spec[0], parts))));
    }

    /** Ranges [from, to) within the axis, empty ones among them. */
    private static Gen<Slicing> slicings(int maxRank) {
        return axes(maxRank).flatMap(a -> Generate.range(0, a.dim()).zip(Generate.range(0, a.dim()),
                Gens.tensors(a.shape(), VALUES), (i, j, x) -> new Slicing(x, a.axis(), Math.min(i, j), Math.max(i, j))));
    }

    private static Gen<Padding> paddings(int maxRank) {
        return axes(maxRank).flatMap(a -> Generate.range(0, 2).zip(Generate.range(0, 2), Gens.tensors(a.shape(), VALUES),
                (before, after, x) -> new Padding(x, a.axis(), before, after)));
    }

    private static Gen<Taking> takings(int maxRank) {
        return axes(maxRank).flatMap(a -> Generate.range(0, a.dim() - 1).zip(Gens.tensors(a.shape(), VALUES),
                (position, x) -> new Taking(x, a.axis(), position)));
    }

    /** A table of 1 to 4 rows and minCount to 5 indices into it, repeats likely. */
    private static Gen<Gathering> gatherings(int maxRank, int minCount) {
        return Gens.shapes(1, maxRank).flatMap(shape -> Generate.intArrays(Generate.range(minCount, 5),
                Generate.range(0, shape.dim(0) - 1)).zip(Gens.tensors(shape, VALUES), (indices, x) -> new Gathering(x, indices)));
    }

    /** 1 to 4 rows of x, added into 1 to 4 rows at random indices, repeats likely. */
    private static Gen<Scattering> scatterings(int maxRank) {
        return Gens.dims(Gens.MAX_DIM).flatMap(rows -> Gens.shapes(1, maxRank).flatMap(shape -> Generate.intArrays(
                Generate.constant(shape.dim(0)), Generate.range(0, rows - 1)).zip(Gens.tensors(shape, VALUES),
                (indices, x) -> new Scattering(x, rows, indices))));
    }

    // ---- backward against numerical gradients ---------------------------------------------------------------

    @PropertyTest
    @Covers(Indexing.Concat.class)
    void concatBackwardMatchesNumericalGradientForEveryPartAndEveryCombinationOfConstants() {
        qt().forAll(joinings(3), Gens.seeds()).checkAssert((j, seed) -> {
            PropertyChecks.assertGradientsMatch(j.concat(), seed);
            assertGradientShapesMatchInputs(j.concat(), seed);
        });
    }

    @PropertyTest
    @Covers(Indexing.Stack.class)
    void stackBackwardMatchesNumericalGradient() {
        qt().forAll(stackings(2), Gens.seeds()).checkAssert((s, seed) -> PropertyChecks.assertGradientsMatch(s.stack(), seed));
    }

    @PropertyTest
    @Covers(Indexing.Slice.class)
    void sliceBackwardMatchesNumericalGradientInTheInputsShape() {
        qt().forAll(slicings(3), Gens.seeds()).checkAssert((s, seed) -> {
            PropertyChecks.assertGradientsMatch(s.slice(), seed);
            assertGradientShapesMatchInputs(s.slice(), seed);
        });
    }

    @PropertyTest
    @Covers(Indexing.Pad.class)
    void padBackwardMatchesNumericalGradient() {
        qt().forAll(paddings(3), Gens.seeds()).checkAssert((p, seed) -> PropertyChecks.assertGradientsMatch(p.pad(), seed));
    }

    @PropertyTest
    @Covers(Indexing.Index.class)
    void indexBackwardMatchesNumericalGradient() {
        qt().forAll(takings(3), Gens.seeds()).checkAssert((t, seed) -> PropertyChecks.assertGradientsMatch(t.index(), seed));
    }

    @PropertyTest
    @Covers(Indexing.GatherRows.class)
    void gatherRowsBackwardMatchesNumericalGradientWithRepeatedIndices() {
        qt().forAll(gatherings(3, 1), Gens.seeds())
                .checkAssert((g, seed) -> PropertyChecks.assertGradientsMatch(g.gatherRows(), seed));
    }

    @PropertyTest
    @Covers(Indexing.ScatterAddRows.class)
    void scatterAddRowsBackwardMatchesNumericalGradient() {
        qt().forAll(scatterings(3), Gens.seeds())
                .checkAssert((s, seed) -> PropertyChecks.assertGradientsMatch(s.scatterAddRows(), seed));
    }

    // ---- second order --------------------------------------------------------------------------------------

    @PropertyTest
    @Covers({Indexing.Concat.class, Indexing.Stack.class})
    void concatAndStackSecondOrderGradientsMatch() {
        qt().forAll(joinings(2), stackings(1)).checkAssert((j, s) -> {
            assertSecondOrderGradientsMatch(squared(j.concat()));
            assertSecondOrderGradientsMatch(squared(s.stack()));
        });
    }

    @PropertyTest
    @Covers({Indexing.Slice.class, Indexing.Pad.class, Indexing.Index.class})
    void sliceAndPadAndIndexSecondOrderGradientsMatch() {
        qt().forAll(slicings(2), paddings(2), takings(2)).checkAssert((s, p, t) -> {
            assertSecondOrderGradientsMatch(squared(s.slice()));
            assertSecondOrderGradientsMatch(squared(p.pad()));
            assertSecondOrderGradientsMatch(squared(t.index()));
        });
    }

    @PropertyTest
    @Covers({Indexing.GatherRows.class, Indexing.ScatterAddRows.class})
    void gatherRowsAndScatterAddRowsSecondOrderGradientsMatch() {
        qt().forAll(gatherings(2, 1), scatterings(2)).checkAssert((g, s) -> {
            assertSecondOrderGradientsMatch(squared(g.gatherRows()));
            assertSecondOrderGradientsMatch(squared(s.scatterAddRows()));
        });
    }

    // ---- forward against the definitions -------------------------------------------------------------------

    @PropertyTest
    void concatAndStackForwardMatchTheirDefinitions() {
        qt().forAll(joinings(3), stackings(3)).checkAssert((j, s) -> {
            assertClose(j.concat().toString(), Direct.concat(j.axis(), j.parts()), forward(j.concat()), 0, 0);
            assertClose(s.stack().toString(), Direct.stack(s.axis(), s.parts()), forward(s.stack()), 0, 0);
        });
    }

    @PropertyTest
    void sliceAndPadAndIndexForwardMatchTheirDefinitions() {
        qt().forAll(slicings(4), paddings(4), takings(4)).checkAssert((s, p, t) -> {
            assertClose(s.slice().toString(), Direct.slice(s.x(), s.axis(), s.from(), s.to()), forward(s.slice()), 0, 0);
            assertClose(p.pad().toString(), Direct.pad(p.x(), p.axis(), p.before(), p.after()), forward(p.pad()), 0, 0);
            assertClose(t.index().toString(), Direct.index(t.x(), t.axis(), t.position()), forward(t.index()), 0, 0);
        });
    }

    /** Gathered rows scattered back: each row of the table times the number of times it was picked. */
    @PropertyTest
    void gatherRowsAndScatterAddRowsForwardMatchTheirDefinitions() {
        qt().forAll(gatherings(3, 0)).checkAssert(g -> {
            Tensor rows = forward(g.gatherRows());
            assertClose(g.gatherRows().toString(), Direct.gatherRows(g.x(), g.indices()), rows, 0, 0);
            Scattering back = new Scattering(rows, g.x().shape().dim(0), g.indices());
            assertClose(back.scatterAddRows().toString(), Direct.scatterAddRows(rows, back.rows(), g.indices()),
                    forward(back.scatterAddRows()));
        });
    }

    /** An embedding lookup: a row looked up twice receives both rows of dy, a row never looked up receives zeros. */
    @Test
    void aRowGatheredTwiceReceivesTheSumOfItsGradients() {
        Variable table = Variable.parameter(Tensor.zeros(3, 2));
        Tensor dy = Tensor.matrix(new double[] {1, 10}, new double[] {100, 1000}, new double[] {1000, 10000});

        Ops.gatherRows(table, 1, 2, 1).backward(BackwardOptions.defaults().seed(dy));

        assertEquals(Tensor.matrix(new double[] {0, 0}, new double[] {1001, 10010}, new double[] {100, 1000}),
                table.grad().value());
    }

    // ---- refusals ------------------------------------------------------------------------------------------

    /** Two parts that differ on an axis other than the one joined: refused, naming both shapes. */
    @PropertyTest
    void concatRefusesPartsThatDifferOnAnotherAxisNamingBothShapes() {
        qt().forAll(axes(3).assuming(a -> a.shape().rank() >= 2), Gens.dims(3)).checkAssert((a, extra) -> {
            int other = (a.axis() + a.shape().rank() + 1) % a.shape().rank();
            int[] dims = a.shape().dims();
            dims[other] += extra;
            Variable first = Variable.parameter(Tensor.zeros(a.shape()));
            Variable second = Variable.constant(Tensor.zeros(Shape.of(dims)));
            assertRefused("concat along " + a.axis(), () -> Ops.concat(a.axis(), first, second), a.shape(), Shape.of(dims));
        });
    }

    @Test
    void gatherRowsRefusesAnIndexOutOfRangeNamingItItsPositionAndTheRowCount() {
        Variable table = Variable.parameter(Tensor.zeros(5, 3)).named("table");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ops.gatherRows(table, 0, 4, 5));
        assertEquals("GatherRows(table (5, 3)): gatherRows: index 5 at position 2 is out of range: x (5, 3) has 5 rows",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ops.gatherRows(table, -1));
        assertThrows(IllegalArgumentException.class, () -> Ops.scatterAddRows(table, 2, 0, 1, 2, 0, 1));
    }

    @Test
    void sliceIndexPadAndStackRefuseWhatIsOutOfRangeNamingTheShapes() {
        Variable x = Variable.parameter(Tensor.zeros(2, 3)).named("x");
        assertRefused("slice", () -> Ops.slice(x, 1, 2, 4), x.shape());
        assertRefused("index", () -> Ops.index(x, 0, 2), x.shape());
        assertRefused("pad", () -> Ops.pad(x, 2, 0, 1), x.shape());
        assertRefused("stack", () -> Ops.stack(0, x, Variable.constant(Tensor.zeros(3, 2))), x.shape(), Shape.of(3, 2));
        assertThrows(IllegalArgumentException.class, () -> Ops.concat(0));
    }

}
