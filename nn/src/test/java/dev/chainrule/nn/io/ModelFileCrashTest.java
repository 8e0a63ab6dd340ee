package dev.chainrule.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A save killed outright (SIGKILL, as the OOM killer or {@code kill -9} does) leaves the old model or the new one,
 * complete: a child JVM saves a 4 MB model over one file in a loop, and is killed at a random moment of a save.
 */
class ModelFileCrashTest {
    private static final int KILLS = 5;
    private static final int ELEMENTS = 1 << 19; // 4 MiB of doubles

    @TempDir
    Path work;

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aSaveKilledAtAnyMomentLeavesTheOldModelOrTheNewOneIntact() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path folder = Files.createDirectory(work.resolve("models"));
        Path file = folder.resolve("model.safetensors");
        ModelFile.write(file, SavingLoop.model(0, ELEMENTS), SavingLoop.metadata(0));
        long onDisk = 0;
        int orphans = 0;
        for (int kill = 1; kill <= KILLS; kill++) {
            long first = kill * 1_000_000L;
            Path log = work.resolve("child-" + kill + ".log"); // not a pipe: Process.destroy closes those
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    SavingLoop.class.getName(), file.toString(), Integer.toString(ELEMENTS), Long.toString(first))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            int delay = random.nextInt(300);
            String where = "kill " + kill + " " + delay + " ms after the first save began (seed " + seed + ")";
            while (!Files.readString(log).startsWith("saving " + first + "\n")) {
                assertTrue(child.isAlive(), where + ": the child stopped before saving: " + Files.readString(log));
                Thread.sleep(2);
            }
            Thread.sleep(delay);
            child.destroyForcibly(); // SIGKILL on Linux: no finally block, no shutdown hook runs
            child.waitFor();

            // The file holds the last model saved before the kill, or the one being saved if its rename was done.
            long lastSaved = onDisk;
            long lastStarted = onDisk;
            int saves = 0;
            for (String line : Files.readAllLines(log)) {
                if (line.startsWith("saved ")) {
                    lastSaved = Long.parseLong(line.substring("saved ".length()));
                    saves++;
                } else if (line.startsWith("saving ")) {
                    lastStarted = Long.parseLong(line.substring("saving ".length()));
                } else {
                    throw new AssertionError(where + ": the child printed " + Files.readString(log));
                }
            }
            ModelFile.Contents contents = ModelFile.read(file); // intact, or this throws: the checksum passes
            long generation = Long.parseLong(contents.metadata().get("generation"));
            assertTrue(generation == lastSaved || generation == lastStarted, where + ": the file holds generation "
                    + generation + ", but the last saved was " + lastSaved + " and the last started " + lastStarted);
            assertEquals(SavingLoop.model(generation, ELEMENTS), contents.tensors(), where);
            onDisk = generation;

            List<String> others = ModelFiles.names(folder);
            others.remove("model.safetensors");
            assertTrue(others.size() <= 1 && others.stream().allMatch(
                    n -> n.matches("\\.model\\.safetensors\\.[0-9a-f]{16}\\.tmp")), where + ": the folder holds "
                    + others);
            orphans += others.size();
            System.out.printf("%s: %d saves completed; the file holds generation %d (%s); %d temporary file left%n",
                    where, saves, generation, generation == lastStarted && generation != lastSaved
                            ? "renamed before the kill, not yet reported" : generation == lastSaved && saves > 0
                            ? "the last completed save" : "the old model", others.size());
        }
        // The next save deletes the temporary files that killed saves left behind.
        ModelFile.write(file, SavingLoop.model(onDisk + 1, ELEMENTS), SavingLoop.metadata(onDisk + 1));
        assertEquals(List.of("model.safetensors"), ModelFiles.names(folder));
        System.out.printf("%d kills left %d orphaned temporary files; the next save deleted them%n", KILLS, orphans);
    }
}
