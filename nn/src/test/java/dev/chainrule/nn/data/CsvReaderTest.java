package dev.chainrule.nn.data;

import static dev.chainrule.nn.data.TestData.qt;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.chainrule.core.Shape;
import dev.chainrule.core.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CsvReaderTest {
    @TempDir
    Path dir;

    private Path write(String content) {
        return write(content.getBytes(StandardCharsets.UTF_8));
    }

    private Path write(byte[] content) {
        try {
            return Files.write(Files.createTempFile(dir, "data", ".csv"), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Dataset expected(int[] labels, int classes, double[]... rows) {
        return new Dataset(rows.length == 0 ? Tensor.zeros(0, 0) : Tensor.matrix(rows), labels, classes);
    }

    @Test
    void readsNumbersWithTheLabelInTheLastColumnByDefault() throws IOException {
        Dataset data = CsvReader.defaults().read(write("5.1,3.5,0\n-4.9,.5,2\n1e-3,7,1\n"));
        assertEquals(expected(new int[] {0, 2, 1}, 3, new double[] {5.1, 3.5}, new double[] {-4.9, .5},
                new double[] {1e-3, 7}), data);
    }

    @Test
    void readsAFileOfFeaturesOnlyWithEveryColumnAFeature() throws IOException {
        Tensor expected = Tensor.matrix(new double[] {5.1, 3.5, 0}, new double[] {-4.9, .5, 2.5});
        assertEquals(expected, CsvReader.defaults().readFeatures(write("5.1,3.5,0\n-4.9,.5,2.5\n")));
        // A label setting is for labelled files; a features file ignores it, even a name that needs a header.
        assertEquals(expected, CsvReader.defaults().header(true).labelColumn("y")
                .readFeatures(write("a,b,c\n5.1,3.5,0\n-4.9,.5,2.5\n")));
        assertEquals(Tensor.matrix(new double[] {7}), CsvReader.defaults().readFeatures(write("7\n")));
    }

    @Test
    void aFeaturesFileIsRefusedLikeAnyOtherAtItsFirstBadField() {
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> CsvReader.defaults().readFeatures(write("1,2,3\n4,x,6\n")));
        assertEquals(true, e.getMessage().contains("line 2, column 2"), e.getMessage());
        MalformedDataException ragged = assertThrows(MalformedDataException.class,
                () -> CsvReader.defaults().readFeatures(write("1,2,3\n4,5\n")));
        assertEquals(true, ragged.getMessage().contains("found 2 fields, expected 3"), ragged.getMessage());
    }

    @Test
    void readsAHeaderAndFindsTheLabelByNameOrPosition() throws IOException {
        Path file = write("\uFEFFsepal length, species ,petal\r\n1, 0 ,2\r\n3,1,4\r\n\r\n\n");
        Dataset expected = expected(new int[] {0, 1}, 3, new double[] {1, 2}, new double[] {3, 4});
        CsvReader reader = CsvReader.defaults().header(true).classes(3);
        assertEquals(expected, reader.labelColumn("species").read(file));
        assertEquals(expected, reader.labelColumn(1).read(file));
        assertEquals(expected, reader.labelColumn(-2).read(file));
    }

    @Test
    void readsOtherSeparatorsAndALastLineWithoutItsEnd() throws IOException {
        assertEquals(expected(new int[] {1}, 2, new double[] {2.5}),
                CsvReader.defaults().separator(';').labelColumn(0).read(write("1;2.5")));
        assertEquals(expected(new int[] {1}, 2, new double[] {2.5}),
                CsvReader.defaults().separator('\t').read(write("2.5\t1\n")));
    }

    @Test
    void aFileOfLabelsAloneHasNoFeatures() throws IOException {
        assertEquals(new Dataset(Tensor.zeros(Shape.of(2, 0)), new int[] {1, 0}),
                CsvReader.defaults().read(write("1\n0\n")));
    }

    @Test
    void whatIsWrittenIsReadBack() {
        qt().forAll(longs().all()).checkAssert(seed -> {
            Random random = new Random(seed);
            int rows = 1 + random.nextInt(20);
            int features = random.nextInt(5);
            int classes = 1 + random.nextInt(5);
            int labelAt = random.nextInt(features + 1);
            char separator = ",;\t|".charAt(random.nextInt(4));
            boolean header = random.nextBoolean();
            String lineEnd = random.nextBoolean() ? "\n" : "\r\n";
            double[] values = new double[rows * features];
            int[] labels = new int[rows];
            StringBuilder csv = new StringBuilder();
            List<String> names = new ArrayList<>();
            for (int j = 0; j <= features; j++) {
                names.add(j == labelAt ? "label" : "x" + j);
            }
            if (header) {
                csv.append(String.join(String.valueOf(separator), names)).append(lineEnd);
            }
            for (int i = 0; i < rows; i++) {
                labels[i] = random.nextInt(classes);
                for (int column = 0, j = 0; column <= features; column++) {
                    String field;
                    if (column == labelAt) {
                        field = String.valueOf(labels[i]);
                    } else {
                        values[i * features + j] = someDouble(random);
                        field = Double.toString(values[i * features + j++]);
                    }
                    csv.append(column == 0 ? "" : separator).append(random.nextInt(4) == 0 ? " " + field + " " : field);
                }
                csv.append(i < rows - 1 || random.nextBoolean() ? lineEnd : "");
            }
            CsvReader reader = CsvReader.defaults().header(header).separator(separator).classes(classes);
            reader = header && random.nextBoolean() ? reader.labelColumn("label")
                    : reader.labelColumn(random.nextBoolean() ? labelAt : labelAt - features - 1);
            Dataset read;
            try {
                read = reader.read(write(csv.toString()));
            } catch (IOException e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage() + " in\n" + csv, e);
            }
            assertEquals(new Dataset(Tensor.of(Shape.of(rows, features), values), labels, classes), read,
                    "seed " + seed + ", file:\n" + csv);
        });
    }

    private static double someDouble(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> random.nextInt(100) - 50;
            case 1 -> random.nextGaussian();
            case 2 -> random.nextGaussian() * 1e300;
            case 3 -> random.nextGaussian() * 1e-300;
            case 4 -> Double.MIN_VALUE * (random.nextBoolean() ? 1 : -1);
            default -> random.nextBoolean() ? -0.0 : Double.MAX_VALUE;
        };
    }

    static Stream<Arguments> malformedFiles() {
        CsvReader plain = CsvReader.defaults();
        CsvReader withHeader = plain.header(true);
        return Stream.of(
                Arguments.of("1,2,0\n3,4\n", plain, "line 2", "found 2 fields, expected 3 as on line 1"),
                Arguments.of("a,b,y\n1,2,0\n3,4,1,5\n", withHeader, "line 3",
                        "found 4 fields, expected 3 as on line 1 (the header)"),
                Arguments.of("1,,0\n", plain, "line 1, column 2", "empty field; expected a number"),
                Arguments.of("a,b,y\n1,2,0\n1,abc,0\n", withHeader, "line 3, column 2 (b)",
                        "found \"abc\", expected a number"),
                Arguments.of("1,NaN,0\n", plain, "line 1, column 2", "found \"NaN\", expected a finite number"),
                Arguments.of("1,-Infinity,0\n", plain, "line 1, column 2",
                        "found \"-Infinity\", expected a finite number"),
                Arguments.of("inf,1,0\n", plain, "line 1, column 1", "found \"inf\", expected a finite number"),
                Arguments.of("1,1e999,0\n", plain, "line 1, column 2",
                        "found \"1e999\", beyond the range of a double; expected a finite number"),
                Arguments.of("1,0x1p3,0\n", plain, "line 1, column 2", "found \"0x1p3\", expected a number"),
                Arguments.of("1,2.5d,0\n", plain, "line 1, column 2", "found \"2.5d\", expected a number"),
                Arguments.of("1,2 3,0\n", plain, "line 1, column 2", "found \"2 3\", expected a number"),
                Arguments.of("1,2\r3,0\n", plain, "line 1, column 2", "found \"2\\u000d3\", expected a number"),
                Arguments.of("1,\"2,5\",0\n", plain, "line 1, column 2",
                        "found a quote (\"); quoted fields are not supported: expected plain numbers separated by"
                                + " \",\""),
                Arguments.of("1,2,1.0\n", plain, "line 1, column 3",
                        "found \"1.0\"; expected a label: an integer in [0, 2147483647), written in digits"),
                Arguments.of("1,2,-1\n", plain, "line 1, column 3",
                        "found \"-1\"; expected a label: an integer in [0, 2147483647), written in digits"),
                Arguments.of("1,2,2147483647\n", plain, "line 1, column 3",
                        "found \"2147483647\"; expected a label: an integer in [0, 2147483647), written in digits"),
                Arguments.of("1,2,0\n1,2,cat\n", plain, "line 2, column 3",
                        "found \"cat\"; expected a label: an integer in [0, 2147483647), written in digits"),
                Arguments.of("x,y,class\n", plain.labelColumn(-1), "line 1, column 1", "found \"x\", expected a number"
                        + " (line 1 looks like a header that names the columns)"),
                Arguments.of("1,2,\n", plain, "line 1, column 3",
                        "empty field; expected a label: an integer in [0, 2147483647), written in digits"),
                Arguments.of("1,2,0\n1,2,3\n", plain.classes(3), "line 2, column 3",
                        "found \"3\"; expected a label: an integer in [0, 3), the 3 classes, written in digits"),
                Arguments.of("1,2,0\n\n3,4,1\n", plain, "line 2", "blank line; expected data, as line 3 holds more"),
                Arguments.of("\n1,2,0\n", plain, "line 1", "blank line; expected data, as line 2 holds more"),
                Arguments.of("", plain, "line 1", "the file ends; expected at least one line of data"),
                Arguments.of("\n\n", plain, "line 3", "the file ends; expected at least one line of data"),
                Arguments.of("a,b,y\n", withHeader, "line 2",
                        "the file ends; expected at least one line of data after the header"),
                Arguments.of("a,b,y\n1,2,0\n", plain, "line 1, column 1",
                        "found \"a\", expected a number (line 1 looks like a header that names the columns)"),
                Arguments.of("a,b,y\n1,2,0\n", withHeader.labelColumn("z"), "line 1",
                        "no column is named \"z\"; the header names [a, b, y]"),
                Arguments.of("c1,c2,c3,c4,c5,c6,c7,c8,c9,c10,c11,c12\n", withHeader.labelColumn("z"), "line 1",
                        "no column is named \"z\"; the header names [c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, …"
                                + " (12 in all)]"),
                Arguments.of("a,b\u0007,y\n1,x,0\n", withHeader, "line 2, column 2 (b\\u0007)",
                        "found \"x\", expected a number"),
                Arguments.of("a,y,y\n1,2,0\n", withHeader.labelColumn("y"), "line 1",
                        "more than one column is named \"y\"; the header names [a, y, y]"),
                Arguments.of("1,2,0\n", plain.labelColumn(3), "line 1",
                        "label column 3 does not exist: the line has 3 fields, so expected an index in [-3, 3)"),
                Arguments.of("1,2,0\n", plain.labelColumn(-4), "line 1",
                        "label column -4 does not exist: the line has 3 fields, so expected an index in [-3, 3)"));
    }

    @ParameterizedTest(name = "[{index}] {2}: {3}")
    @MethodSource("malformedFiles")
    void refusesMalformedFilesNamingTheLineColumnWhatCameAndWhatWasExpected(String content, CsvReader reader,
            String location, String problem) {
        Path file = write(content);
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> reader.read(file));
        assertEquals(file + ": " + location + ": " + problem, e.getMessage());
        assertEquals(file, e.file());
        assertEquals(location, e.location());
        assertEquals(problem, e.problem());
    }

    @Test
    void refusesBytesThatAreNotUtf8OnTheirOwnLine() {
        byte[] lines = new byte[20_000 * 6];
        for (int i = 0; i < 20_000; i++) {
            System.arraycopy("1.5,0\n".getBytes(StandardCharsets.US_ASCII), 0, lines, 6 * i, 6);
        }
        lines[6 * 12_345 + 1] = (byte) 0xff; // on line 12346, well past what a decoder reads ahead
        Path file = write(lines);
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> CsvReader.defaults().read(file));
        assertEquals("line 12346", e.location());
        assertEquals("expected UTF-8 text, found bytes that are not UTF-8", e.problem());
    }

    @Test
    void aCorruptedFieldIsReportedAtItsLineAndColumn() {
        String[] badNumbers = {"", "x", "NaN", "-inf", "1e400", "0x10", "1f", "1..2", "--1", "\"1\"", "1 2"};
        String[] badLabels = {"", "x", "1.0", "-1", "+1", "1e0", "99999999999", "\"1\""};
        qt().forAll(longs().all()).checkAssert(seed -> {
            Random random = new Random(seed);
            int rows = 1 + random.nextInt(10);
            int columns = 1 + random.nextInt(5);
            boolean header = random.nextBoolean();
            int badRow = random.nextInt(rows);
            int badColumn = random.nextInt(columns);
            boolean label = badColumn == columns - 1;
            String bad = label ? badLabels[random.nextInt(badLabels.length)]
                    : badNumbers[random.nextInt(badNumbers.length)];
            if (columns == 1 && bad.isEmpty()) {
                bad = "x"; // an empty line is a blank line, a different error
            }
            StringBuilder csv = new StringBuilder(header ? "c1" : "");
            if (header) {
                for (int j = 2; j <= columns; j++) {
                    csv.append(",c").append(j);
                }
                csv.append('\n');
            }
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < columns; j++) {
                    String good = j == columns - 1 ? Integer.toString(random.nextInt(3))
                            : Double.toString(random.nextGaussian());
                    csv.append(j == 0 ? "" : ",").append(i == badRow && j == badColumn ? bad : good);
                }
                csv.append('\n');
            }
            Path file = write(csv.toString());
            MalformedDataException e = assertThrows(MalformedDataException.class,
                    () -> CsvReader.defaults().header(header).read(file), "seed " + seed + ":\n" + csv);
            String expected = "line " + (badRow + 1 + (header ? 1 : 0)) + ", column " + (badColumn + 1)
                    + (header ? " (c" + (badColumn + 1) + ")" : "");
            assertEquals(expected, e.location(), "seed " + seed + ": " + e.getMessage() + " in\n" + csv);
        });
    }

    @Test
    void refusesOptionsThatCannotWork() {
        assertThrows(IllegalStateException.class, () -> CsvReader.defaults().labelColumn("y").read(write("1,0\n")));
        TestData.assertRefused("CsvReader.separator: \".\" could be read as part of a number, a quote, a space or a"
                + " line end", () -> CsvReader.defaults().separator('.'));
        TestData.assertRefused("CsvReader.classes: 0; expected at least 1", () -> CsvReader.defaults().classes(0));
    }

    @Test
    void aLongFileGrowsItsArraysAsItGoes() throws IOException {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            csv.append(i).append(',').append(-i).append(',').append(i % 7).append('\n');
        }
        Dataset data = CsvReader.defaults().read(write(csv.toString()));
        assertEquals(5000, data.size());
        assertEquals(Tensor.vector(4999, -4999), Tensor.vector(data.features().get(4999, 0),
                data.features().get(4999, 1)));
        assertArrayEquals(new int[] {0, 1, 2}, java.util.Arrays.copyOf(data.labels(), 3));
        assertEquals(7, data.classes());
    }
}
