package dev.chainrule.nn.io;

import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The child process of {@link ModelFileCrashTest}: saves ever newer models over one file until it is killed,
 * printing {@code saving N} before each save and {@code saved N} after it.
 */
final class SavingLoop {
    private SavingLoop() {}

    /**
     * Saves generations {@code first}, {@code first + 1}, … of {@link #model} over a file, forever.
     *
     * @param args the file, the number of doubles in each model, and the first generation
     * @throws IOException if a save fails
     */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        int elements = Integer.parseInt(args[1]);
        for (long generation = Long.parseLong(args[2]); ; generation++) {
            Map<String, Tensor> model = model(generation, elements);
            System.out.println("saving " + generation);
            System.out.flush();
            ModelFile.write(file, model, metadata(generation));
            System.out.println("saved " + generation);
            System.out.flush();
        }
    }

    /** A model whose every value says its generation and its place, so that a mixture of two is seen at once. */
    static Map<String, Tensor> model(long generation, int elements) {
        double[] w = new double[elements - 16];
        for (int i = 0; i < w.length; i++) {
            w[i] = generation * 1e7 + i; // exact: below 2^53
        }
        double[] b = new double[16];
        java.util.Arrays.fill(b, -generation);
        Map<String, Tensor> model = new LinkedHashMap<>();
        model.put("W", Tensor.of(Shape.of(w.length / 8, 8), w));
        model.put("b", Tensor.vector(b));
        return model;
    }

    static Map<String, String> metadata(long generation) {
        return Map.of("generation", Long.toString(generation));
    }
}
