package dev.chainrule.autodiff;

import static dev.chainrule.autodiff.PropertyChecks.assertClose;
import static dev.chainrule.autodiff.PropertyChecks.assertGradientShapesMatchInputs;
import static dev.chainrule.autodiff.PropertyChecks.squared;
import static dev.chainrule.autodiff.testing.Properties.assertSecondOrderGradientsMatch;
import static dev.chainrule.autodiff.testing.Properties.qt;

import dev.chainrule.autodiff.testing.Case;
import dev.chainrule.autodiff.testing.Covers;
import dev.chainrule.autodiff.testing.Gens;
import dev.chainrule.autodiff.testing.PropertyTest;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

class ArithmeticPropertiesTest {
    /** A binary operation with its element-wise definition and partial derivatives, the oracles. */
    private enum Binary {
        ADD(Ops::add, (a, b) -> a + b, (a, b) -> 1, (a, b) -> 1),
        SUB(Ops::sub, (a, b) -> a - b, (a, b) -> 1, (a, b) -> -1),
        MUL(Ops::mul, (a, b) -> a * b, (a, b) -> b, (a, b) -> a),
        DIV(Ops::div, (a, b) -> a / b, (a, b) -> 1 / b, (a, b) -> -a / (b * b));

        private final BinaryOperator<Variable> op;
        final DoubleBinaryOperator f;
        final DoubleBinaryOperator dfda;
        final DoubleBinaryOperator dfdb;

        Binary(BinaryOperator<Variable> op, DoubleBinaryOperator f, DoubleBinaryOperator dfda,
                DoubleBinaryOperator dfdb) {
            this.op = op;
            this.f = f;
            this.dfda = dfda;
            this.dfdb = dfdb;
        }

        Variable apply(Variable a, Variable b) {
            return op.apply(a, b);
        }

        Case on(Tensor a, Tensor b) {
            return new Case(name().toLowerCase() + "(a, b)", xs -> op.apply(xs[0], xs[1]), a, b);
        }

        /** op(a, constant b) or op(constant a, b), differentiated by the other operand only. */
        Case withConstant(Tensor a, Tensor b, boolean constantB) {
            String name = name().toLowerCase();
            return constantB
                    ? new Case(name + "(a, constant b)", xs -> op.apply(xs[0], Variable.constant(b)), a)
                    : new Case(name + "(constant a, b)", xs -> op.apply(Variable.constant(a), xs[0]), b);
        }

        /** Values for the second operand: denominators stay away from the pole at 0. */
        Gen<Double> secondValues() {
            return this == DIV ? Gens.awayFromZero(0.5, 3) : Gens.values(-2, 2);
        }
    }

    /** Shapes that broadcast, in either order, so that each operand is sometimes the broadcast one. */
    private static Gen<Shape[]> broadcastShapes() {
        return Gens.broadcastPairs(3).zip(SourceDSL.booleans().all(),
                (pair, swap) -> swap ? new Shape[] {pair[1], pair[0]} : pair);
    }

    /** Operands of broadcasting shapes for op. */
    private static Gen<Case> broadcastCases(Binary op) {
        return broadcastShapes().flatMap(shapes -> Gens.tensors(shapes[0], Gens.values(-2, 2))
                .zip(Gens.tensors(shapes[1], op.secondValues()), op::on));
    }

    /** A case together with the operation it applies, whose oracles the property needs; prints as the case. */
    private record BinaryCase(Binary op, Case c) {
        @Override
        public String toString() {
            return c.toString();
        }
    }

    private static Gen<BinaryCase> anyBroadcastCase() {
        return Generate.enumValues(Binary.class).flatMap(op -> broadcastCases(op).map(c -> new BinaryCase(op, c)));
    }

    /** GradCheck against central differences, then the gradients' shapes, which GradCheck compares only flat. */
    private static void assertBroadcastGradientsMatch(Case c, long seed) {
        PropertyChecks.assertGradientsMatch(c, seed);
        assertGradientShapesMatchInputs(c, seed);
    }

