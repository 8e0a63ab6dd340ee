package dev.chainrule.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.examples.plot.GraphPictures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeachingCommandsTest {
    @TempDir
    Path folder;

    @Test
    void explainPrintsThePublishedFiguresFromTheTrace() {
        Cli run = Cli.run("explain");

        assertEquals(0, run.exitCode(), run.toString());
        for (String published : List.of("E = 0.298371109",
                "∂E/∂w5 = ∂E/∂out_o1 · ∂out_o1/∂net_o1 · ∂net_o1/∂w5 = "
                        + "0.74136507 · 0.18681560 · 0.59326999 = 0.0821670",
                "∂E/∂w1 = ∂E/∂out_h1 · ∂out_h1/∂net_h1 · ∂net_h1/∂w1 = "
                        + "0.036350306 · 0.24130071 · 0.05 = 0.000438567",
                "w5 = 0.35891648", "w6 = 0.40866619", "w7 = 0.51130127", "w8 = 0.56137012", "w1 = 0.14978072",
                "w2 = 0.19956143", "w3 = 0.24975114", "w4 = 0.29950229")) {
            assertTrue(run.out().contains(published), published + " in\n" + run);
        }
    }

    @Test
    void explainTrainsTheStepsAskedForAndRefusesNone() {
        Cli three = Cli.run("explain", "--steps", "3");
        assertEquals(0, three.exitCode(), three.toString());
        assertTrue(three.out().contains("E after 3 steps = "), three.toString());

        Cli none = Cli.run("explain", "--steps", "0");
        assertEquals(2, none.exitCode(), none.toString());
        assertTrue(none.err().startsWith("chainrule explain: --steps must be at least 1, got 0"), none.toString());
    }

    @Test
    void gradcheckPassesAtEachLambdaWithDifferencesBelowOneInABillion() {
        Cli run = Cli.run("gradcheck");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("λ = 0.0: J = ") && run.out().contains("λ = 3.0: J = "), run.toString());
        Matcher difference = Pattern.compile("relative difference = (\\S+)").matcher(run.out());
        int checks = 0;
        while (difference.find()) {
            assertTrue(Double.parseDouble(difference.group(1)) < 1e-9, run.toString());
            checks++;
        }
        assertEquals(2, checks, run.toString());

        Cli negative = Cli.run("gradcheck", "--lambda", "-5");
        assertEquals(2, negative.exitCode(), negative.toString());
        assertTrue(negative.err().startsWith("chainrule gradcheck: --lambda must be at least 0, got -5.0"),
                negative.toString());

        Cli one = Cli.run("gradcheck", "--lambda", "1.5");
        assertEquals(0, one.exitCode(), one.toString());
        assertTrue(one.out().startsWith("λ = 1.5: J = ") && !one.out().contains("λ = 3.0"), one.toString());
    }

    @Test
    void graphDrawsTheStepByStepNetworkWithValuesAndGradients() throws IOException {
        Cli run = Cli.run("graph", "--out", folder.toString());

        assertEquals(0, run.exitCode(), run.toString());
        String dot = Files.readString(folder.resolve("graph.dot"));
        assertTrue(dot.startsWith("digraph"), dot);
        assertTrue(dot.contains("w5\\nvalue 0.4\\ngrad 0.082167041"), dot);
        assertTrue(dot.contains("out_h1\\nvalue 0.59326999\\ngrad 0.036350306"), dot);
        Path svg = folder.resolve("graph.svg");
        assertEquals(GraphPictures.graphvizInstalled(), Files.exists(svg), run.toString());
        if (Files.exists(svg)) {
            assertTrue(Files.readString(svg).contains("<svg"), "an SVG picture");
            assertTrue(Files.readString(svg).contains("out_h1"), "of this graph");
        }
    }

    @Test
    void graphOfASavedModelShowsItsLayers() throws IOException {
        Path model = folder.resolve("m.safetensors");
        Path data = TrainTest.blobs(folder, 60, 9);
        assertEquals(0, Cli.run("train", "--data", "csv:" + data, "--label-column", "kind", "--layers", "5",
                "--epochs", "1", "--save", model.toString(), "--out", folder.toString()).exitCode());

        Cli run = Cli.run("graph", "--model", model.toString(), "--rows", "3", "--out", folder.toString());
        assertEquals(0, run.exitCode(), run.toString());
        String dot = Files.readString(folder.resolve("graph.dot"));
        assertTrue(dot.contains("layer2.W (4, 5)") && dot.contains("layer4.W (5, 3)"), dot);
        assertTrue(dot.contains("SoftmaxCrossEntropy") && dot.contains("(3, 3)"), "three rows, three classes: " + dot);

        Cli rowsOfData = Cli.run("graph", "--model", model.toString(), "--data", "csv:" + data, "--header",
                "--label-column", "1", "--out", folder.toString());
        assertEquals(0, rowsOfData.exitCode(), rowsOfData.toString());
        assertTrue(Files.readString(folder.resolve("graph.dot")).contains("(2, 3)"), "two rows of the data");

        Cli orphan = Cli.run("graph", "--data", "csv:" + data, "--out", folder.toString());
        assertEquals(2, orphan.exitCode(), orphan.toString());
        Cli missing = Cli.run("graph", "--model", folder.resolve("none").toString(), "--out", folder.toString());
        assertEquals(1, missing.exitCode(), missing.toString());
        assertEquals("chainrule graph: no such file: " + folder.resolve("none") + "\n", missing.err());
    }
}
