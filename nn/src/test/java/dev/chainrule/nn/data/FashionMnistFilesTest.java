package dev.chainrule.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chainrule.core.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the real files when the Debian package dataset-fashion-mnist is installed; skipped otherwise. */
class FashionMnistFilesTest {
    private static void assumeInstalled() {
        assumeTrue(Files.isDirectory(FashionMnistFiles.DEBIAN_DIRECTORY),
                FashionMnistFiles.DEBIAN_DIRECTORY + " is absent: apt-get install dataset-fashion-mnist to run this test");
    }

    private static void assertFashionMnist(Dataset data, int rows) {
        assertEquals(rows, data.size());
        assertEquals(28 * 28, data.featureCount());
        assertEquals(10, data.classes());
        int[] perClass = new int[10];
        Arrays.stream(data.labels()).forEach(label -> perClass[label]++);
        int[] balanced = new int[10];
        Arrays.fill(balanced, rows / 10);
        assertArrayEquals(balanced, perClass, "Fashion-MNIST has as many images of each class");
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        Tensor features = data.features();
        for (int i = 0; i < features.size(); i++) {
            min = Math.min(min, features.getFlat(i));
            max = Math.max(max, features.getFlat(i));
        }
        assertEquals(0.0, min, "smallest pixel");
        assertEquals(1.0, max, "largest pixel");
    }

    @Test
    void readsTheTrainingAndTestSets() throws IOException {
        assumeInstalled();
        assertFashionMnist(FashionMnistFiles.train(FashionMnistFiles.DEBIAN_DIRECTORY), 60000);
        Dataset test = FashionMnistFiles.test(FashionMnistFiles.DEBIAN_DIRECTORY);
        assertFashionMnist(test, 10000);
        // The first test image is an ankle boot (label 9), as in the dataset's own documentation.
        assertEquals("Ankle boot", FashionMnistFiles.CLASS_NAMES.get(test.labels()[0]));
    }

    @Test
    void findsTheFilesUncompressedAndSaysWhatIsMissing(@TempDir Path dir) throws IOException {
        byte[] images = IdxFiles.idx(IdxFiles.UNSIGNED_BYTE, new int[] {1, 28, 28}, new double[28 * 28]);
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), images);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxFiles.gzip(IdxFiles.idx(0x08, new int[] {1}, 3)));
        Dataset test = FashionMnistFiles.test(dir);
        assertEquals(new Dataset(Tensor.zeros(1, 784), new int[] {3}, 10), test);
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> FashionMnistFiles.train(dir));
        assertEquals(dir.resolve("train-images-idx3-ubyte.gz") + ": neither it nor train-images-idx3-ubyte exists"
                + " (on Debian: apt-get install dataset-fashion-mnist)", e.getMessage());
    }
}