    // ---- backward against numerical gradients ---------------------------------------------------------------

    @PropertyTest
    @Covers(Arithmetic.Add.class)
    void addBackwardMatchesNumericalGradient() {
        qt().forAll(broadcastCases(Binary.ADD), Gens.seeds())
                .checkAssert(ArithmeticPropertiesTest::assertBroadcastGradientsMatch);
    }

    @PropertyTest
    @Covers(Arithmetic.Sub.class)
    void subBackwardMatchesNumericalGradient() {
        qt().forAll(broadcastCases(Binary.SUB), Gens.seeds())
                .checkAssert(ArithmeticPropertiesTest::assertBroadcastGradientsMatch);
    }

    @PropertyTest
    @Covers(Arithmetic.Mul.class)
    void mulBackwardMatchesNumericalGradient() {
        qt().forAll(broadcastCases(Binary.MUL), Gens.seeds())
                .checkAssert(ArithmeticPropertiesTest::assertBroadcastGradientsMatch);
    }

    @PropertyTest
    @Covers(Arithmetic.Div.class)
    void divBackwardMatchesNumericalGradient() {
        qt().forAll(broadcastCases(Binary.DIV), Gens.seeds())
                .checkAssert(ArithmeticPropertiesTest::assertBroadcastGradientsMatch);
    }

    /** A constant operand is not expanded by a BroadcastTo node: the node itself meets the broadcast shapes. */
    @PropertyTest
    @Covers({Arithmetic.Add.class, Arithmetic.Sub.class, Arithmetic.Mul.class, Arithmetic.Div.class})
    void binaryBackwardWithABroadcastConstantOperandMatchesNumericalGradient() {
        qt().forAll(constantOperandCases(), Gens.seeds())
                .checkAssert(ArithmeticPropertiesTest::assertBroadcastGradientsMatch);
    }

    private static Gen<Case> constantOperandCases() {
        return Generate.enumValues(Binary.class).flatMap(op -> broadcastShapes().flatMap(shapes -> Gens
                .tensors(shapes[0], Gens.values(-2, 2))
                .zip(Gens.tensors(shapes[1], op.secondValues()), SourceDSL.booleans().all(), op::withConstant)));
    }

    @PropertyTest
    @Covers(Arithmetic.Neg.class)
    void negBackwardMatchesNumericalGradient() {
        qt().forAll(Gens.tensors(Gens.shapes(0, 3)), Gens.seeds()).checkAssert((x, seed) ->
                PropertyChecks.assertGradientsMatch(new Case("neg", xs -> Ops.neg(xs[0]), x), seed));
    }

    @PropertyTest
    @Covers(Arithmetic.Pow.class)
    void powBackwardMatchesNumericalGradient() {
        qt().forAll(powCases(), Gens.seeds()).checkAssert(PropertyChecks::assertGradientsMatch);
    }

    /** x ** c for x in [0.3, 3] and c among the usual integers and halves, or anywhere in [−3, 3]. */
    private static Gen<Case> powCases() {
        Gen<Double> exponents = Generate.pick(List.of(-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0))
                .mix(Gens.values(-3, 3), 40);
        return Gens.tensors(Gens.shapes(0, 3), Gens.values(0.3, 3)).zip(exponents,
                (x, c) -> new Case("pow(x, " + c + ")", xs -> Ops.pow(xs[0], c), x));
    }

    // ---- broadcasting --------------------------------------------------------------------------------------

