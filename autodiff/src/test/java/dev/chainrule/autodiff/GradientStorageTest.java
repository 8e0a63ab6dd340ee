package dev.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.chainrule.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A backward writes a layer's dW into the elements of the last one, when nothing but grad() sees it: never into
 * a gradient someone was handed, one a backward is adding to, or one that Gradients.of or a listener returns.
 */
class GradientStorageTest {
    private static final Tensor X1 = Tensor.matrix(new double[] {1, 2, 3}, new double[] {-1, 0.5, 2});
    private static final Tensor X2 = Tensor.matrix(new double[] {0.3, -2, 1}, new double[] {4, 0, -1});
    private static final Tensor W = Tensor.matrix(new double[] {0.1, -0.2}, new double[] {0.3, 0.4}, new double[] {-0.5, 0.6});
    private static final Tensor B = Tensor.vector(0.1, -0.1);

    /** sum(tanh(x·W + b)), whose dW depends on x. */
    private static Variable loss(Tensor x, Variable w, Variable b) {
        return Ops.sum(Ops.tanh(Ops.affine(Variable.constant(x), w, b)));
    }

    /** dW by Gradients.of, whose results are never written in place: the oracle. */
    private static Tensor expectedGradient(Tensor x) {
        Variable w = Variable.parameter(W), b = Variable.parameter(B);
        return Gradients.of(loss(x, w, b), w)[0].value();
    }

    private static double[] lentGradient(Variable w) {
        double[][] lent = new double[1][];
        w.readGrad(elements -> lent[0] = elements);
        return lent[0];
    }

    @Test
    void eachBackwardAfterClearGradWritesTheSameElements() {
        Variable w = Variable.parameter(W), b = Variable.parameter(B);
        loss(X1, w, b).backward();
        double[] first = lentGradient(w);
        w.clearGrad();
        loss(X2, w, b).backward();

        assertSame(first, lentGradient(w), "the second dW went into the first one's elements");
        assertEquals(expectedGradient(X2), Tensor.of(W.shape(), lentGradient(w)));
    }

    /**
     * Without the mark that grad() leaves, a later backward would overwrite the gradient held here: the elements
     * come back only with the gradient they hold, not through a second clearGrad or a step in which w was frozen.
     */
    @Test
    void aGradientHandedOutByGradKeepsItsElements() {
        Variable w = Variable.parameter(W), b = Variable.parameter(B);
        loss(X1, w, b).backward();
        Variable held = w.grad();
        w.clearGrad();
        w.clearGrad(); // twice, as a model's and an optimizer's clearGrads would
        w.setRequiresGrad(false);
        loss(X2, w, b).backward();
        w.clearGrad();
        w.setRequiresGrad(true);
        loss(X2, w, b).backward();
        Variable second = w.grad();
        w.clearGrad();
        loss(X1, w, b).backward();

        assertEquals(expectedGradient(X1), held.value());
        assertEquals(expectedGradient(X2), second.value());
        assertEquals(expectedGradient(X1), w.grad().value());
        assertNotSame(held.value(), w.grad().value());
    }

    /** A backward into a gradient that is already there adds to it: the sum goes into new elements. */
    @Test
    void aSecondBackwardWithoutClearGradAddsToTheGradient() {
        Variable w = Variable.parameter(W), b = Variable.parameter(B);
        loss(X1, w, b).backward();
        Tensor first = Tensor.of(W.shape(), lentGradient(w));
        loss(X2, w, b).backward();

        assertEquals(first, expectedGradient(X1));
        assertEquals(expectedGradient(X1).add(expectedGradient(X2)), w.grad().value());
    }

    /** Both uses of a shared weight get their own elements: the first would otherwise be overwritten by the second. */
    @Test
    void aWeightUsedTwiceInOneBackwardGetsTheSumOfBoth() {
        for (int step = 0; step < 2; step++) {
            Variable w = Variable.parameter(W), b = Variable.parameter(B);
            Variable shared = Ops.add(loss(X1, w, b), loss(X2, w, b));
            Tensor expected = Gradients.of(BackwardOptions.defaults().retainGraph(), shared, w)[0].value();
            shared.backward();
            assertEquals(expected, w.grad().value());
        }
    }

    @Test
    void gradientsOfAndAListenerGetElementsOfTheirOwn() {
        Variable w = Variable.parameter(W), b = Variable.parameter(B);
        List<Tensor> heard = new ArrayList<>();
        BackwardListener listener = (node, gy, gxs) -> {
            for (Variable gx : gxs) {
                if (gx != null) {
                    heard.add(gx.value());
                }
            }
        };
        Tensor byGradientsOf = Gradients.of(loss(X1, w, b), w)[0].value();
        loss(X1, w, b).backward(BackwardOptions.defaults().listener(listener));
        List<Tensor> heardCopies = heard.stream().map(t -> Tensor.of(t.shape(), t.toArray())).toList();
        w.clearGrad();
        loss(X2, w, b).backward();
        w.clearGrad();
        loss(X2, w, b).backward();

        assertEquals(expectedGradient(X1), byGradientsOf);
        assertEquals(heardCopies, heard);
    }
}
