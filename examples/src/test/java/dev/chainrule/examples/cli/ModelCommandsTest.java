package dev.chainrule.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.core.Tensor;
import dev.chainrule.nn.Sequential;
import dev.chainrule.nn.data.CsvReader;
import dev.chainrule.nn.data.Dataset;
import dev.chainrule.nn.io.Models;
import dev.chainrule.nn.train.Evaluation;
import dev.chainrule.nn.train.Loss;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** evaluate and predict, against a model that train saved and an independent reading of the same files. */
class ModelCommandsTest {
    @TempDir
    Path folder;
    private Path model;
    private Path test;

    @BeforeEach
    void trainAModel() throws IOException {
        model = folder.resolve("model.safetensors");
        Path data = TrainTest.blobs(folder, 300, 11);
        Cli run = Cli.run("train", "--data", "csv:" + data, "--label-column", "kind", "--layers", "8", "--epochs",
                "15", "--batch", "16", "--lr", "0.02", "--save", model.toString(), "--out", folder.toString());
        assertEquals(0, run.exitCode(), run.toString());
        test = TrainTest.blobs(folder, 90, 12);
    }

    private Dataset testSet() throws IOException {
        return CsvReader.defaults().header(true).labelColumn("kind").read(test);
    }

    @Test
    void evaluateScoresTheSavedModelAsTheLibraryDoes() throws IOException {
        Cli run = Cli.run("evaluate", "--model", model.toString(), "--data", "csv:" + test, "--label-column", "kind",
                "--verbose");

        assertEquals(0, run.exitCode(), run.toString());
        Evaluation expected = Evaluation.of(Models.loadMlp(model), testSet(), Loss.softmaxCrossEntropy(), 1000);
        assertTrue(run.out().startsWith(String.format("accuracy %.4f  loss %.4f  (90 examples)%n",
                expected.accuracy(), expected.loss())), run.toString());
        assertTrue(expected.accuracy() >= 0.95, "the saved network kept what it learned: " + run);
        assertTrue(run.out().contains("true\\pred"), run.toString());
    }

    @Test
    void predictPrintsOneClassPerLineOrEachClasssProbability() throws IOException {
        Sequential net = Models.loadMlp(model);
        Dataset data = testSet();
        int[] expected = Evaluation.predict(net, data.features());

        Cli classes = Cli.run("predict", "--model", model.toString(), "--data", "csv:" + test, "--label-column",
                "kind");
        assertEquals(0, classes.exitCode(), classes.toString());
        assertArrayEquals(expected, classes.out().lines().mapToInt(Integer::parseInt).toArray());

        Cli probabilities = Cli.run("predict", "--model", model.toString(), "--data", "csv:" + test,
                "--label-column", "kind", "--proba");
        assertEquals(0, probabilities.exitCode(), probabilities.toString());
        Tensor p = Evaluation.probabilities(net, data.features());
        String[] lines = probabilities.out().split("\n");
        assertEquals(90, lines.length);
        for (int row = 0; row < lines.length; row++) {
            double[] printed = Arrays.stream(lines[row].split(",")).mapToDouble(Double::parseDouble).toArray();
            assertEquals(1, Arrays.stream(printed).sum(), 2e-6, lines[row]);
            assertArrayEquals(new double[] {p.get(row, 0), p.get(row, 1), p.get(row, 2)}, printed, 5e-7, "6 decimals");
        }
    }

    @Test
    void predictReadsAFileOfFeaturesOnly() throws IOException {
        Path features = Files.writeString(folder.resolve("features.csv"), Files.readAllLines(test).stream().skip(1)
                .map(line -> line.replaceFirst(",\\d+,", ","))       // drop the "kind" column
                .collect(Collectors.joining("\n", "", "\n")));
        Cli run = Cli.run("predict", "--model", model.toString(), "--data", "csv:" + features);

        assertEquals(0, run.exitCode(), run.toString());
        assertArrayEquals(Evaluation.predict(Models.loadMlp(model), testSet().features()),
                run.out().lines().mapToInt(Integer::parseInt).toArray());
    }

    @Test
    void aDamagedModelOrMismatchedDataIsOneLineNamingIt() throws IOException {
        byte[] whole = Files.readAllBytes(model);
        Path truncated = Files.write(folder.resolve("truncated.safetensors"), Arrays.copyOf(whole, whole.length - 9));
        Cli run = Cli.run("predict", "--model", truncated.toString(), "--data", "csv:" + test, "--label-column",
                "kind");
        assertEquals(1, run.exitCode(), run.toString());
        assertEquals(1, run.err().lines().count(), run.toString());
        assertTrue(run.err().startsWith("chainrule predict: ") && run.err().contains(truncated.toString()),
                run.toString());

        Path narrow = Files.writeString(folder.resolve("narrow.csv"), "1,2\n3,4\n");
        Cli mismatch = Cli.run("predict", "--model", model.toString(), "--data", "csv:" + narrow);
        assertEquals(1, mismatch.exitCode(), mismatch.toString());
        assertEquals("chainrule predict: csv:" + narrow + " has 2 features per example, but the model " + model
                + " takes 4\n", mismatch.err());

        Path unnamedLabel = Files.writeString(folder.resolve("labelled.csv"), "1,2,3,4,0\n5,6,7,8,1\n");
        Cli label = Cli.run("predict", "--model", model.toString(), "--data", "csv:" + unnamedLabel);
        assertEquals(1, label.exitCode(), label.toString());
        assertTrue(label.err().endsWith("takes 4 (is one of them the label? name its column with --label-column)\n"),
                label.toString());

        Path unknownClass = Files.writeString(folder.resolve("class7.csv"), "1,2,3,4,7\n");
        Cli classes = Cli.run("evaluate", "--model", model.toString(), "--data", "csv:" + unknownClass);
        assertEquals(1, classes.exitCode(), classes.toString());
        assertEquals("chainrule evaluate: csv:" + unknownClass + " has labels up to 7, but the model " + model
                + " scores 3 classes, 0 to 2\n", classes.err());

        Cli usage = Cli.run("evaluate", "--data", "csv:" + test);
        assertEquals(2, usage.exitCode(), usage.toString());
        assertTrue(usage.err().startsWith("chainrule evaluate: Missing required option: '--model=FILE'"),
                usage.toString());
    }
}
