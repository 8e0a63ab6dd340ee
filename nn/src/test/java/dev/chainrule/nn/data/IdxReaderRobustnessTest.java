package dev.chainrule.nn.data;

import static dev.chainrule.nn.data.IdxFiles.INT;
import static dev.chainrule.nn.data.IdxFiles.SHORT;
import static dev.chainrule.nn.data.IdxFiles.SIGNED_BYTE;
import static dev.chainrule.nn.data.IdxFiles.TYPES;
import static dev.chainrule.nn.data.IdxFiles.UNSIGNED_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thousands of small IDX files, truncated or mutated at random, plain or gzipped: the reader either refuses one
 * with a {@link MalformedDataException} or reads exactly what an independent decoder reads, and never throws
 * anything else, hangs or runs out of memory.
 */
class IdxReaderRobustnessTest {
    private static final int EXAMPLES = Integer.getInteger("chainrule.examples", 3000);
    private static final Path IMAGES = Path.of("images"), LABELS = Path.of("labels");

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void mutatedFilesAreReadCorrectlyOrRefusedWithOurException() {
        qt().withExamples(EXAMPLES).forAll(longs().all()).checkAssert(seed -> {
            try {
                check(new Random(seed));
            } catch (Throwable e) {
                throw new AssertionError("seed " + seed + ": " + e, e);
            }
        });
    }

    private static void check(Random random) throws IOException {
        int n = random.nextInt(5);
        int[] dims = IntStream.concat(IntStream.of(n), random.ints(random.nextInt(3), 1, 4)).toArray();
        int imageType = TYPES[random.nextInt(TYPES.length)];
        int labelType = new int[] {UNSIGNED_BYTE, UNSIGNED_BYTE, SIGNED_BYTE, SHORT, INT}[random.nextInt(5)];
        double[] pixels = random.doubles(Arrays.stream(dims).reduce(1, (a, b) -> a * b), 0, 100).map(Math::floor)
                .toArray();
        byte[] images = IdxFiles.idx(imageType, dims, pixels);
        byte[] labels = IdxFiles.idx(labelType, new int[] {n}, random.doubles(n, 0, 10).map(Math::floor).toArray());
        boolean gzipImages = random.nextInt(3) == 0, gzipLabels = random.nextInt(3) == 0;
        boolean mutateImages = random.nextBoolean();
        boolean mutateCompressed = random.nextBoolean();
        if (mutateImages && !(gzipImages && mutateCompressed)) {
            images = mutate(images, random);
        } else if (!mutateImages && !(gzipLabels && mutateCompressed)) {
            labels = mutate(labels, random);
        }
        images = gzipImages ? IdxFiles.gzip(images) : images;
        labels = gzipLabels ? IdxFiles.gzip(labels) : labels;
        if (mutateImages && gzipImages && mutateCompressed) {
            images = mutate(images, random);
        } else if (!mutateImages && gzipLabels && mutateCompressed) {
            labels = mutate(labels, random);
        }

        Dataset read = null;
        MalformedDataException refused = null;
        try (FileBytes x = FileBytes.of(IMAGES, new ByteArrayInputStream(images), images.length);
                FileBytes y = FileBytes.of(LABELS, new ByteArrayInputStream(labels), labels.length)) {
            read = IdxReader.read(x, y, 1);
        } catch (MalformedDataException e) {
            refused = e;
            assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        }

        byte[] plainImages = gzipImages ? IdxFiles.gunzip(images) : images;
        byte[] plainLabels = gzipLabels ? IdxFiles.gunzip(labels) : labels;
        Dataset expected = plainImages == null || plainLabels == null ? null
                : IdxFiles.decode(plainImages, plainLabels);
        if (refused == null || expected == null) {
            assertEquals(expected, read, refused == null ? "read" : "refused: " + refused.getMessage());
        } else {
            // The JDK's gzip reader ignores what follows the last member; ours refuses it. Only such a
            // gzip-level refusal, at a byte of the compressed file, may differ from the decoder's verdict.
            assertNotNull(refused.location().matches("byte \\d+") ? refused : null, "refused a file the decoder"
                    + " reads: " + refused.getMessage());
            assertEquals(true, refused.file().equals(IMAGES) ? gzipImages : gzipLabels, refused.getMessage());
        }
    }

    /** A truncation, changed bytes, appended, inserted or deleted bytes, or a changed header byte. */
    private static byte[] mutate(byte[] bytes, Random random) {
        byte[] b = bytes.clone();
        int at = random.nextInt(b.length);
        switch (random.nextInt(6)) {
            case 0 -> b = Arrays.copyOf(b, random.nextInt(b.length));
            case 1 -> {
                for (int i = random.nextInt(3); i >= 0; i--) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
            }
            case 2 -> b = IdxFiles.concat(b, randomBytes(random, 1 + random.nextInt(8)));
            case 3 -> {
                byte[] shorter = new byte[b.length - 1];
                System.arraycopy(b, 0, shorter, 0, at);
                System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
                b = shorter;
            }
            case 4 -> {
                byte[] longer = new byte[b.length + 1];
                System.arraycopy(b, 0, longer, 0, at);
                longer[at] = (byte) random.nextInt(256);
                System.arraycopy(b, at, longer, at + 1, b.length - at);
                b = longer;
            }
            default -> b[random.nextInt(Math.min(b.length, 16))] = (byte) new int[] {0, 1, 0x7f, 0x80, 0xff,
                    random.nextInt(256)}[random.nextInt(6)];
        }
        return b;
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
