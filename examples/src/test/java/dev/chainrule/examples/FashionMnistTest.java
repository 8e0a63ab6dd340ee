package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.nn.Sequential;
import dev.chainrule.nn.data.FashionMnistFiles;
import dev.chainrule.nn.data.Standardizer;
import dev.chainrule.nn.io.Models;
import dev.chainrule.nn.train.Evaluation;
import dev.chainrule.nn.train.Loss;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Fashion-MNIST program, run for one epoch on small files of the same format (the real run takes minutes;
 * README gives its command and result): it reads, standardizes, trains, evaluates and prints the test accuracy,
 * and saves a network that the file alone rebuilds, standardization included.
 */
class FashionMnistTest {
    @TempDir
    Path folder;

    /** An IDX file of unsigned bytes: magic 0 0 8 rank, the sizes as big-endian ints, then the bytes. */
    private void writeIdx(String name, byte[] data, int... sizes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * sizes.length + data.length);
        buffer.put(new byte[] {0, 0, 8, (byte) sizes.length});
        for (int size : sizes) {
            buffer.putInt(size);
        }
        Files.write(folder.resolve(name), buffer.put(data).array());
    }

    private void writeSet(String prefix, int n, Random random) throws IOException {
        byte[] images = new byte[n * 28 * 28];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
            for (int p = 0; p < 28 * 28; p++) { // each class brightens its own band of rows
                images[i * 784 + p] = (byte) (p / 28 / 3 == labels[i] ? 200 + random.nextInt(50) : random.nextInt(60));
            }
        }
        writeIdx(prefix + "-images-idx3-ubyte", images, n, 28, 28);
        writeIdx(prefix + "-labels-idx1-ubyte", labels, n);
    }

    @Test
    void trainsForAnEpochAndPrintsTheTestAccuracy() throws IOException {
        Random random = new Random(5);
        writeSet("train", 400, random);
        writeSet("t10k", 100, random);
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            FashionMnist.main(new String[] {"1", folder.toString(), folder.resolve("model.safetensors").toString()});
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);

        assertTrue(printed.lines().anyMatch(l -> l.startsWith("epoch 1/1  loss ")), printed);
        String last = printed.lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.matches("test accuracy: \\d\\.\\d{4}"), last);
        assertTrue(Double.parseDouble(last.substring(15)) > 0.9, "an easy problem is learnt in one epoch: " + last);
        Sequential restored = Models.loadMlp(folder.resolve("model.safetensors"));
        assertEquals(List.of("layer3.W (784, 256)", "layer3.b (256)", "layer6.W (256, 128)", "layer6.b (128)",
                "layer9.W (128, 10)", "layer9.b (10)"), restored.parameters().stream()
                .map(p -> p.name() + " " + p.variable().shape()).toList());
        Standardizer fitted = Standardizer.fit(FashionMnistFiles.train(folder));
        assertEquals(List.of(fitted.mean(), fitted.std()),
                restored.buffers().stream().map(b -> b.variable().value()).toList());
        double accuracy = Evaluation.of(restored, FashionMnistFiles.test(folder), Loss.softmaxCrossEntropy(), 1000)
                .accuracy();
        assertEquals(last, String.format("test accuracy: %.4f", accuracy), "the file alone scores raw test images");
    }
}
