package dev.chainrule.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainTest {
    @TempDir
    Path folder;

    /** Three well-separated Gaussian blobs in 4 features, with a header, the class in column "kind". */
    static Path blobs(Path folder, int rows, long seed) throws IOException {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("a,kind,b,c,d\n");
        for (int i = 0; i < rows; i++) {
            int c = i % 3;
            csv.append(String.format("%.4f,%d,%.4f,%.4f,%.4f%n", 4 * c + random.nextGaussian(), c,
                    -3 * c + random.nextGaussian(), random.nextGaussian(), 100 + 50 * random.nextGaussian()));
        }
        return Files.writeString(folder.resolve("blobs-" + seed + ".csv"), csv);
    }

    static double accuracy(Cli run) {
        Matcher m = Pattern.compile("test accuracy (\\S+)").matcher(run.out());
        assertTrue(m.find(), run.toString());
        return Double.parseDouble(m.group(1));
    }

    @Test
    void trainsOnACsvFileScoresTheHeldOutPartDrawsTheLossAndSaves() throws IOException {
        Path data = blobs(folder, 600, 1);
        Path model = folder.resolve("model.safetensors");
        Path out = folder.resolve("out");
        Cli run = Cli.run("train", "--data", "csv:" + data, "--label-column", "kind", "--test-split", "0.25",
                "--layers", "16", "--epochs", "5", "--batch", "32", "--lr", "0.02", "--save", model.toString(), "--out",
                out.toString(), "--verbose");

        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("training mlp 4-16-3 relu"), run.toString());
        assertTrue(run.out().contains("epoch 5/5"), run.toString());
        assertTrue(accuracy(run) >= 0.95, run.toString());
        assertTrue(run.out().contains("true\\pred"), "--verbose prints the confusion matrix: " + run);
        assertTrue(run.out().contains("(150 examples)"), "a quarter of 600 held out: " + run);
        assertEquals(800, ImageIO.read(out.resolve("loss.png").toFile()).getWidth());
        assertTrue(Files.size(model) > 0, "saved");
    }

    @Test
    void everyOptimizerLearnsTheBlobs() throws IOException {
        Path data = blobs(folder, 300, 2);
        Path test = blobs(folder, 300, 3);
        for (String optimizer : new String[] {"sgd", "momentum", "adam", "cg"}) {
            List<String> args = new ArrayList<>(List.of("train", "--data", "csv:" + data, "--test-data", "csv:" + test,
                    "--label-column", "kind", "--layers", "8", "--optimizer", optimizer, "--lambda", "0.1",
                    "--activation", "tanh", "--init", optimizer.equals("sgd") ? "he" : "xavier", "--out",
                    folder.toString()));
            if (optimizer.equals("cg")) {
                args.addAll(List.of("--epochs", "50"));               // iterations of full-batch line searches
            } else {
                String rate = optimizer.equals("adam") ? "0.02" : "0.1";
                args.addAll(List.of("--epochs", "10", "--batch", "16", "--lr", rate));
            }
            Cli run = Cli.run(args.toArray(new String[0]));
            assertEquals(0, run.exitCode(), run.toString());
            assertTrue(accuracy(run) >= 0.95, optimizer + ": " + run);
        }
    }

    @Test
    void theSameSeedGivesTheSameRun() throws IOException {
        Path data = blobs(folder, 120, 4);
        String[] args = {"train", "--data", "csv:" + data, "--label-column", "1", "--header", "--test-split", "0.5",
            "--layers", "4", "--epochs", "3", "--dropout", "0.1/0.2", "--validation", "0.2",
            "--out", folder.toString()};
        String first = Cli.run(args).out().replaceAll("[\\d,]+ examples/s.*", "");
        String second = Cli.run(args).out().replaceAll("[\\d,]+ examples/s.*", "");
        assertEquals(first, second);
        assertTrue(first.contains("validation loss"), first);
        assertTrue(first.contains("on 48 examples"), "half held out for testing, a fifth of the rest to validate: "
                + first);
    }

    @Test
    void wrongOptionsAreUsageErrors() throws IOException {
        Path data = blobs(folder, 30, 5);
        String[][] mistakes = {
            {"--data", "xyz"},
            {"--data", "idx:only-one"},
            {"--data", "csv:" + data, "--optimizer", "lbfgs"},
            {"--data", "csv:" + data, "--test-split", "1.5"},
            {"--data", "csv:" + data, "--test-split", "0.5", "--test-data", "csv:" + data},
            {"--data", "csv:" + data, "--epochs", "0"},
            {"--data", "csv:" + data, "--optimizer", "cg", "--dropout", "0.5"},
            {"--data", "csv:" + data, "--activation", "softplus"},
            {"--data", "csv:" + data, "--init", "ones"},
            {"--data", "csv:" + data, "--layers", "8,-1"},
            {"--epochs", "3"},
            {"--data", "csv:" + data, "--dropout", "0.5/0.5/0.5"},
            {"--data", "csv:" + data, "--dropout", "abc"},
            {"--data", "csv:" + data, "--dropout", "1"},
            {"--data", "csv:" + data, "--lr", "-1"},
            {"--data", "csv:" + data, "--epochs", "abc"},
            {"--data", "csv:" + data, "--optimizer", "cg", "--batch", "16"},
            {"--data", "csv:" + data, "--optimizer", "cg", "--validation", "0.2"},
            {"--data", "csv:" + data, "--label-column", "kind", "--test-split", "0.999"},
        };
        for (String[] mistake : mistakes) {
            String[] args = new String[mistake.length + 3];
            args[0] = "train";
            System.arraycopy(mistake, 0, args, 1, mistake.length);
            args[mistake.length + 1] = "--out";
            args[mistake.length + 2] = folder.toString();
            Cli run = Cli.run(args);
            assertEquals(2, run.exitCode(), run.toString());
            assertTrue(run.err().startsWith("chainrule train: "), run.toString());
            assertTrue(run.err().contains("Usage: chainrule train"), run.toString());
            assertTrue(!run.err().contains("\tat "), run.toString());
        }
    }

    @Test
    void theMainJobsOptionsBeforeASubcommandAreAUsageError() throws IOException {
        Cli run = Cli.run("--epochs", "1", "train", "--data", "csv:" + blobs(folder, 30, 6));
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith("chainrule: --epochs belongs to the main job"), run.toString());
    }

    @Test
    void aModelFileThatCannotBeSavedIsFoundBeforeTraining() throws IOException {
        Path data = blobs(folder, 30, 6);
        Path nowhere = folder.resolve("missing").resolve("m.safetensors");
        Cli missing = Cli.run("train", "--data", "csv:" + data, "--label-column", "kind", "--save",
                nowhere.toString(), "--out", folder.toString());
        assertEquals(1, missing.exitCode(), missing.toString());
        assertEquals("chainrule train: " + nowhere + ": its folder " + nowhere.getParent() + " does not exist\n",
                missing.err());
        assertEquals("", missing.out(), "nothing trained");

        Path aFolder = Files.createDirectory(folder.resolve("a-folder"));
        Cli intoAFolder = Cli.run("train", "--data", "csv:" + data, "--label-column", "kind", "--save",
                aFolder.toString(), "--out", folder.toString());
        assertEquals("chainrule train: " + aFolder + ": is a folder, not a file\n", intoAFolder.err());
        assertEquals("", intoAFolder.out(), "nothing trained");
    }

    @Test
    void dataThatCannotMakeAClassifierIsRefusedNamingIt() throws IOException {
        Path data = blobs(folder, 30, 6);
        Path wide = Files.writeString(folder.resolve("wide.csv"), "a,kind,b,c,d,e\n1,0,2,3,4,5\n6,1,7,8,9,10\n");
        Cli mismatch = Cli.run("train", "--data", "csv:" + data, "--label-column", "kind", "--test-data",
                "csv:" + wide, "--out", folder.toString());
        assertEquals(1, mismatch.exitCode(), mismatch.toString());
        assertTrue(mismatch.err().startsWith("chainrule train: csv:" + wide + " has 5 features per example, but"
                + " the training data has 4"), mismatch.toString());
        assertEquals("", mismatch.out(), "refused before training");

        Path stray = Files.writeString(folder.resolve("stray.csv"), "1,2,0\n3,4,1000000\n");
        Cli huge = Cli.run("train", "--data", "csv:" + stray, "--out", folder.toString());
        assertEquals(1, huge.exitCode(), huge.toString());
        assertTrue(huge.err().contains("the labels run from 0 to 1000000; expected 2 to 10000 classes"),
                huge.toString());

        Path oneClass = Files.writeString(folder.resolve("one.csv"), "1,2,0\n3,4,0\n");
        Cli single = Cli.run("train", "--data", "csv:" + oneClass, "--out", folder.toString());
        assertEquals(1, single.exitCode(), single.toString());
        assertTrue(single.err().contains("the labels run from 0 to 0; expected 2 to 10000 classes"), single.toString());

        Cli directory = Cli.run("train", "--data", "csv:" + folder, "--out", folder.toString());
        assertEquals("chainrule train: " + folder + ": is a folder; expected a file\n", directory.err());

        Path file = Files.writeString(folder.resolve("a-file"), "");
        Cli outIsAFile = Cli.run("train", "--data", "csv:" + data, "--label-column", "kind", "--out", file.toString());
        assertEquals("chainrule train: " + file + ": exists, and is not a folder\n", outIsAFile.err());
    }

    @Test
    void aMissingOrMalformedFileIsOneLineNamingIt() throws IOException {
        Path missing = folder.resolve("missing.csv");
        Cli absent = Cli.run("train", "--data", "csv:" + missing, "--out", folder.toString());
        assertEquals(1, absent.exitCode(), absent.toString());
        assertEquals("chainrule train: no such file: " + missing + "\n", absent.err());

        Path broken = Files.writeString(folder.resolve("broken.csv"), "1,2,0\n3,x,1\n");
        Cli malformed = Cli.run("train", "--data", "csv:" + broken, "--out", folder.toString());
        assertEquals(1, malformed.exitCode(), malformed.toString());
        assertEquals(1, malformed.err().lines().count(), malformed.toString());
        assertTrue(malformed.err().contains(broken + ": line 2, column 2"), malformed.toString());
    }
}
