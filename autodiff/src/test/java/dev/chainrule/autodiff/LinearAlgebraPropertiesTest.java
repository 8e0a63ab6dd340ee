package dev.chainrule.autodiff;

import static dev.chainrule.autodiff.PropertyChecks.assertClose;
import static dev.chainrule.autodiff.PropertyChecks.assertGradientShapesMatchInputs;
import static dev.chainrule.autodiff.PropertyChecks.squared;
import static dev.chainrule.autodiff.testing.Properties.assertSecondOrderGradientsMatch;
import static dev.chainrule.autodiff.testing.Properties.qt;

import dev.chainrule.autodiff.LinearAlgebra.Form;
import dev.chainrule.autodiff.testing.Case;
import dev.chainrule.autodiff.testing.Covers;
import dev.chainrule.autodiff.testing.Gens;
import dev.chainrule.autodiff.testing.PropertyTest;
import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class LinearAlgebraPropertiesTest {
    /** One of the three products on A and B, stored as that form takes them, for C of m×n with inner size k. */
    private record Product(Form form, Tensor a, Tensor b) {
        Variable apply(Variable x, Variable y) {
            switch (form) {
                case TRANS_A: return Ops.matmulTransA(x, y);
                case TRANS_B: return Ops.matmulTransB(x, y);
                default: return Ops.matmul(x, y);
            }
        }

        /** The product by its definition, on explicitly transposed operands. */
        Tensor expected() {
            return Direct.matmul(form == Form.TRANS_A ? Direct.transpose(a, 1, 0) : a,
                    form == Form.TRANS_B ? Direct.transpose(b, 1, 0) : b);
        }

        Case toCase() {
            return new Case(form + " product", xs -> apply(xs[0], xs[1]), a, b);
        }

        @Override
        public String toString() {
            return toCase().toString();
        }
    }

    /** A product in the given form with m, k, n each in 1..4, so that rows, columns and inner size can be 1. */
    private static Gen<Product> products(Form form) {
        Gen<Integer> dim = Gens.dims(Gens.MAX_DIM);
        return dim.zip(dim, dim, (m, k, n) -> new int[] {m, k, n}).flatMap(mkn -> {
            int m = mkn[0], k = mkn[1], n = mkn[2];
            Shape a = form == Form.TRANS_A ? Shape.of(k, m) : Shape.of(m, k);
            Shape b = form == Form.TRANS_B ? Shape.of(n, k) : Shape.of(k, n);
            return Gens.tensors(a, Gens.values(-2, 2))
                    .zip(Gens.tensors(b, Gens.values(-2, 2)), (x, y) -> new Product(form, x, y));
        });
    }

    private static Gen<Product> anyProduct() {
        return Generate.enumValues(Form.class).flatMap(LinearAlgebraPropertiesTest::products);
    }

    /** X (m×k), W (k×n) and b (n) with m, k, n in 1..4; m = 1 is a batch of one. */
    private static Gen<Case> affineCases() {
        Gen<Integer> dim = Gens.dims(Gens.MAX_DIM);
        return dim.zip(dim, dim, (m, k, n) -> new int[] {m, k, n}).flatMap(mkn -> {
            int m = mkn[0], k = mkn[1], n = mkn[2];
            Gen<Double> values = Gens.values(-2, 2);
            return Gens.tensors(Shape.of(m, k), values)
                    .zip(Gens.tensors(Shape.of(k, n), values), Gens.tensors(Shape.of(n), values),
                            (x, w, b) -> new Case("affine", xs -> Ops.affine(xs[0], xs[1], xs[2]), x, w, b));
        });
    }

    /** X·W + b composed from MatMul and a broadcasting Add: Affine's oracle. */
    private static Variable composedAffine(Variable x, Variable w, Variable b) {
        return Ops.add(Ops.matmul(x, w), b);
    }

    // ---- backward against numerical gradients ---------------------------------------------------------------

    @PropertyTest
    @Covers(LinearAlgebra.MatMul.class)
    void matmulBackwardMatchesNumericalGradient() {
        qt().forAll(products(Form.PLAIN), Gens.seeds())
                .checkAssert((p, seed) -> assertProductGradients(p.toCase(), seed));
    }

    @PropertyTest
    @Covers(LinearAlgebra.MatMul.class)
    void matmulTransABackwardMatchesNumericalGradient() {
        qt().forAll(products(Form.TRANS_A), Gens.seeds())
                .checkAssert((p, seed) -> assertProductGradients(p.toCase(), seed));
    }

    @PropertyTest
    @Covers(LinearAlgebra.MatMul.class)
    void matmulTransBBackwardMatchesNumericalGradient() {
        qt().forAll(products(Form.TRANS_B), Gens.seeds())
                .checkAssert((p, seed) -> assertProductGradients(p.toCase(), seed));
    }

    @PropertyTest
    @Covers(LinearAlgebra.Affine.class)
    void affineBackwardMatchesNumericalGradient() {
        qt().forAll(affineCases(), Gens.seeds()).checkAssert((c, seed) -> assertProductGradients(c, seed));
    }

    private static void assertProductGradients(Case c, long seed) {
        PropertyChecks.assertGradientsMatch(c, seed);
        assertGradientShapesMatchInputs(c, seed);
    }

    // ---- forward against the definitions -------------------------------------------------------------------

    @PropertyTest
    void matmulForwardMatchesTheDefinitionInAllThreeForms() {
        qt().forAll(anyProduct()).checkAssert(p -> {
            Variable y = p.apply(Variable.parameter(p.a()), Variable.parameter(p.b()));
            assertClose(p.form() + " product", p.expected(), y.value());
        });
    }

    @PropertyTest
    void affineForwardEqualsMatMulThenAdd() {
        qt().forAll(affineCases()).checkAssert(c -> {
            Variable[] xs = PropertyChecks.parameters(c.inputs());
            Tensor y = c.graph().apply(xs).value();
            Tensor definition = Direct.elementwise(Direct.matmul(c.input(0), c.input(1)), c.input(2), Double::sum);
            assertClose("affine against its definition", definition, y);
            assertClose("affine against matmul then add", composedAffine(xs[0], xs[1], xs[2]).value(), y);
        });
    }

    /** The composed twin is the oracle for backward too: same upstream gradient, same dX, dW and db. */
    @PropertyTest
    void affineGradientsEqualThoseOfMatMulThenAdd() {
        qt().forAll(affineCases(), Gens.seeds()).checkAssert((c, seed) -> {
            Variable[] fused = PropertyChecks.gradients(c, seed);
            Variable[] composed = PropertyChecks.gradients(
                    new Case("matmul then add", xs -> composedAffine(xs[0], xs[1], xs[2]), c.inputs()), seed);
            String[] names = {"dX", "dW", "db"};
            for (int i = 0; i < names.length; i++) {
                assertClose("affine " + names[i] + " against matmul then add", composed[i].value(), fused[i].value());
            }
        });
    }

    // ---- second order --------------------------------------------------------------------------------------
    // Plain, the products are bilinear; squared, the gradient reaching the node depends on every input too, so
    // that all of its backward (db included) is differentiated.

    @PropertyTest
    @Covers(LinearAlgebra.MatMul.class)
    void matmulSecondOrderGradientsMatchInAllThreeForms() {
        qt().forAll(anyProduct()).checkAssert(p -> {
            assertSecondOrderGradientsMatch(p.toCase());
            assertSecondOrderGradientsMatch(squared(p.toCase()));
        });
    }

    @PropertyTest
    @Covers(LinearAlgebra.Affine.class)
    void affineSecondOrderGradientsMatch() {
        qt().forAll(affineCases()).checkAssert(c -> {
            assertSecondOrderGradientsMatch(c);
            assertSecondOrderGradientsMatch(squared(c));
        });
    }
}
