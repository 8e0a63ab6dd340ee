package dev.chainrule.examples.cli;

import dev.chainrule.core.Tensor;
import dev.chainrule.nn.data.CsvReader;
import dev.chainrule.nn.data.Dataset;
import dev.chainrule.nn.data.FashionMnistFiles;
import dev.chainrule.nn.data.IdxReader;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a command's data comes from, as {@code --data} names it:
 * <ul>
 *   <li>{@code fashion-mnist}, or {@code fashion-mnist:FOLDER}: the Debian package's files, training and test set;</li>
 *   <li>{@code idx:IMAGES,LABELS}: a pair of IDX files, pixels scaled by 1/255 as Fashion-MNIST's are;</li>
 *   <li>{@code csv:PATH}: a CSV file of numbers, the label in {@code --label-column} (default: the last).</li>
 * </ul>
 */
record DataSource(String text, String kind, Path first, Path second, String labelColumn, boolean header) {
    static final String FORMATS = "fashion-mnist[:FOLDER], idx:IMAGES,LABELS or csv:PATH";

    /**
     * @param spec the {@code --data} text
     * @param labelColumn a CSV file's label column, by name (the file then has a header) or by index from 0
     *     (negative counts from the end); null for the last column
     * @param header whether a CSV file's first line names its columns; implied by a label column's name
     * @throws IllegalArgumentException saying what is wrong with {@code spec}, which it begins with
     */
    static DataSource parse(String spec, String labelColumn, boolean header) {
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon);
        String rest = colon < 0 ? "" : spec.substring(colon + 1);
        switch (kind) {
            case "fashion-mnist" -> {
                return new DataSource(spec, kind, rest.isEmpty() ? FashionMnistFiles.DEBIAN_DIRECTORY : Path.of(rest),
                        null, null, false);
            }
            case "idx" -> {
                String[] files = rest.split(",", -1);
                if (files.length != 2 || files[0].isEmpty() || files[1].isEmpty()) {
                    throw new IllegalArgumentException(spec + ": expected idx:IMAGES,LABELS, two files");
                }
                return new DataSource(spec, kind, Path.of(files[0]), Path.of(files[1]), null, false);
            }
            case "csv" -> {
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException(spec + ": expected csv:PATH");
                }
                return new DataSource(spec, kind, Path.of(rest), null, labelColumn, header);
            }
            default -> throw new IllegalArgumentException(spec + ": expected " + FORMATS);
        }
    }

    /** Whether the source holds a test set of its own (Fashion-MNIST's t10k files). */
    boolean hasTestSet() {
        return kind.equals("fashion-mnist");
    }

    /** @return the training examples, or the one file's */
    Dataset examples() throws IOException {
        return switch (kind) {
            case "fashion-mnist" -> FashionMnistFiles.train(first);
            case "idx" -> IdxReader.read(file(first), file(second), 1.0 / 255);
            default -> csv().read(file(first));
        };
    }

    /** @return the test set of a source that has one, else empty */
    Optional<Dataset> testSet() throws IOException {
        return hasTestSet() ? Optional.of(FashionMnistFiles.test(first)) : Optional.empty();
    }

    /**
     * The examples to score: a source's test set when it has one, else its one file.
     *
     * @return the examples
     */
    Dataset scored() throws IOException {
        return hasTestSet() ? FashionMnistFiles.test(first) : examples();
    }

    /**
     * The features to predict for: like {@link #scored()}, except that a CSV file needs no label column; it has one
     * only when {@code --label-column} names it, and that column is then left out.
     *
     * @return the features, one row per example
     */
    Tensor features() throws IOException {
        return kind.equals("csv") && labelColumn == null ? csv().readFeatures(file(first)) : scored().features();
    }

    @Override
    public String toString() {
        return text;
    }

    /**
     * @param path a file to read
     * @return the path
     * @throws FileSystemException naming the path, if it is a folder (reading one fails without naming it)
     */
    static Path file(Path path) throws FileSystemException {
        if (Files.isDirectory(path)) {
            throw new FileSystemException(path.toString(), null, "is a folder; expected a file");
        }
        return path;
    }

    private CsvReader csv() {
        CsvReader reader = CsvReader.defaults().header(header);
        if (labelColumn == null) {
            return reader;
        }
        try {
            return reader.labelColumn(Integer.parseInt(labelColumn));
        } catch (NumberFormatException name) {
            return reader.header(true).labelColumn(labelColumn);
        }
    }
}
