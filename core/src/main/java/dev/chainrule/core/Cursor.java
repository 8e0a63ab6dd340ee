package dev.chainrule.core;

/**
 * Walks a shape in row-major order while keeping, for one or two other layouts, the flat offset of the same
 * index. A stride of 0 repeats an element, which is how broadcasting reads and how reductions accumulate.
 * Each step costs O(1) amortised, so every strided loop is linear in the number of elements.
 */
final class Cursor {
    private final int[] dims;
    private final int[] index;
    private final int[] stridesA;
    private final int[] stridesB;
    int offsetA;
    int offsetB;

    Cursor(Shape shape, int[] stridesA, int[] stridesB) {
        this.dims = shape.dimsShared();
        this.index = new int[dims.length];
        this.stridesA = stridesA;
        this.stridesB = stridesB;
    }

    /** Moves to the next index in row-major order. */
    void next() {
        for (int axis = dims.length - 1; axis >= 0; axis--) {
            index[axis]++;
            offsetA += stridesA[axis];
            offsetB += stridesB[axis];
            if (index[axis] < dims[axis]) {
                return;
            }
            offsetA -= stridesA[axis] * dims[axis];
            offsetB -= stridesB[axis] * dims[axis];
            index[axis] = 0;
        }
    }

    /**
     * The strides of {@code from} read in the index space of {@code to}, aligned from the right as broadcasting
     * aligns them: axes where {@code from} has size 1, or that {@code from} lacks, get stride 0.
     */
    static int[] broadcastStrides(Shape from, Shape to) {
        int[] dims = from.dimsShared();
        int[] out = new int[to.rank()];
        int shift = to.rank() - from.rank();
        for (int i = 0; i < dims.length; i++) {
            out[i + shift] = dims[i] == 1 ? 0 : from.stride(i);
        }
        return out;
    }
}
