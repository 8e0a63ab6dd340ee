package dev.chainrule.core;

import static dev.chainrule.core.TestSupport.EXAMPLES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

class ShapeTest {

    // ---- value semantics ------------------------------------------------------------------------------------

    @Test
    void equalShapesAreEqualAndHashAlike() {
        Shape a = Shape.of(3, 4);
        Shape b = Shape.of(new int[] {3, 4});
        assertEquals(a, b);
        assertEquals(b, a);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(Shape.scalar(), Shape.of());
        assertEquals(Shape.scalar().hashCode(), Shape.of().hashCode());
    }

    @Test
    void shapesDifferingInDimensionsOrRankAreNotEqual() {
        assertNotEquals(Shape.of(3, 4), Shape.of(4, 3));
        assertNotEquals(Shape.of(3, 4), Shape.of(3, 4, 1));
        assertNotEquals(Shape.of(1), Shape.scalar());
        assertNotEquals(Shape.of(3), (Object) "(3)");
        assertNotEquals(Shape.of(3), null);
    }

    @Test
    void toStringPrintsParenthesisedCommaSeparatedDimensions() {
        assertEquals("(3, 4)", Shape.of(3, 4).toString());
        assertEquals("(2, 1, 5)", Shape.of(2, 1, 5).toString());
        assertEquals("(7)", Shape.of(7).toString());
        assertEquals("()", Shape.scalar().toString());
        assertEquals("()", Shape.of().toString());
    }

    @Test
    void ofCopiesItsArgumentAndDimsReturnsACopy() {
        int[] dims = {2, 3};
        Shape shape = Shape.of(dims);
        dims[0] = 9;
        assertEquals(Shape.of(2, 3), shape);
        shape.dims()[1] = 9;
        assertArrayEquals(new int[] {2, 3}, shape.dims());
        shape.strides()[0] = 42;
        assertArrayEquals(new int[] {3, 1}, shape.strides());
    }

