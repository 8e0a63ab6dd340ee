package dev.chainrule.nn.data;

import static com.google.common.base.Preconditions.checkArgument;
import static dev.chainrule.nn.data.Messages.count;
import static dev.chainrule.nn.data.Messages.hex;

import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST, plain or gzipped (recognised by content, not by name).
 *
 * <pre>{@code
 * Dataset train = IdxReader.read(Path.of("train-images-idx3-ubyte.gz"), Path.of("train-labels-idx1-ubyte.gz"),
 *         1.0 / 255);   // 60000 rows of 784 pixels in [0, 1], labels 0–9
 * }</pre>
 *
 * <p>An IDX file is a header, then the elements in row-major order, big-endian:
 * <pre>
 * byte 0–1   0x00 0x00
 * byte 2     element type: 0x08 unsigned byte, 0x09 signed byte, 0x0B 16-bit, 0x0C 32-bit integer,
 *            0x0D 32-bit float, 0x0E 64-bit float
 * byte 3     number of dimensions, r
 * byte 4…    r sizes, each a 32-bit integer; then the elements
 * </pre>
 *
 * <p>Everything is checked, and any problem is a {@link MalformedDataException} naming the file, the byte offset
 * (in the decompressed data, for gzip), what was expected and what came: the magic number, the element type, the
 * number of dimensions, each size, the data against the sizes (too little, or anything after the end), NaN and
 * infinities in float data, and for labels their type, their count against the images and their sign.
 *
 * <p>A reader never allocates more than the file can hold. For a plain file, the sizes are checked against the
 * file's length before anything is allocated. A gzip file's decompressed length is not known until its end, so a
 * claim is first checked against what deflate can hold at most (1032 times the compressed length), and then the
 * array grows with the data that actually arrives (to at most twice that), so that a header that lies costs only
 * as much memory as the data that is there.
 */
public final class IdxReader {
    private static final int CHUNK_BYTES = 1 << 16; // a multiple of every element size

    private IdxReader() {}

    /**
     * Reads images and their labels as stored: {@code read(images, labels, 1)}.
     *
     * @param images an IDX file of n examples: sizes (n, …), any element type
     * @param labels an IDX file of n labels: sizes (n), an integer type, each label at least 0
     * @return the dataset: row i holds image i flattened in row-major order, with label i; as many classes as
     *     the largest label needs
     * @throws MalformedDataException if either file is not as described, or their counts differ
     * @throws IOException if a file cannot be read
     */
    public static Dataset read(Path images, Path labels) throws IOException {
        return read(images, labels, 1);
    }

    /**
     * Reads images and their labels, with every pixel multiplied by {@code scale} (1.0 / 255 for pixels in
     * [0, 1]).
     *
     * @param images an IDX file of n examples: sizes (n, …), any element type
     * @param labels an IDX file of n labels: sizes (n), an integer type, each label at least 0
     * @param scale the factor for every element of {@code images}, finite
     * @return the dataset: row i holds image i flattened in row-major order, times scale, with label i; as many
     *     classes as the largest label needs
     * @throws MalformedDataException if either file is not as described, or their counts differ
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException if the scale is not finite
     */
    public static Dataset read(Path images, Path labels, double scale) throws IOException {
        checkArgument(Double.isFinite(scale), "IdxReader.read: scale %s; expected a finite number", scale);
        try (FileBytes imageBytes = FileBytes.open(images); FileBytes labelBytes = FileBytes.open(labels)) {
            return read(imageBytes, labelBytes, scale);
        }
    }

