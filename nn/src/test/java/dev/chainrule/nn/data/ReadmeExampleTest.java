package dev.chainrule.nn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.core.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's data section, run: the code below is the README's, with files under a temporary folder. Its
 * Fashion-MNIST lines are {@link FashionMnistFilesTest}'s, which reads the real files only once.
 */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    /** A file like iris.csv: a header, four measurements and the class in a column named "species". */
    private Path irisLikeCsv() throws IOException {
        Random random = new Random(1);
        StringBuilder csv = new StringBuilder("sepal_length,sepal_width,petal_length,petal_width,species\n");
        for (int i = 0; i < 150; i++) {
            int species = i % 3;
            csv.append(String.format("%.1f,%.1f,%.1f,%.1f,%d%n", 5 + species + random.nextGaussian() * 0.3,
                    3 + random.nextGaussian() * 0.3, 1.5 + 2 * species + random.nextGaussian() * 0.3,
                    0.2 + species + random.nextGaussian() * 0.1, species));
        }
        return Files.writeString(dir.resolve("iris.csv"), csv.toString());
    }

    @Test
    void csvSplitStandardizeAndBatches() throws IOException {
        Path irisCsv = irisLikeCsv();

        Dataset iris = CsvReader.defaults().header(true).labelColumn("species").read(irisCsv);
        Dataset.Split parts = iris.split(0.8, 42);                  // 120 rows to train, 30 to validate
        Standardizer standardizer = Standardizer.fit(parts.train()); // μ and σ of the training rows only
        Dataset train = standardizer.apply(parts.train());
        Dataset validation = standardizer.apply(parts.validation());
        Batches batches = new Batches(train, 32, 42);               // 4 batches: 32, 32, 32 and 24 rows
        int rows = 0;
        for (int epoch = 0; epoch < 3; epoch++) {
            for (Dataset batch : batches.epoch(epoch)) {            // a new order each epoch, the same for each run
                Tensor x = batch.features();                        // (≤ 32 × 4)
                Tensor t = batch.oneHot();                          // (≤ 32 × 3)
                rows += x.shape().dim(0);
                assertEquals(x.shape().dim(0), t.shape().dim(0));
                assertEquals(3, t.shape().dim(1));
            }
        }

        assertEquals("Dataset(150 rows × 4 features, 3 classes)", iris.toString());
        assertEquals(120, train.size());
        assertEquals(30, validation.size());
        assertEquals(4, batches.count());
        assertEquals(3 * 120, rows);
        assertTrue(train.features().mean(false, 0).allClose(Tensor.zeros(4), 1e-12, 0));
    }

    @Test
    void anErrorSaysWhichFileWhereWhatCameAndWhatWasExpected() throws IOException {
        Path images = Files.write(dir.resolve("train-images-idx3-ubyte"),
                IdxFiles.concat(IdxFiles.header(IdxFiles.UNSIGNED_BYTE, 60000, 28, 28), new byte[1008]));
        Path labels = Files.write(dir.resolve("train-labels-idx1-ubyte"),
                IdxFiles.concat(IdxFiles.header(IdxFiles.UNSIGNED_BYTE, 60000), new byte[60000]));
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> IdxReader.read(images, labels, 1.0 / 255));
        assertEquals(images + ": byte 16: expected 47040000 bytes for 60000 images of 28 × 28 (unsigned bytes),"
                + " found 1008 before the end of the file", e.getMessage());
    }
}
