package dev.chainrule.nn.data;

import static com.google.common.base.Preconditions.checkArgument;
import static dev.chainrule.nn.data.Messages.count;
import static dev.chainrule.nn.data.Messages.quote;

import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads a CSV file of numbers into a {@link Dataset}: every column is a feature but the label column, which holds
 * each row's class.
 *
 * <pre>{@code
 * Dataset iris = CsvReader.defaults().header(true).labelColumn("species").read(Path.of("iris.csv"));
 * }</pre>
 *
 * <p>The subset of CSV it reads, and refuses everything else with a {@link MalformedDataException} that names
 * the file, the line and column (both counted from 1), what it found and what it expected:
 * <ul>
 *   <li>UTF-8 text (a leading byte-order mark is ignored); lines end with {@code \n} or {@code \r\n}.</li>
 *   <li>Fields are separated by {@code ,} (or the {@link #separator} chosen), with no quoting: a quote
 *       character anywhere is refused, rather than misread. Spaces and tabs around a field are ignored.</li>
 *   <li>Every line has as many fields as the first (the header, when there is one).</li>
 *   <li>A feature is a finite decimal number such as {@code 3}, {@code -0.5}, {@code .5} or {@code 1e-3}. Empty
 *       fields, NaN, infinities, numbers beyond the range of a double, and Java's extras ({@code 1d},
 *       {@code 0x1p3}) are refused.</li>
 *   <li>A label is a non-negative integer written in digits, such as {@code 3}: not {@code 3.0}, and not a class
 *       name (map names to numbers before, so that training and test files agree on them).</li>
 *   <li>Whether the first line is a header is said, not guessed ({@link #header}): a header of numbers cannot be
 *       told from data, and a guess would silently drop a malformed first row. A header left undeclared fails
 *       on its first field, which is not a number.</li>
 *   <li>Blank lines are refused, except at the end of the file, where they hold nothing to skip. A file with
 *       no data line is refused.</li>
 * </ul>
 *
 * <p>Immutable: each option returns a new reader. Memory grows with what the file holds, never with what it
 * claims.
 */
public final class CsvReader {
    /** A decimal number as people write it; no NaN, no infinity, no hexadecimal, no type suffix. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("\\d+");
    private static final int INITIAL_ROWS = 1024;

    private final boolean header;
    private final int labelIndex;
    private final String labelName; // null when the label column is given by index
    private final char separator;
    private final int classes;      // 0: max label + 1

    private CsvReader(boolean header, int labelIndex, String labelName, char separator, int classes) {
        this.header = header;
        this.labelIndex = labelIndex;
        this.labelName = labelName;
        this.separator = separator;
        this.classes = classes;
    }

    /**
     * A reader for files without a header, with the label in the last column, separated by commas, with as many
     * classes as the largest label needs.
     *
     * @return the default reader
     */
    public static CsvReader defaults() {
        return new CsvReader(false, -1, null, ',', 0);
    }

    /**
     * Whether the first line names the columns rather than holding data.
     *
     * @param present true if there is a header line
     * @return a reader like this one with that setting
     */
    public CsvReader header(boolean present) {
        return new CsvReader(present, labelIndex, labelName, separator, classes);
    }

    /**
     * The label column by position.
     *
     * @param index counted from 0 like a Java index (so column 1 of an error message is index 0); negative
     *     counts from the end, so −1 is the last column
     * @return a reader like this one with that setting
     */
    public CsvReader labelColumn(int index) {
        return new CsvReader(header, index, null, separator, classes);
    }

    /**
     * The label column by its name in the header; needs {@code header(true)}.
     *
     * @param name the name exactly as the header spells it (spaces around it ignored); it must name one column
     * @return a reader like this one with that setting
     */
    public CsvReader labelColumn(String name) {
        checkArgument(!name.isBlank(), "CsvReader.labelColumn: the name is blank");
        return new CsvReader(header, 0, name.strip(), separator, classes);
    }

    /**
     * The character between fields.
     *
     * @param separator for instance {@code ','}, {@code ';'} or {@code '\t'}; not a character that can be part
     *     of a number, a quote, a space or a line end
     * @return a reader like this one with that setting
     * @throws IllegalArgumentException if the separator could be confused with a number, a quote or a line end
     */
    public CsvReader separator(char separator) {
        checkArgument("0123456789+-.eE\" \r\n".indexOf(separator) < 0,
                "CsvReader.separator: %s could be read as part of a number, a quote, a space or a line end",
                quote(String.valueOf(separator)));
        return new CsvReader(header, labelIndex, labelName, separator, classes);
    }

    /**
     * The number of classes; every label must be below it. Give it when a file may lack the largest class (a
     * small test file), so that one-hot widths agree with the training data.
     *
     * @param classes at least 1
     * @return a reader like this one with that setting
     */
    public CsvReader classes(int classes) {
        checkArgument(classes >= 1, "CsvReader.classes: %s; expected at least 1", classes);
        return new CsvReader(header, labelIndex, labelName, separator, classes);
    }

    /**
     * Reads the file.
     *
     * @param file a CSV file in the subset described above
     * @return a dataset with one row per data line, the feature columns in file order
     * @throws MalformedDataException at the first line that is not in that subset, or if the label column does
     *     not exist in the file
     * @throws IOException if the file cannot be read
     * @throws IllegalStateException if the label column is named but {@code header(true)} was not set
     */
    public Dataset read(Path file) throws IOException {
        Parse parse = parse(file, true);
        Tensor x = parse.features();
        int[] y = Arrays.copyOf(parse.labels, parse.rows);
        return classes == 0 ? new Dataset(x, y) : new Dataset(x, y, classes);
    }

    /**
     * Reads a file of features only, the data a model predicts for: every column is a feature, and the label
     * column setting is ignored.
     *
     * @param file a CSV file in the subset described above, without a label column
     * @return a matrix with one row per data line, the columns in file order
     * @throws MalformedDataException at the first line that is not in that subset
     * @throws IOException if the file cannot be read
     */
    public Tensor readFeatures(Path file) throws IOException {
        return parse(file, false).features();
    }

    private Parse parse(Path file, boolean labelled) throws IOException {
        if (labelled && labelName != null && !header) {
            throw new IllegalStateException("CsvReader: label column " + quote(labelName)
                    + " is given by name, which needs header(true)");
        }
        try (Utf8Lines lines = new Utf8Lines(Files.newInputStream(file))) {
            Parse parse = new Parse(file, lines, labelled);
            parse.run();
            return parse;
        }
    }

    /** One reading of one file: the state that {@link #read} needs while it goes through the lines. */
    private final class Parse {
        private final Path file;
        private final Utf8Lines lines;
        private final boolean labelled;
        private int lineNumber;
        private String[] names;       // from the header, or null
        private int columns = -1;     // set by the first line
        private int label = -1;       // the label's column, 0-based; -1 without one
        private double[] features = new double[0];
        private int[] labels = new int[INITIAL_ROWS];
        private int rows;

        Parse(Path file, Utf8Lines lines, boolean labelled) {
            this.file = file;
            this.lines = lines;
            this.labelled = labelled;
        }

        void run() throws IOException {
            int firstBlank = 0;
            for (String line = nextLine(); line != null; line = nextLine()) {
                if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    firstBlank = firstBlank == 0 ? lineNumber : firstBlank;
                    continue;
                }
                if (firstBlank != 0) {
                    throw error(firstBlank, "blank line; expected data, as line " + lineNumber + " holds more");
                }
                List<String> fields = split(line);
                if (columns < 0) {
                    start(fields);
                    if (header) {
                        continue;
                    }
                }
                addRow(fields);
            }
            if (rows == 0) {
                throw error(lineNumber + 1, "the file ends; expected at least one line of data"
                        + (header ? " after the header" : ""));
            }
        }

        /** The features read, one row per data line. */
        Tensor features() {
            int d = featureCount();
            return Tensor.adopt(Shape.of(rows, d), Arrays.copyOf(features, rows * d)); // the copy trims the array
        }

        private int featureCount() {
            return labelled ? columns - 1 : columns;
        }

        private String nextLine() throws IOException {
            try {
                String line = lines.next();
                lineNumber += line == null ? 0 : 1;
                return line;
            } catch (CharacterCodingException e) {
                throw error(lineNumber + 1, "expected UTF-8 text, found bytes that are not UTF-8");
            }
        }

        /** Fields of one line; a quote is refused here, before it can shift the columns. */
        private List<String> split(String line) throws MalformedDataException {
            List<String> fields = new ArrayList<>();
            int start = 0;
            for (int i = 0; i <= line.length(); i++) {
                if (i == line.length() || line.charAt(i) == separator) {
                    fields.add(line.substring(start, i).strip());
                    start = i + 1;
                } else if (line.charAt(i) == '"') {
                    throw error(lineNumber, fields.size(), "found a quote (\"); quoted fields are not supported:"
                            + " expected plain numbers separated by " + quote(String.valueOf(separator)));
                }
            }
            return fields;
        }

        /** The first line fixes the columns and, with a header, their names. */
        private void start(List<String> fields) throws MalformedDataException {
            columns = fields.size();
            names = header ? fields.toArray(new String[0]) : null;
            if (!labelled) {
                return;
            }
            if (labelName != null) {
                label = fields.indexOf(labelName);
                if (label < 0 || fields.lastIndexOf(labelName) != label) {
                    throw error(lineNumber, (label < 0 ? "no column is named " : "more than one column is named ")
                            + quote(labelName) + "; the header names " + Messages.list(fields));
                }
            } else {
                label = labelIndex < 0 ? columns + labelIndex : labelIndex;
                if (label < 0 || label >= columns) {
                    throw error(lineNumber, "label column " + labelIndex + " does not exist: the line has "
                            + count(columns, "field") + ", so expected an index in [" + -columns + ", " + columns
                            + ")");
                }
            }
        }

        private void addRow(List<String> fields) throws MalformedDataException {
            if (fields.size() != columns) {
                throw error(lineNumber, "found " + count(fields.size(), "field") + ", expected " + columns
                        + " as on line " + (header ? "1 (the header)" : "1"));
            }
            int d = featureCount();
            if ((long) (rows + 1) * d > Dataset.MAX_ELEMENTS) {
                throw error(lineNumber, count(rows + 1, "row") + " of " + count(d, "feature")
                        + " are more values than a tensor holds (" + Dataset.MAX_ELEMENTS + ")");
            }
            if (rows == labels.length) {
                labels = Arrays.copyOf(labels, 2 * rows);
            }
            if ((rows + 1) * d > features.length) {
                features = Arrays.copyOf(features, (int) Math.min(Dataset.MAX_ELEMENTS, (long) labels.length * d));
            }
            for (int column = 0, j = 0; column < columns; column++) {
                if (column == label) {
                    labels[rows] = parseLabel(fields.get(column), column);
                } else {
                    features[rows * d + j++] = parseNumber(fields.get(column), column);
                }
            }
            rows++;
        }

        private double parseNumber(String text, int column) throws MalformedDataException {
            if (!NUMBER.matcher(text).matches()) {
                throw error(lineNumber, column, text.isEmpty() ? "empty field; expected a number"
                        : "found " + quote(text) + ", expected a " + (isNonFinite(text) ? "finite " : "") + "number"
                                + headerHint(text));
            }
            double value = Double.parseDouble(text);
            if (Double.isInfinite(value)) {
                throw error(lineNumber, column, "found " + quote(text) + ", beyond the range of a double; expected a"
                        + " finite number");
            }
            return value;
        }

        private int parseLabel(String text, int column) throws MalformedDataException {
            int value = -1;
            try {
                value = LABEL.matcher(text).matches() ? Integer.parseInt(text) : -1;
            } catch (NumberFormatException tooLarge) {
                // falls through to the error below
            }
            int bound = classes > 0 ? classes : Integer.MAX_VALUE; // so that max label + 1 classes is an int
            if (value < 0 || value >= bound) {
                throw error(lineNumber, column, (text.isEmpty() ? "empty field" : "found " + quote(text))
                        + "; expected a label: an integer in [0, " + bound + ")"
                        + (classes > 0 ? ", the " + count(classes, "class", "classes") : "") + ", written in digits"
                        + headerHint(text));
            }
            return value;
        }

        /** A hint for a name on line 1 of a file read without a header, which is likely to be one. */
        private String headerHint(String text) {
            boolean name = !text.isEmpty() && (Character.isLetter(text.charAt(0)) || text.charAt(0) == '_');
            return lineNumber == 1 && !header && name && !isNonFinite(text)
                    ? " (line 1 looks like a header that names the columns)" : "";
        }

        private boolean isNonFinite(String text) {
            String t = text.toLowerCase(Locale.ROOT).replaceFirst("^[+-]", "");
            return t.equals("nan") || t.equals("inf") || t.equals("infinity");
        }

        private MalformedDataException error(int line, String problem) {
            return new MalformedDataException(file, "line " + line, problem);
        }

        private MalformedDataException error(int line, int column, String problem) {
            String name = names == null || column >= names.length ? ""
                    : " (" + Messages.printable(names[column]) + ")";
            return new MalformedDataException(file, "line " + line + ", column " + (column + 1) + name, problem);
        }
    }
}