    /** {@link #read(Path, Path, double)} from bytes already opened, which the caller closes. */
    static Dataset read(FileBytes imageBytes, FileBytes labelBytes, double scale) throws IOException {
        Header imageHeader = Header.read(imageBytes);
        if (imageHeader.dims.length == 0) {
            throw imageBytes.error(3, "found 0 dimensions; expected at least 1, the number of images");
        }
        Header labelHeader = Header.read(labelBytes);
        if (!labelHeader.type.integral) {
            throw labelBytes.error(2, "element type " + labelHeader.type + "; expected integers for labels");
        }
        if (labelHeader.dims.length != 1) {
            throw labelBytes.error(3, "found " + count(labelHeader.dims.length, "dimension")
                    + "; expected 1 for labels");
        }
        int n = imageHeader.dims[0];
        if (labelHeader.dims[0] != n) {
            throw labelBytes.error(4, "found " + count(labelHeader.dims[0], "label") + ", expected one per image: "
                    + n + " as in " + imageBytes.file());
        }
        int[] rest = Arrays.copyOfRange(imageHeader.dims, 1, imageHeader.dims.length);
        long d = Arrays.stream(rest).asLongStream().reduce(1, (a, b) -> Math.min(a * b, Dataset.MAX_ELEMENTS + 1L));
        if (d > Dataset.MAX_ELEMENTS) { // only possible with 0 images, or the sizes' product would be refused
            throw imageBytes.error(8, "images of " + times(rest) + " have more elements than a tensor can hold ("
                    + Dataset.MAX_ELEMENTS + ")");
        }
        String imageContents = count(n, "image") + (rest.length == 0 ? "" : " of " + times(rest)) + " ("
                + imageHeader.type.description + ")";
        // Unsigned bytes (MNIST's and Fashion-MNIST's pixels) stay bytes: an eighth of the memory of doubles.
        boolean compact = imageHeader.type == ElementType.UNSIGNED_BYTE;
        byte[] pixelBytes = compact ? readRaw(imageBytes, imageHeader, imageContents) : null;
        double[] pixels = compact ? null : readElements(imageBytes, imageHeader, imageContents, scale);
        String labelContents = count(n, "label") + " (" + labelHeader.type.description + ")";
        double[] values = readElements(labelBytes, labelHeader, labelContents, 1);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            if (values[i] < 0 || values[i] == Integer.MAX_VALUE) { // so that max label + 1 classes is an int
                throw labelBytes.error(labelHeader.dataStart + (long) i * labelHeader.type.size,
                        "found label " + (long) values[i] + "; expected a label in [0, " + Integer.MAX_VALUE + ")");
            }
            y[i] = (int) values[i];
        }
        return compact ? Dataset.ofUnsignedBytes(pixelBytes, n, (int) d, scale, y)
                : new Dataset(Tensor.adopt(Shape.of(n, (int) d), pixels), y);
    }

    /**
     * Reads any IDX file as a tensor of its sizes.
     *
     * @param file an IDX file, plain or gzipped
     * @return a tensor whose shape is the file's sizes (a scalar for 0 dimensions), holding its elements
     * @throws MalformedDataException if the file is not a whole, well-formed IDX file
     * @throws IOException if the file cannot be read
     */
    public static Tensor readTensor(Path file) throws IOException {
        try (FileBytes bytes = FileBytes.open(file)) {
            return readTensor(bytes);
        }
    }

    /** {@link #readTensor(Path)} from bytes already opened, which the caller closes. */
    static Tensor readTensor(FileBytes bytes) throws IOException {
        Header header = Header.read(bytes);
        Shape shape = Shape.of(header.dims);
        return Tensor.adopt(shape, readElements(bytes, header, "a " + shape + " tensor of " + header.type.description, 1));
    }

    /**
     * Reads the elements that follow the header, each times {@code scale}, and checks that nothing follows them.
     * A plain file's length is checked before anything is allocated; a gzip file's array grows as data arrives.
     */
    private static double[] readElements(FileBytes bytes, Header header, String contents, double scale)
            throws IOException {
        int count = header.elements();
        int size = header.type.size;
        long start = header.dataStart;
        String expected = checkLength(bytes, header, contents);
        double[] values;
        if (bytes.gzip()) {
            // The header's count is trusted only once the data has arrived: the compact raw bytes grow with it, and
            // the doubles are allocated once, at their exact size (a growing array of doubles would peak at 1.5×).
            byte[] raw = readGrowing(bytes, header.dataBytes(), start, expected);
            values = new double[count];
            decode(ByteBuffer.wrap(raw), 0, count, header, start, scale, bytes, values, 0);
        } else {
            values = new double[count];
            byte[] chunk = new byte[CHUNK_BYTES];
            for (int done = 0; done < count; ) {
                int n = Math.min(CHUNK_BYTES / size, count - done);
                int got = bytes.readFully(chunk, 0, n * size);
                if (got < n * size) {
                    throw bytes.error(start, expected + ", found " + ((long) done * size + got) + " before the end of "
                            + bytes.whole());
                }
                decode(ByteBuffer.wrap(chunk), 0, n, header, start, scale, bytes, values, done);
                done += n;
            }
        }
        checkEnd(bytes, contents);
        return values;
    }

    /** Reads the elements that follow the header as raw bytes (for unsigned bytes, the elements themselves). */
    private static byte[] readRaw(FileBytes bytes, Header header, String contents) throws IOException {
        long expectedBytes = header.dataBytes();
        String expected = checkLength(bytes, header, contents);
        byte[] raw;
        if (bytes.gzip()) {
            raw = readGrowing(bytes, expectedBytes, header.dataStart, expected);
        } else {
            raw = new byte[(int) expectedBytes]; // checked against the file's length
            int got = bytes.readFully(raw, 0, raw.length);
            if (got < raw.length) {
                throw bytes.error(header.dataStart, expected + ", found " + got + " before the end of " + bytes.whole());
            }
        }
        checkEnd(bytes, contents);
        return raw;
    }

    /**
     * Checks the header's claim against what the file can hold, before anything is allocated: a plain file's
     * remaining length exactly, a gzip file's against deflate's largest ratio.
     *
     * @return the expectation, for messages: {@code expected N bytes for …}
     */
    private static String checkLength(FileBytes bytes, Header header, String contents) throws IOException {
        long expectedBytes = header.dataBytes();
        long start = header.dataStart;
        String expected = "expected " + expectedBytes + " bytes for " + contents;
        long remaining = bytes.remainingAtMost();
        if (expectedBytes > remaining) {
            throw bytes.error(start, expected + (bytes.gzip()
                    ? ", more than a gzip file of " + bytes.fileSize() + " bytes can hold (deflate compresses at most "
                            + FileBytes.MAX_DEFLATE_RATIO + ":1)"
                    : ", found " + remaining + " before the end of the file"));
        }
        if (!bytes.gzip() && expectedBytes < remaining) {
            throw bytes.error(start + expectedBytes, "expected the end of the file after " + contents + ", found "
                    + count(remaining - expectedBytes, "more byte", "more bytes"));
        }
        return expected;
    }

    /** Reads a gzip file's data into an array that grows as it arrives, to exactly {@code expectedBytes}. */
    private static byte[] readGrowing(FileBytes bytes, long expectedBytes, long start, String expected)
            throws IOException {
        if (expectedBytes > Dataset.MAX_ELEMENTS) {
            throw bytes.error(start, expected + ", more than this reader holds in one array from a gzip file ("
                    + Dataset.MAX_ELEMENTS + " bytes)");
        }
        byte[] raw = new byte[(int) Math.min(expectedBytes, CHUNK_BYTES)];
        int got = 0;
        while (got < expectedBytes) {
            if (got == raw.length) {
                raw = Arrays.copyOf(raw, (int) Math.min(expectedBytes, 2L * got));
            }
            int read = bytes.readFully(raw, got, raw.length - got);
            got += read;
            if (got < raw.length) {
                throw bytes.error(start, expected + ", found " + got + " before the end of " + bytes.whole());
            }
        }
        return raw;
    }

    private static void checkEnd(FileBytes bytes, String contents) throws IOException {
        if (!bytes.atEnd()) {
            throw bytes.error(bytes.position(), "expected the end of " + bytes.whole() + " after " + contents
                    + ", found more data");
        }
    }

    /** Decodes n elements of {@code view} from byte {@code from} into values[offset…], each times scale, all finite. */
    private static void decode(ByteBuffer view, int from, int n, Header header, long start, double scale,
            FileBytes bytes, double[] values, int offset) throws MalformedDataException {
        int size = header.type.size;
        for (int i = 0; i < n; i++) {
            double value = header.type.decode(view, from + i * size);
            if (!Double.isFinite(value)) {
                throw bytes.error(start + (long) (offset + i) * size, "found " + value + "; expected a finite number");
            }
            values[offset + i] = value * scale;
        }
    }

    private static String times(int[] dims) {
        return IntStream.of(dims).mapToObj(String::valueOf).collect(Collectors.joining(" × "));
    }

    /** The element types of IDX (byte 2 of the header). */
    private enum ElementType {
        UNSIGNED_BYTE(0x08, 1, true, "unsigned bytes"),
        SIGNED_BYTE(0x09, 1, true, "signed bytes"),
        SHORT(0x0B, 2, true, "16-bit integers"),
        INT(0x0C, 4, true, "32-bit integers"),
        FLOAT(0x0D, 4, false, "32-bit floats"),
        DOUBLE(0x0E, 8, false, "64-bit floats");

        final int code;
        final int size;
        final boolean integral;
        final String description;

        ElementType(int code, int size, boolean integral, String description) {
            this.code = code;
            this.size = size;
            this.integral = integral;
            this.description = description;
        }

        static ElementType of(int code) {
            return Arrays.stream(values()).filter(t -> t.code == code).findFirst().orElse(null);
        }

        double decode(ByteBuffer buffer, int at) {
            return switch (this) {
                case UNSIGNED_BYTE -> buffer.get(at) & 0xff;
                case SIGNED_BYTE -> buffer.get(at);
                case SHORT -> buffer.getShort(at);
                case INT -> buffer.getInt(at);
                case FLOAT -> buffer.getFloat(at);
                case DOUBLE -> buffer.getDouble(at);
            };
        }

        /** As a message names it: {@code 0x08 (unsigned bytes)}. */
        @Override
        public String toString() {
            return hex(code) + " (" + description + ")";
        }
    }

    /** The header of an IDX file: its element type, its sizes, and where its elements start. */
    private static final class Header {
        final ElementType type;
        final int[] dims;
        final long dataStart;

        private Header(ElementType type, int[] dims) {
            this.type = type;
            this.dims = dims;
            this.dataStart = 4 + 4L * dims.length;
        }

        /** Reads and checks a header; the sizes' product must fit in a tensor. */
        static Header read(FileBytes bytes) throws IOException {
            byte[] start = new byte[4];
            int got = bytes.readFully(start, 0, 4);
            if (got < 4) {
                throw bytes.error(0, "expected an IDX header of 4 bytes (0x00, 0x00, element type, number of"
                        + " dimensions), found " + count(got, "byte") + " before the end of " + bytes.whole());
            }
            if (start[0] != 0 || start[1] != 0) {
                throw bytes.error(0, "expected 0x00 0x00, the start of an IDX file, found " + hex(start[0]) + " "
                        + hex(start[1]));
            }
            ElementType type = ElementType.of(start[2] & 0xff);
            if (type == null) {
                throw bytes.error(2, "element type " + hex(start[2]) + "; expected one of " + Arrays.stream(
                        ElementType.values()).map(ElementType::toString).collect(Collectors.joining(", ")));
            }
            int rank = start[3] & 0xff;
            ByteBuffer sizes = ByteBuffer.allocate(4 * rank);
            got = bytes.readFully(sizes.array(), 0, 4 * rank);
            if (got < 4 * rank) {
                throw bytes.error(4, "expected " + count(rank, "size") + " of 4 bytes each, found " + count(got, "byte")
                        + " before the end of " + bytes.whole());
            }
            int[] dims = new int[rank];
            long elements = 1;
            for (int i = 0; i < rank; i++) {
                long dim = sizes.getInt(4 * i) & 0xffffffffL;
                if (dim > Dataset.MAX_ELEMENTS) {
                    throw bytes.error(4 + 4L * i, "size " + (i + 1) + " of " + rank + " is " + dim
                            + "; expected at most " + Dataset.MAX_ELEMENTS);
                }
                dims[i] = (int) dim;
                elements = Math.min(elements * dim, Dataset.MAX_ELEMENTS + 1L); // saturates: no overflow
            }
            if (elements > Dataset.MAX_ELEMENTS) {
                throw bytes.error(4, "sizes " + times(dims) + " make more elements than a tensor can hold ("
                        + Dataset.MAX_ELEMENTS + ")");
            }
            return new Header(type, dims);
        }

        int elements() {
            return Arrays.stream(dims).reduce(1, (a, b) -> a * b); // checked to fit when read
        }

        /** The bytes of the elements that follow the header. */
        long dataBytes() {
            return (long) elements() * type.size;
        }
    }
}
