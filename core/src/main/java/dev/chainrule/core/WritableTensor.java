package dev.chainrule.core;

/**
 * Elements that their one owner overwrites in place, step after step, and that others read as a {@link Tensor}:
 * the storage of a value updated at every training step, such as a parameter's. Writing in place spares a fresh
 * array a step, which the JVM zeroes and which is cold in the caches: SGD's update of a 784 × 256 layer took
 * 135 µs into a new array and 36 in place.
 *
 * <p>Tensors are immutable, but {@link #tensor()} is not: {@link #write} changes what it reads. So the owner
 * gives it only to readers that are done with it before the next write, or that check a version before they
 * read it again; anyone else must be given a copy, or the owner must start over from a copy before it writes.
 * autodiff's {@code Variable.update} does the latter.
 */
public final class WritableTensor {
    private final double[] elements;
    private final Tensor tensor;

    /** Takes over {@code elements}, which no one else holds. */
    private WritableTensor(Shape shape, double[] elements) {
        this.elements = elements;
        this.tensor = new Tensor(shape, elements);
    }

    /**
     * @param source the first value
     * @return writable elements that start as a copy of {@code source}, which no write ever reaches
     */
    public static WritableTensor copyOf(Tensor source) {
        return new WritableTensor(source.shape(), source.toArray());
    }

    /**
     * @param shape the shape
     * @return writable elements of that shape, all zero
     */
    public static WritableTensor zeros(Shape shape) {
        return new WritableTensor(shape, new double[shape.size()]);
    }

    /**
     * @return the tensor over these elements: it reads what the last write left, and changes with the next
     */
    public Tensor tensor() {
        return tensor;
    }

    /**
     * Overwrites the elements in place.
     *
     * @param writer given the elements in row-major order, to change; it must not keep the array
     */
    public void write(ElementWriter writer) {
        writer.write(elements);
    }

    /** Changes elements in place. */
    @FunctionalInterface
    public interface ElementWriter {
        /**
         * @param elements the elements in row-major order, to overwrite; the array is lent for this call only
         */
        void write(double[] elements);
    }
}