    @Test
    void ofRejectsNegativeDimensions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.of(2, -1));
        assertTrue(e.getMessage().contains("[2, -1]"), e.getMessage());
    }

    @Test
    void ofRejectsShapesWithMoreThanIntMaxElements() {
        assertThrows(IllegalArgumentException.class, () -> Shape.of(65536, 65536));
    }

    // ---- size, rank, strides, axes --------------------------------------------------------------------------

    @Test
    void sizeIsTheProductOfDimensionsAndOneForAScalar() {
        assertEquals(12, Shape.of(3, 4).size());
        assertEquals(24, Shape.of(2, 3, 4).size());
        assertEquals(5, Shape.of(5).size());
        assertEquals(1, Shape.scalar().size());
        assertEquals(0, Shape.of(3, 0, 2).size());
        assertEquals(0, Shape.scalar().rank());
        assertEquals(3, Shape.of(2, 3, 4).rank());
    }

    @Test
    void stridesAreRowMajorWithUnitLastStride() {
        assertArrayEquals(new int[] {12, 4, 1}, Shape.of(2, 3, 4).strides());
        assertArrayEquals(new int[] {1}, Shape.of(7).strides());
        assertArrayEquals(new int[] {5, 5, 1}, Shape.of(3, 1, 5).strides());
        assertArrayEquals(new int[0], Shape.scalar().strides());
    }

    @Test
    @Tag("property")
    void stridesMapEveryMultiIndexToItsRowMajorPosition() {
        qt().withExamples(EXAMPLES).forAll(TestSupport.dims(0, 4)).checkAssert(dims -> {
            Shape shape = Shape.of(dims);
            int[] strides = shape.strides();
            assertEquals(TestSupport.product(dims), shape.size());
            for (int flat = 0; flat < shape.size(); flat++) {
                int[] index = TestSupport.unravel(flat, dims);
                int offset = 0;
                for (int i = 0; i < index.length; i++) {
                    offset += index[i] * strides[i];
                }
                assertEquals(flat, offset, () -> shape + " strides");
            }
        });
    }

    @Test
    void negativeAxesCountFromTheEnd() {
        Shape shape = Shape.of(2, 3, 4);
        assertEquals(4, shape.dim(-1));
        assertEquals(3, shape.dim(-2));
        assertEquals(2, shape.dim(-3));
        assertEquals(2, shape.dim(0));
        assertEquals(2, shape.axis("test", -1));
        assertEquals(0, shape.axis("test", -3));
        assertEquals(1, shape.axis("test", 1));
    }

    @Test
    void axesOutOfRangeAreRejectedWithTheShapeInTheMessage() {
        Shape shape = Shape.of(2, 3, 4);
        IllegalArgumentException high = assertThrows(IllegalArgumentException.class, () -> shape.axis("test", 3));
        assertTrue(high.getMessage().contains("(2, 3, 4)"), high.getMessage());
        assertThrows(IllegalArgumentException.class, () -> shape.axis("test", -4));
        assertThrows(IllegalArgumentException.class, () -> shape.dim(5));
        assertThrows(IllegalArgumentException.class, () -> Shape.scalar().axis("test", 0));
        assertThrows(IllegalArgumentException.class, () -> Shape.scalar().axis("test", -1));
    }

    // ---- reduce -----------------------------------------------------------------------------------------------

    @Test
    void reduceKeepsOrRemovesTheReducedAxes() {
        Shape shape = Shape.of(2, 3, 4);
        assertEquals(Shape.of(2, 1, 4), shape.reduce("test", true, 1));
        assertEquals(Shape.of(2, 4), shape.reduce("test", false, 1));
        assertEquals(Shape.of(3), shape.reduce("test", false, 0, -1));
        assertEquals(Shape.of(1, 3, 1), shape.reduce("test", true, -1, 0));
        assertEquals(Shape.scalar(), shape.reduce("test", false));
        assertEquals(Shape.of(1, 1, 1), shape.reduce("test", true));
        assertEquals(Shape.scalar(), Shape.scalar().reduce("test", false));
    }

    @Test
    void reduceRejectsRepeatedAxesIncludingNegativeAliases() {
        Shape shape = Shape.of(2, 3, 4);
        assertThrows(IllegalArgumentException.class, () -> shape.reduce("test", false, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> shape.reduce("test", true, 2, -1));
        assertThrows(IllegalArgumentException.class, () -> shape.reduce("test", true, 3));
    }

    // ---- broadcasting -----------------------------------------------------------------------------------------

    @Test
    void broadcastAlignsDimensionsFromTheRightAsNumpyDoes() {
        assertEquals(Shape.of(2, 3), Shape.broadcast("add", Shape.of(2, 3), Shape.of(3)));
        assertEquals(Shape.of(2, 3), Shape.broadcast("add", Shape.of(3), Shape.of(2, 3)));
        assertEquals(Shape.of(4, 2, 3), Shape.broadcast("add", Shape.of(4, 1, 3), Shape.of(2, 1)));
        assertEquals(Shape.of(3, 4), Shape.broadcast("add", Shape.of(3, 1), Shape.of(1, 4)));
        assertEquals(Shape.of(2, 3), Shape.broadcast("add", Shape.scalar(), Shape.of(2, 3)));
        assertEquals(Shape.of(2, 3), Shape.broadcast("add", Shape.of(2, 3), Shape.scalar()));
        assertEquals(Shape.of(1, 1), Shape.broadcast("add", Shape.of(1), Shape.of(1, 1)));
        assertEquals(Shape.scalar(), Shape.broadcast("add", Shape.scalar(), Shape.scalar()));
        assertEquals(Shape.of(5), Shape.broadcast("add", Shape.of(1), Shape.of(5)));
    }

    @Test
    void broadcastOfIncompatibleShapesNamesTheOperationAndBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Shape.broadcast("add", Shape.of(2, 3), Shape.of(4, 3)));
        assertTrue(e.getMessage().contains("add: (2, 3) and (4, 3) do not broadcast"), e.getMessage());

        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> Shape.broadcast("mul", Shape.of(3), Shape.of(2, 4)));
        assertTrue(f.getMessage().contains("mul: (3) and (2, 4) do not broadcast"), f.getMessage());
    }

    @Test
    @Tag("property")
    void broadcastOfAShapeWithADerivedPartnerIsTheShapeInEitherOrder() {
        qt().withExamples(EXAMPLES).forAll(TestSupport.shapeAndPartner()).checkAssert(c -> {
            assertEquals(c.shape(), Shape.broadcast("op", c.shape(), c.partner()), c::toString);
            assertEquals(c.shape(), Shape.broadcast("op", c.partner(), c.shape()), c::toString);
            assertTrue(c.partner().broadcastsTo(c.shape()), c::toString);
            assertTrue(c.shape().broadcastsTo(c.shape()), c::toString);
        });
    }

    @Test
    @Tag("property")
    void broadcastOfCompatibleShapesMatchesTheNaiveRuleAndIsSymmetric() {
        qt().withExamples(EXAMPLES).forAll(TestSupport.compatiblePairs()).checkAssert(c -> {
            Shape expected = TestSupport.naiveBroadcast(c.a(), c.b());
            Shape ab = Shape.broadcast("op", c.a(), c.b());
            Shape ba = Shape.broadcast("op", c.b(), c.a());
            assertEquals(expected, ab, c::toString);
            assertEquals(ab, ba, c::toString);
            assertEquals(Math.max(c.a().rank(), c.b().rank()), ab.rank(), c::toString);
            assertTrue(c.a().broadcastsTo(ab), c::toString);
            assertTrue(c.b().broadcastsTo(ab), c::toString);
        });
    }

    @Test
    @Tag("property")
    void broadcastOfShapesWithTwoDifferentNonUnitDimensionsThrowsNamingBoth() {
        // Pick an axis of a shape of rank >= 1 and give the partner a different dimension there, with both >= 2.
        qt().withExamples(EXAMPLES)
                .forAll(TestSupport.dims(1, 4), TestSupport.masks(), Generate.range(0, 3), Generate.range(0, 3))
                .checkAssert((dims, mask, axisChoice, drop) -> {
                    int axis = axisChoice % dims.length;
                    int[] base = dims.clone();
                    base[axis] = Math.max(2, base[axis]);
                    int[] other = base.clone();
                    other[axis] = base[axis] + 1;
                    Shape a = Shape.of(base);
                    // Keep the conflicting axis in the partner: only drop leading axes before it.
                    int[] partnerMask = mask.clone();
                    partnerMask[axis] = 1;
                    Shape b = TestSupport.derive(other, partnerMask, Math.min(drop, axis));
                    assertEquals(null, TestSupport.naiveBroadcast(a, b));
                    IllegalArgumentException ab = assertThrows(IllegalArgumentException.class,
                            () -> Shape.broadcast("sub", a, b));
                    assertTrue(ab.getMessage().startsWith("sub: " + a + " and " + b + " do not broadcast"),
                            ab.getMessage());
                    IllegalArgumentException ba = assertThrows(IllegalArgumentException.class,
                            () -> Shape.broadcast("sub", b, a));
                    assertTrue(ba.getMessage().startsWith("sub: " + b + " and " + a + " do not broadcast"),
                            ba.getMessage());
                    assertFalse(b.broadcastsTo(a));
                    assertFalse(a.broadcastsTo(b));
                });
    }

    @Test
    void broadcastsToOnlyWhenTheTargetIsUnchanged() {
        assertTrue(Shape.of(3).broadcastsTo(Shape.of(2, 3)));
        assertTrue(Shape.of(1, 3).broadcastsTo(Shape.of(2, 3)));
        assertTrue(Shape.scalar().broadcastsTo(Shape.of(2, 3)));
        assertTrue(Shape.scalar().broadcastsTo(Shape.scalar()));
        assertFalse(Shape.of(2, 3).broadcastsTo(Shape.of(3)));
        assertFalse(Shape.of(2, 3).broadcastsTo(Shape.of(1, 3)));
        assertFalse(Shape.of(3, 1).broadcastsTo(Shape.of(1, 4)));
        assertFalse(Shape.of(1).broadcastsTo(Shape.scalar()));
    }

    @Test
    void broadcastOfEqualShapesReturnsThatShape() {
        assertEquals(Shape.of(2, 3), Shape.broadcast("add", Shape.of(2, 3), Shape.of(2, 3)));
        assertEquals(Shape.of(2, 1), Shape.broadcast("add", Shape.of(2, 1), Shape.of(2, 1)));
    }

    @Test
    void unravelInvertsRowMajorOrder() {
        Shape shape = Shape.of(2, 3, 4);
        int[] strides = shape.strides();
        for (int position = 0; position < shape.size(); position++) {
            int[] index = shape.unravel(position);
            assertEquals(position, index[0] * strides[0] + index[1] * strides[1] + index[2] * strides[2]);
        }
        assertArrayEquals(new int[] {1, 2}, Shape.of(2, 3).unravel(5));
        assertArrayEquals(new int[0], Shape.scalar().unravel(0));
        assertThrows(IllegalArgumentException.class, () -> Shape.of(2, 3).unravel(6));
    }

    @Test
    void reversedAxesReverseEveryAxis() {
        assertArrayEquals(new int[] {2, 1, 0}, Shape.of(2, 3, 4).reversedAxes());
        assertArrayEquals(new int[0], Shape.scalar().reversedAxes());
    }
}
