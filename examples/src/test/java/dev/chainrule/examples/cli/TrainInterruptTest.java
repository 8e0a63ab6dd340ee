package dev.chainrule.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.nn.io.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --save} stopped by Ctrl-C (SIGINT, like SIGTERM: shutdown hooks run) or by a kill (SIGKILL: nothing
 * runs) leaves the previous model file as it was: the model is written once, at the end, atomically.
 */
class TrainInterruptTest {
    @TempDir
    Path folder;

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anInterruptedRunLeavesThePreviousModelFileWhole() throws Exception {
        Path data = TrainTest.blobs(folder, 3000, 7);
        Path model = folder.resolve("model.safetensors");
        assertEquals(0, train(data, model, "2").waitFor(), "the first, complete run saves a model");
        byte[] previous = Files.readAllBytes(model);
        ModelFile.read(model);

        for (Consumer<Process> stop : List.<Consumer<Process>>of(Process::destroy, Process::destroyForcibly)) {
            Process run = train(data, model, "1000");
            Path log = folder.resolve("train.log");
            while (!Files.readString(log).contains("epoch 2/1000")) {
                assertTrue(run.isAlive(), "stopped before its second epoch: " + Files.readString(log));
                Thread.sleep(5);
            }
            stop.accept(run);
            run.waitFor();
            assertArrayEquals(previous, Files.readAllBytes(model), "the model file changed: " + Files.readString(log));
            try (var files = Files.list(folder)) {
                assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file");
            }
        }
    }

    private Process train(Path data, Path model, String epochs) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Chainrule.class.getName(), "train", "--data", "csv:" + data, "--label-column", "kind", "--layers",
                "8", "--epochs", epochs, "--batch", "8", "--save", model.toString(), "--out", folder.toString())
                .redirectErrorStream(true).redirectOutput(folder.resolve("train.log").toFile()).start();
    }
}
