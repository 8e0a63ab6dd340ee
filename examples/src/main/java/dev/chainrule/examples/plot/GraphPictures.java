package dev.chainrule.examples.plot;

import dev.chainrule.autodiff.BackwardOptions;
import dev.chainrule.autodiff.BackwardTrace;
import dev.chainrule.autodiff.GraphDot;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.nn.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Draws a graph after a traced backward pass: Graphviz DOT text always, and an SVG picture when Graphviz's
 * {@code dot} program is installed.
 */
public final class GraphPictures {
    private static final long RENDER_SECONDS = 60;

    private GraphPictures() {}

    /**
     * Backpropagates {@code loss} with a trace, keeping the graph, and draws it with every value and gradient.
     *
     * @param loss a scalar whose graph has not been backpropagated yet
     * @return the DOT text
     */
    public static String traced(Variable loss) {
        BackwardTrace trace = new BackwardTrace();
        loss.backward(BackwardOptions.defaults().retainGraph().listener(trace));
        return GraphDot.of(loss, trace);
    }

    /**
     * Writes {@code NAME.dot}, and {@code NAME.svg} when {@code dot} is installed, atomically.
     *
     * @param dot the DOT text
     * @param folder where the files go; it must exist
     * @param name the files' name without extension
     * @return the files written
     * @throws IOException if a file cannot be written, or {@code dot} is installed but fails
     */
    public static List<Path> write(String dot, Path folder, String name) throws IOException {
        List<Path> written = new ArrayList<>();
        Path text = folder.resolve(name + ".dot");
        AtomicFiles.write(text, dot.getBytes(StandardCharsets.UTF_8));
        written.add(text);
        if (graphvizInstalled()) {
            Path svg = folder.resolve(name + ".svg");
            AtomicFiles.write(svg, render(text));
            written.add(svg);
        }
        return written;
    }

    /** @return whether Graphviz's {@code dot} is on the PATH */
    public static boolean graphvizInstalled() {
        String path = System.getenv("PATH");
        return path != null && List.of(path.split(java.io.File.pathSeparator)).stream()
                .anyMatch(folder -> !folder.isEmpty() && Files.isExecutable(Path.of(folder, "dot")));
    }

    private static byte[] render(Path text) throws IOException {
        Process dot = new ProcessBuilder("dot", "-Tsvg", text.toString()).redirectErrorStream(false).start();
        byte[] svg;
        try (InputStream out = dot.getInputStream()) {
            svg = out.readAllBytes();
        }
        try {
            if (!dot.waitFor(RENDER_SECONDS, TimeUnit.SECONDS)) {
                dot.destroyForcibly();
                throw new IOException("dot -Tsvg " + text + ": no answer within " + RENDER_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("dot -Tsvg " + text + ": interrupted", e);
        }
        if (dot.exitValue() != 0) {
            String why = new String(dot.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            throw new IOException("dot -Tsvg " + text + " failed (exit " + dot.exitValue() + "): " + why);
        }
        return svg;
    }
}
