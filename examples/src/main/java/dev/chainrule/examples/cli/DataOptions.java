package dev.chainrule.examples.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that name a dataset: {@code --data}, and how to read it if it is a CSV file. */
final class DataOptions {
    @Option(names = "--data", required = true, paramLabel = "SOURCE",
            description = "The data: " + DataSource.FORMATS + ".")
    private String data;

    @Mixin
    private CsvOptions csv;

    /** @return the source {@code --data} names */
    DataSource source() {
        return csv.source("--data", data);
    }

    /** @return another source, read with the same CSV settings */
    DataSource source(String option, String text) {
        return csv.source(option, text);
    }
}
