package dev.chainrule.examples.cli;

import picocli.CommandLine.Option;

/** How to read a CSV file: which column holds the label, and whether line 1 names the columns. */
final class CsvOptions {
    @Option(names = "--label-column", paramLabel = "COLUMN",
            description = "A CSV file's label column: a name (the file then has a header line) or an index from 0,"
                    + " negative from the end (default: the last).")
    private String labelColumn;

    @Option(names = "--header", description = "A CSV file's first line names its columns (implied when"
            + " --label-column is a name).")
    private boolean header;

    /**
     * @param option the option that names the source, for the error message
     * @param text its value
     * @return the source, read with these CSV settings
     * @throws UsageError naming the option, if the text names no source
     */
    DataSource source(String option, String text) {
        try {
            return DataSource.parse(text, labelColumn, header);
        } catch (IllegalArgumentException e) {
            throw new UsageError(option + " " + e.getMessage());
        }
    }
}