    /**
     * da = Σ over broadcast axes of u ⊙ ∂f/∂a, and likewise db: each gradient is the local gradient summed back
     * to its operand's own shape.
     */
    @PropertyTest
    void broadcastGradientsAreLocalGradientsSummedBackToEachInputsShape() {
        qt().forAll(anyBroadcastCase(), Gens.seeds()).checkAssert((bc, seed) -> {
            Binary op = bc.op();
            Tensor a = bc.c().input(0), b = bc.c().input(1);
            Shape full = Direct.broadcastShape(a.shape(), b.shape());
            Tensor u = PropertyChecks.upstream(full, seed);
            Tensor fullA = Direct.broadcastTo(a, full), fullB = Direct.broadcastTo(b, full);
            Tensor localA = Direct.elementwise(u, Direct.elementwise(fullA, fullB, op.dfda), (x, y) -> x * y);
            Tensor localB = Direct.elementwise(u, Direct.elementwise(fullA, fullB, op.dfdb), (x, y) -> x * y);
            Variable[] gs = PropertyChecks.gradients(bc.c(), seed);
            assertClose(op + ": gradient of a " + a.shape() + " broadcast to " + full,
                    Direct.sumTo(localA, a.shape()), gs[0].value());
            assertClose(op + ": gradient of b " + b.shape() + " broadcast to " + full,
                    Direct.sumTo(localB, b.shape()), gs[1].value());
        });
    }

    // ---- forward against the definitions -------------------------------------------------------------------

    /** Recorded, the operands arrive broadcast by BroadcastTo nodes; as constants, the node broadcasts itself. */
    @PropertyTest
    void binaryForwardMatchesElementwiseDefinition() {
        qt().forAll(anyBroadcastCase(), SourceDSL.booleans().all()).checkAssert((bc, recorded) -> {
            Tensor a = bc.c().input(0), b = bc.c().input(1);
            Variable y = recorded
                    ? bc.op().apply(Variable.parameter(a), Variable.parameter(b))
                    : bc.op().apply(Variable.constant(a), Variable.constant(b));
            assertClose(bc.c().shapes() + (recorded ? " recorded" : " of constants"),
                    Direct.elementwise(a, b, bc.op().f), y.value());
        });
    }

    @PropertyTest
    void negAndPowForwardMatchElementwiseDefinition() {
        qt().forAll(Gens.tensors(Gens.shapes(0, 3), Gens.values(0.3, 3)), Gens.values(-3, 3)).checkAssert((x, c) -> {
            assertClose("neg", Direct.map(x, v -> -v), Ops.neg(Variable.parameter(x)).value());
            assertClose("pow(x, " + c + ")", Direct.map(x, v -> Math.pow(v, c)),
                    Ops.pow(Variable.parameter(x), c).value());
            assertClose("pow(x, 2)", Direct.map(x, v -> v * v), Ops.pow(Variable.parameter(x), 2).value());
        });
    }

    // ---- second order --------------------------------------------------------------------------------------

    @PropertyTest
    @Covers(Arithmetic.Add.class)
    void addSecondOrderGradientsMatch() {
        qt().forAll(broadcastCases(Binary.ADD)).checkAssert(c -> assertSecondOrderGradientsMatch(squared(c)));
    }

    @PropertyTest
    @Covers(Arithmetic.Sub.class)
    void subSecondOrderGradientsMatch() {
        qt().forAll(broadcastCases(Binary.SUB)).checkAssert(c -> assertSecondOrderGradientsMatch(squared(c)));
    }

    @PropertyTest
    @Covers(Arithmetic.Mul.class)
    void mulSecondOrderGradientsMatch() {
        qt().forAll(broadcastCases(Binary.MUL)).checkAssert(c -> assertSecondOrderGradientsMatch(c));
    }

    @PropertyTest
    @Covers(Arithmetic.Div.class)
    void divSecondOrderGradientsMatch() {
        qt().forAll(broadcastCases(Binary.DIV)).checkAssert(c -> assertSecondOrderGradientsMatch(c));
    }

    @PropertyTest
    @Covers(Arithmetic.Neg.class)
    void negSecondOrderGradientsMatch() {
        qt().forAll(Gens.tensors(Gens.shapes(0, 3)))
                .checkAssert(x -> assertSecondOrderGradientsMatch(squared(new Case("neg", xs -> Ops.neg(xs[0]), x))));
    }

    @PropertyTest
    @Covers(Arithmetic.Pow.class)
    void powSecondOrderGradientsMatch() {
        qt().forAll(powCases()).checkAssert(c -> assertSecondOrderGradientsMatch(c));
    }
}
