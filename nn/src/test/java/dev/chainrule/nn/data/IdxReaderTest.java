package dev.chainrule.nn.data;

import static dev.chainrule.nn.data.IdxFiles.DOUBLE;
import static dev.chainrule.nn.data.IdxFiles.FLOAT;
import static dev.chainrule.nn.data.IdxFiles.INT;
import static dev.chainrule.nn.data.IdxFiles.SHORT;
import static dev.chainrule.nn.data.IdxFiles.SIGNED_BYTE;
import static dev.chainrule.nn.data.IdxFiles.TYPES;
import static dev.chainrule.nn.data.IdxFiles.UNSIGNED_BYTE;
import static dev.chainrule.nn.data.IdxFiles.concat;
import static dev.chainrule.nn.data.IdxFiles.gzip;
import static dev.chainrule.nn.data.IdxFiles.header;
import static dev.chainrule.nn.data.IdxFiles.idx;
import static dev.chainrule.nn.data.TestData.qt;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] content) {
        try {
            return Files.write(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Two 2 × 3 images and their labels 1 and 0. */
    private static final byte[] IMAGES =
            idx(UNSIGNED_BYTE, new int[] {2, 2, 3}, 0, 1, 2, 3, 4, 255, 6, 7, 8, 9, 10, 11);
    private static final byte[] LABELS = idx(UNSIGNED_BYTE, new int[] {2}, 1, 0);
    private static final Dataset EXPECTED = new Dataset(
            Tensor.matrix(new double[] {0, 1, 2, 3, 4, 255}, new double[] {6, 7, 8, 9, 10, 11}), new int[] {1, 0});

    // ---- reading ----------------------------------------------------------------------------------------------

    @Test
    void readsImagesAndLabelsPlainOrGzippedWhateverTheirNames() throws IOException {
        assertEquals(EXPECTED, IdxReader.read(write("images", IMAGES), write("labels", LABELS)));
        assertEquals(EXPECTED, IdxReader.read(write("images.gz", gzip(IMAGES)), write("labels.gz", gzip(LABELS))));
        // gzip is recognised by its magic number, not the name, in both directions
        assertEquals(EXPECTED, IdxReader.read(write("a.idx", gzip(IMAGES)), write("b.gz", LABELS)));
    }

    @Test
    void scalesPixelsButNotLabels() throws IOException {
        Dataset scaled = IdxReader.read(write("images", IMAGES), write("labels", LABELS), 1.0 / 255);
        assertEquals(EXPECTED.features().mul(1.0 / 255), scaled.features());
        assertEquals(1.0, scaled.features().get(0, 5));
        assertEquals(Arrays.toString(EXPECTED.labels()), Arrays.toString(scaled.labels()));
        assertThrows(IllegalArgumentException.class,
                () -> IdxReader.read(write("images", IMAGES), write("labels", LABELS), Double.NaN));
    }

    /**
     * Unsigned-byte images stay bytes inside the dataset (an eighth of the memory): their subsets, splits, rows
     * and standardization must be those of the same dataset built from doubles, bit for bit.
     */
    @Test
    void imagesKeptAsBytesBehaveAsTheirDoubles() throws IOException {
        Random random = new Random(5);
        int n = 40, d = 12;
        double[] pixels = new double[n * d];
        double[] labelValues = new double[n];
        int[] labels = new int[n];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextInt(256);
        }
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(3);
            labelValues[i] = labels[i];
        }
        Dataset bytes = IdxReader.read(write("images", idx(UNSIGNED_BYTE, new int[] {n, 3, 4}, pixels)),
                write("labels", idx(UNSIGNED_BYTE, new int[] {n}, labelValues)), 1.0 / 255);
        double[] values = new double[n * d];
        for (int i = 0; i < values.length; i++) {
            values[i] = pixels[i] * (1.0 / 255);
        }
        Dataset doubles = new Dataset(Tensor.of(Shape.of(n, d), values), labels);
        assertEquals(doubles, bytes);
        assertEquals(bytes, doubles);
        assertEquals(doubles.hashCode(), bytes.hashCode());
        assertNotEquals(doubles.subset(0, 1), bytes.subset(0, 2));
        assertEquals(doubles.features(), bytes.features());
        assertSame(bytes.features(), bytes.features(), "the doubles are made once, while memory allows");
        int[] rows = {7, 0, 39, 7, 12};
        assertEquals(doubles.subset(rows), bytes.subset(rows));
        assertEquals(doubles.subset(rows).features(), bytes.subset(rows).features());
        assertEquals(doubles.split(0.75, 3), bytes.split(0.75, 3));
        double[] row = new double[d];
        bytes.row(39, row);
        assertArrayEquals(Arrays.copyOfRange(values, 39 * d, 40 * d), row);
        Standardizer fromBytes = Standardizer.fit(bytes);
        Standardizer fromDoubles = Standardizer.fit(doubles.features());
        Tensor probe = doubles.features();
        assertEquals(fromDoubles.apply(probe), fromBytes.apply(probe));
        assertEquals("Dataset(40 rows × 12 features, 3 classes)", bytes.toString());
        assertEquals(new Dataset(doubles.features(), labels, 5), bytes.withClasses(5));
        assertThrows(IllegalArgumentException.class, () -> bytes.withClasses(2));
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> bytes.subset(new int[(Integer.MAX_VALUE / d) + 1]));
        assertTrue(tooMany.getMessage().contains("more than 2^31 - 1 elements"), tooMany.getMessage());
    }

    @Test
    void whatIsWrittenIsReadBackForEveryElementTypeAndShape() {
        qt().forAll(longs().all()).checkAssert(seed -> {
            Random random = new Random(seed);
            int type = TYPES[random.nextInt(TYPES.length)];
            int[] dims = random.ints(random.nextInt(4), 0, 5).toArray();
            double[] values = new double[Shape.of(dims).size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = someValue(random, type);
            }
            byte[] file = idx(type, dims, values);
            Path path = write("tensor", random.nextBoolean() ? file : gzip(file, random.nextInt(10)));
            try {
                assertEquals(Tensor.of(Shape.of(dims), values), IdxReader.readTensor(path), "seed " + seed);
            } catch (IOException e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
        });
    }

    private static double someValue(Random random, int type) {
        return switch (type) {
            case UNSIGNED_BYTE -> random.nextInt(256);
            case SIGNED_BYTE -> random.nextInt(256) - 128;
            case SHORT -> random.nextInt(65536) - 32768;
            case INT -> random.nextInt();
            case FLOAT -> (float) (random.nextGaussian() * Math.pow(10, random.nextInt(60) - 30));
            default -> random.nextGaussian() * Math.pow(10, random.nextInt(600) - 300);
        };
    }

    @Test
    void readsGzipMembersOneAfterAnotherAndTheOptionalHeaderFields() throws IOException {
        byte[] twoMembers = concat(gzip(Arrays.copyOf(IMAGES, 7)), gzip(Arrays.copyOfRange(IMAGES, 7, IMAGES.length)));
        assertEquals(EXPECTED, IdxReader.read(write("images", twoMembers), write("labels", LABELS)));
        byte[] handWritten = IdxFiles.gzipWithOptionalFields(IMAGES);
        assertEquals(EXPECTED, IdxReader.read(write("images", handWritten), write("labels", LABELS)));
    }

    @Test
    void readsGzipAtDeflatesLargestCompressionRatio() throws IOException {
        int n = 1 << 21;
        byte[] gz = gzip(concat(header(UNSIGNED_BYTE, n), new byte[n]), Deflater.BEST_COMPRESSION);
        assertTrue((double) n / gz.length > 1000, "ratio " + (double) n / gz.length);
        assertEquals(Tensor.zeros(n), IdxReader.readTensor(write("zeros.gz", gz)));
    }

    // ---- refusing ---------------------------------------------------------------------------------------------

    /** Asserts that reading throws our exception, for {@code file}, with exactly this location and problem. */
    private static void assertMalformed(Path file, String location, String problem, Executable read) {
        MalformedDataException e = assertThrows(MalformedDataException.class, read);
        assertEquals(file + ": " + location + ": " + problem, e.getMessage());
        assertEquals(file, e.file());
    }

    private void assertTensorMalformed(byte[] content, String location, String problem) {
        Path file = write("tensor", content);
        assertMalformed(file, location, problem, () -> IdxReader.readTensor(file));
    }

    @Test
    void refusesABrokenHeaderAtItsByte() {
        assertTensorMalformed(new byte[0], "byte 0", "expected an IDX header of 4 bytes (0x00, 0x00, element type,"
                + " number of dimensions), found 0 bytes before the end of the file");
        assertTensorMalformed(new byte[] {0}, "byte 0", "expected an IDX header of 4 bytes (0x00, 0x00, element type,"
                + " number of dimensions), found 1 byte before the end of the file");
        assertTensorMalformed(new byte[] {0x50, 0x4b, 3, 4}, "byte 0",
                "expected 0x00 0x00, the start of an IDX file, found 0x50 0x4b");
        assertTensorMalformed(new byte[] {0, 0, 7, 1, 0, 0, 0, 0}, "byte 2", "element type 0x07; expected one of"
                + " 0x08 (unsigned bytes), 0x09 (signed bytes), 0x0b (16-bit integers), 0x0c (32-bit integers),"
                + " 0x0d (32-bit floats), 0x0e (64-bit floats)");
        assertTensorMalformed(new byte[] {0, 0, 8, 3, 0, 0, 0, 2, 0, 0}, "byte 4",
                "expected 3 sizes of 4 bytes each, found 6 bytes before the end of the file");
        assertTensorMalformed(header(UNSIGNED_BYTE, 1, 0x80000000), "byte 8",
                "size 2 of 2 is 2147483648; expected at most 2147483639");
        assertTensorMalformed(header(UNSIGNED_BYTE, 100_000, 100_000), "byte 4",
                "sizes 100000 × 100000 make more elements than a tensor can hold (2147483639)");
    }

    @Test
    void refusesDataThatDoesNotMatchTheHeader() {
        assertTensorMalformed(concat(header(UNSIGNED_BYTE, 60000, 28, 28), new byte[1008]), "byte 16",
                "expected 47040000 bytes for a (60000, 28, 28) tensor of unsigned bytes, found 1008 before the end of"
                        + " the file");
        assertTensorMalformed(concat(header(SHORT, 2, 2), new byte[11]), "byte 20",
                "expected the end of the file after a (2, 2) tensor of 16-bit integers, found 3 more bytes");
        assertTensorMalformed(idx(FLOAT, new int[] {3}, 1, Double.NaN, 2), "byte 12",
                "found NaN; expected a finite number");
        assertTensorMalformed(idx(DOUBLE, new int[] {2}, 1, Double.NEGATIVE_INFINITY), "byte 16",
                "found -Infinity; expected a finite number");
    }

    @Test
    void refusesImagesAndLabelsThatDoNotBelongTogether() {
        Path images = write("images", IMAGES);
        Path labels = write("labels", idx(FLOAT, new int[] {2}, 1, 0));
        assertMalformed(labels, "byte 2", "element type 0x0d (32-bit floats); expected integers for labels",
                () -> IdxReader.read(images, labels));
        Path matrix = write("matrix", idx(UNSIGNED_BYTE, new int[] {2, 1}, 1, 0));
        assertMalformed(matrix, "byte 3", "found 2 dimensions; expected 1 for labels",
                () -> IdxReader.read(images, matrix));
        Path three = write("three", idx(UNSIGNED_BYTE, new int[] {3}, 1, 0, 1));
        assertMalformed(three, "byte 4", "found 3 labels, expected one per image: 2 as in " + images,
                () -> IdxReader.read(images, three));
        Path negative = write("negative", idx(SIGNED_BYTE, new int[] {2}, 1, -3));
        assertMalformed(negative, "byte 9", "found label -3; expected a label in [0, 2147483647)",
                () -> IdxReader.read(images, negative));
        Path huge = write("huge", idx(INT, new int[] {2}, 1, Integer.MAX_VALUE));
        assertMalformed(huge, "byte 12", "found label 2147483647; expected a label in [0, 2147483647)",
                () -> IdxReader.read(images, huge));
        Path scalar = write("scalar", idx(UNSIGNED_BYTE, new int[0], 5));
        assertMalformed(scalar, "byte 3", "found 0 dimensions; expected at least 1, the number of images",
                () -> IdxReader.read(scalar, labels));
        Path short16 = write("images16", concat(header(UNSIGNED_BYTE, 2, 2, 3), new byte[7]));
        assertMalformed(short16, "byte 16", "expected 12 bytes for 2 images of 2 × 3 (unsigned bytes), found 7 before"
                + " the end of the file", () -> IdxReader.read(short16, write("labels", LABELS)));
    }

    @Test
    void refusesGzipDataThatDoesNotMatchTheHeaderAtItsDecompressedByte() {
        byte[] random = new byte[500];
        new Random(3).nextBytes(random);
        assertTensorMalformed(gzip(concat(header(UNSIGNED_BYTE, 10, 10, 10), random)),
                "byte 16 of the decompressed data", "expected 1000 bytes for a (10, 10, 10) tensor of unsigned bytes,"
                        + " found 500 before the end of the decompressed data");
        assertTensorMalformed(gzip(concat(IMAGES, new byte[] {1})), "byte 28 of the decompressed data",
                "expected the end of the decompressed data after a (2, 2, 3) tensor of unsigned bytes, found more"
                        + " data");
    }

    @Test
    void refusesAGzipFileThatIsCorruptTruncatedOrFollowedByAnything() {
        byte[] gz = gzip(IMAGES);
        int n = gz.length;
        assertTensorMalformed(concat(gz, "garbage".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), "byte " + n,
                "expected the end of the file or another gzip member: the gzip magic number 0x1f 0x8b, found 0x67"
                        + " 0x61");
        assertTensorMalformed(concat(gz, new byte[] {0x1f}), "byte " + (n + 1), "the file ends inside a gzip header");
        byte[] badCrc = gz.clone();
        badCrc[n - 8] ^= 1;
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> IdxReader.readTensor(write("crc", badCrc)));
        assertEquals("byte " + (n - 8), e.location());
        assertTrue(e.problem().matches("the gzip trailer's CRC-32 is [0-9a-f]{8} but the data's is [0-9a-f]{8}"
                + " \\(the data is corrupt\\)"), e.problem());
        byte[] badSize = gz.clone();
        badSize[n - 4] ^= 1;
        assertTensorMalformed(badSize, "byte " + (n - 4), "the gzip trailer gives a size of " + (IMAGES.length ^ 1)
                + " bytes (mod 2^32) but the data decompressed to " + IMAGES.length);
        assertTensorMalformed(Arrays.copyOf(gz, n - 3), "byte " + (n - 3),
                "the file ends inside the gzip trailer (CRC-32 and size) (the file is truncated)");
        byte[] method = gz.clone();
        method[2] = 7;
        assertTensorMalformed(method, "byte 2",
                "compression method 7; expected 8 (deflate), the only one gzip defines");
        byte[] flags = gz.clone();
        flags[3] = (byte) 0x80;
        assertTensorMalformed(flags, "byte 3", "flags 0x80 set reserved bits; expected them clear");
        byte[] headerCrc = IdxFiles.gzipWithOptionalFields(IMAGES);
        headerCrc[36] ^= 1; // the header's CRC-16: after 10 fixed bytes, 5 extra, "images.idx\0a comment\0"
        e = assertThrows(MalformedDataException.class, () -> IdxReader.readTensor(write("hcrc", headerCrc)));
        assertEquals("byte 36", e.location());
    }

    @Test
    void refusesCorruptDeflateDataAtAboutItsByte() {
        byte[] random = new byte[3000];
        new Random(4).nextBytes(random);
        byte[] gz = gzip(concat(header(UNSIGNED_BYTE, 3000), random));
        gz[10] = (byte) 0xff; // the first deflate block's header: BFINAL 1, BTYPE 11, which is reserved
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> IdxReader.readTensor(write("deflate", gz)));
        assertEquals("the compressed data is corrupt (invalid block type)", e.problem());
        assertTrue(e.location().matches("byte 1[01]"), e.location());
    }

    // ---- never more memory than the file can hold -------------------------------------------------------------

    /** Bytes allocated by this thread while {@code call} runs, which must throw our exception. */
    private static long allocatedWhileRefusing(Executable call) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        assertThrows(MalformedDataException.class, call);
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void aHeaderClaimingABillionImagesInAOneKilobyteFileIsRefusedAtOnceWithoutAllocatingThem() {
        byte[] plain = concat(header(UNSIGNED_BYTE, 1_000_000_000, 1, 1), new byte[1008]);
        Path file = write("billion", plain);
        Path labels = write("labels", concat(header(UNSIGNED_BYTE, 1_000_000_000), new byte[1016]));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertMalformed(file, "byte 16", "expected 1000000000 bytes for 1000000000 images of 1 × 1 (unsigned"
                    + " bytes), found 1008 before the end of the file", () -> IdxReader.read(file, labels));
            long allocated = allocatedWhileRefusing(() -> IdxReader.read(file, labels));
            assertTrue(allocated < 1 << 20, allocated + " bytes allocated");

            byte[] gz = gzip(plain);
            Path gzFile = write("billion.gz", gz);
            assertMalformed(gzFile, "byte 16 of the decompressed data", "expected 1000000000 bytes for 1000000000"
                    + " images of 1 × 1 (unsigned bytes), more than a gzip file of " + gz.length + " bytes can hold"
                    + " (deflate compresses at most 1032:1)", () -> IdxReader.read(gzFile, labels));

            Path big = write("big", concat(header(UNSIGNED_BYTE, 1_000_000_000, 28, 28), new byte[1008]));
            assertMalformed(big, "byte 4", "sizes 1000000000 × 28 × 28 make more elements than a tensor can hold"
                    + " (2147483639)", () -> IdxReader.read(big, labels));
        });
    }

    @Test
    void aGzipFileThatLiesWithinDeflatesLimitCostsOnlyTheMemoryOfItsData() {
        byte[] data = new byte[100_000];
        new Random(5).nextBytes(data); // incompressible, so the claim below is within 1032:1 of the file's size
        Path file = write("liar.gz", gzip(concat(header(UNSIGNED_BYTE, 10_000_000), data)));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            long allocated = allocatedWhileRefusing(() -> IdxReader.readTensor(file));
            // The claim would be 80 MB of doubles; the data that is there is 800 KB of them.
            assertTrue(allocated < 8_000_000, allocated + " bytes allocated");
        });
    }
}
