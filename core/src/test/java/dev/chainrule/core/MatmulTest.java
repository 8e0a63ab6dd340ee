package dev.chainrule.core;

import static dev.chainrule.core.TestSupport.EXAMPLES;
import static dev.chainrule.core.TestSupport.assertTensorClose;
import static dev.chainrule.core.TestSupport.assertTensorEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

class MatmulTest {

    /** C = A·B by the textbook triple loop, summing over p in increasing order. */
    private static Tensor naiveMatmul(Tensor a, Tensor b) {
        int m = a.shape().dim(0);
        int k = a.shape().dim(1);
        int n = b.shape().dim(1);
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += a.get(i, p) * b.get(p, j);
                }
                c[i * n + j] = sum;
            }
        }
        return Tensor.of(Shape.of(m, n), c);
    }

    @Test
    void matmulOfTwoByTwoMatrices() {
        Tensor a = Tensor.matrix(new double[] {1, 2}, new double[] {3, 4});
        Tensor b = Tensor.matrix(new double[] {5, 6}, new double[] {7, 8});
        assertTensorEquals(Tensor.matrix(new double[] {19, 22}, new double[] {43, 50}), a.matmul(b));
        assertTensorEquals(Tensor.matrix(new double[] {23, 34}, new double[] {31, 46}), b.matmul(a));
    }

    @Test
    void matmulOfARowByAColumnIsTheirDotProductAndColumnByRowIsTheOuterProduct() {
        Tensor row = Tensor.of(Shape.of(1, 3), 1, 2, 3);
        Tensor column = Tensor.of(Shape.of(3, 1), 4, 5, 6);
        assertTensorEquals(Tensor.of(Shape.of(1, 1), 32), row.matmul(column));
        assertTensorEquals(Tensor.matrix(new double[] {4, 8, 12}, new double[] {5, 10, 15}, new double[] {6, 12, 18}),
                column.matmul(row));
    }

    @Test
    void matmulWithZeroEntriesStillSumsTheOtherTerms() {
        Tensor a = Tensor.matrix(new double[] {0, 2}, new double[] {0, 0});
        Tensor b = Tensor.matrix(new double[] {3, 4}, new double[] {5, 6});
        assertTensorEquals(Tensor.matrix(new double[] {10, 12}, new double[] {0, 0}), a.matmul(b));
        assertTensorEquals(a.transpose().matmul(b), a.matmulTransA(b));
    }

    @Test
    @Tag("property")
    void matmulMatchesTheNaiveTripleLoopAndBothTransposedVariants() {
        qt().withExamples(EXAMPLES)
                .forAll(Generate.range(1, 5), Generate.range(1, 5), Generate.range(1, 5), TestSupport.seeds())
                .checkAssert((m, k, n, seed) -> {
                    Tensor a = TestSupport.randomTensor(Shape.of(m, k), seed, -2, 2);
                    Tensor b = TestSupport.randomTensor(Shape.of(k, n), ~seed, -2, 2);
                    Tensor product = a.matmul(b);
                    assertEquals(Shape.of(m, n), product.shape());
                    assertTensorClose(naiveMatmul(a, b), product, 1e-12, 1e-12);
                    assertTensorClose(product, a.transpose().matmulTransA(b), 1e-12, 1e-12);
                    assertTensorClose(product, a.matmulTransB(b.transpose()), 1e-12, 1e-12);
                });
    }

    @Test
    @Tag("property")
    void matmulTransAEqualsMatmulOfExplicitTranspose() {
        qt().withExamples(EXAMPLES)
                .forAll(Generate.range(1, 5), Generate.range(1, 5), Generate.range(1, 5), TestSupport.seeds())
                .checkAssert((k, m, n, seed) -> {
                    Tensor a = TestSupport.randomTensor(Shape.of(k, m), seed, -2, 2);
                    Tensor b = TestSupport.randomTensor(Shape.of(k, n), ~seed, -2, 2);
                    Tensor viaTranspose = a.transpose().matmul(b);
                    Tensor transA = a.matmulTransA(b);
                    assertEquals(Shape.of(m, n), transA.shape());
                    assertTensorClose(viaTranspose, transA, 1e-12, 1e-12);
                    assertTensorClose(naiveMatmul(a.transpose(), b), transA, 1e-12, 1e-12);
                });
    }

    @Test
    @Tag("property")
    void matmulTransBEqualsMatmulOfExplicitTranspose() {
        qt().withExamples(EXAMPLES)
                .forAll(Generate.range(1, 5), Generate.range(1, 5), Generate.range(1, 5), TestSupport.seeds())
                .checkAssert((m, k, n, seed) -> {
                    Tensor a = TestSupport.randomTensor(Shape.of(m, k), seed, -2, 2);
                    Tensor b = TestSupport.randomTensor(Shape.of(n, k), ~seed, -2, 2);
                    Tensor viaTranspose = a.matmul(b.transpose());
                    Tensor transB = a.matmulTransB(b);
                    assertEquals(Shape.of(m, n), transB.shape());
                    assertTensorClose(viaTranspose, transB, 1e-12, 1e-12);
                    assertTensorClose(naiveMatmul(a, b.transpose()), transB, 1e-12, 1e-12);
                });
    }

    @Test
    void matmulWithMismatchedInnerDimensionsThrowsAnExactMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(3, 4).matmul(Tensor.zeros(5, 2)));
        assertEquals("matmul: (3, 4) · (5, 2): inner dimensions 4 and 5 differ", e.getMessage());
    }

    @Test
    void transposedVariantsWithMismatchedInnerDimensionsNameTheirOperation() {
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(3, 4).matmulTransA(Tensor.zeros(5, 2)));
        assertTrue(a.getMessage().startsWith("matmulTransA: "), a.getMessage());
        assertTrue(a.getMessage().contains("(3, 4)") && a.getMessage().contains("(5, 2)"), a.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(3, 4).matmulTransB(Tensor.zeros(2, 5)));
        assertTrue(b.getMessage().startsWith("matmulTransB: "), b.getMessage());
        assertTrue(b.getMessage().contains("(3, 4)") && b.getMessage().contains("(2, 5)"), b.getMessage());
        // Shapes that fit plain matmul do not fit the transposed variants, and the other way round.
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 4).matmulTransA(Tensor.zeros(4, 2)));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 4).matmulTransB(Tensor.zeros(4, 2)));
    }

    @Test
    void matmulOfNonMatricesThrowsNamingBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(3).matmul(Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().startsWith("matmul: (3) and (3, 2)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(1, 3, 2)));
        assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1).matmulTransA(Tensor.zeros(1, 1)));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(1, 1).matmulTransB(Tensor.scalar(1)));
    }
}
