package dev.chainrule.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainruleTest {
    @TempDir
    Path folder;

    @Test
    void theMainJobLearnsTheSpiralsAndDrawsTwoPictures() throws IOException {
        Path out = folder.resolve("pictures");
        Cli run = Cli.run("--out", out.toString());

        assertEquals(0, run.exitCode(), run.toString());
        Matcher accuracy = Pattern.compile("test accuracy: (\\S+)").matcher(run.out());
        assertTrue(accuracy.find(), run.toString());
        assertTrue(Double.parseDouble(accuracy.group(1)) >= 0.97, "no straight line gets past ~0.6: " + run);
        for (String name : new String[] {"loss.png", "decision-regions.png"}) {
            BufferedImage picture = ImageIO.read(out.resolve(name).toFile());
            assertEquals(800, picture.getWidth(), name);
            assertEquals(600, picture.getHeight(), name);
            assertTrue(run.out().contains(out.resolve(name).toString()), "names the file it wrote: " + run);
        }
        String dot = Files.readString(out.resolve("graph.dot"));
        assertTrue(dot.startsWith("digraph") && dot.contains("layer1.W (2, 32)"), "the network's graph: " + dot);
        assertEquals("", run.err(), "no progress bar without a terminal, and no error");
    }

    @Test
    void aWrongOptionPrintsOneLineAndTheUsageAndExitsWith2() {
        Cli run = Cli.run("--epoch", "3");

        assertEquals(2, run.exitCode(), run.toString());
        String[] lines = run.err().split("\n");
        assertEquals("chainrule: Unknown options: '--epoch', '3'", lines[0], run.toString());
        assertTrue(lines[1].startsWith("Usage: chainrule "), run.toString());
        assertEquals("Try 'chainrule --help' for more information.", lines[lines.length - 1]);
        assertEquals("", run.out());
    }

    @Test
    void anOptionOutOfRangeIsAUsageError() {
        Cli run = Cli.run("--epochs", "0", "--out", folder.toString());

        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith("chainrule: --epochs must be at least 1, got 0\n"), run.toString());
    }

    @Test
    void aFailureIsOneLineWithoutAStackTraceUnlessVerbose() throws IOException {
        Path file = Files.writeString(folder.resolve("a-file"), "not a folder");
        Path inside = file.resolve("pictures");

        Cli quiet = Cli.run("--epochs", "1", "--out", inside.toString());
        assertEquals(1, quiet.exitCode(), quiet.toString());
        assertEquals(1, quiet.err().lines().count(), quiet.toString());
        assertTrue(quiet.err().startsWith("chainrule: ") && quiet.err().contains(file.toString()), quiet.toString());

        Cli verbose = Cli.run("--epochs", "1", "--out", inside.toString(), "--verbose");
        assertEquals(1, verbose.exitCode(), verbose.toString());
        assertTrue(verbose.err().contains("\tat "), "the stack trace: " + verbose);
    }

    @Test
    void verboseSaysWhichCodeComputesTheMatrixProducts() {
        Cli verbose = Cli.run("bench", "--steps", "1", "--case", "mazur-2-2-2 b1", "--verbose");
        assertEquals(0, verbose.exitCode(), verbose.toString());
        assertTrue(verbose.err().startsWith("chainrule: matrix products: java")
                || verbose.err().startsWith("chainrule: matrix products: native"), verbose.toString());

        Cli quiet = Cli.run("bench", "--steps", "1", "--case", "mazur-2-2-2 b1");
        assertEquals("", quiet.err(), quiet.toString());
    }

    @Test
    void helpAndVersionSucceed() {
        Cli help = Cli.run("--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().startsWith("Usage: chainrule"), help.toString());
        Cli version = Cli.run("--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.out().startsWith("chainrule "), version.toString());
    }
}
