package dev.chainrule.examples.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options that name a dataset, shared by {@code evaluate} and {@code predict}. */
final class DataOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "SOURCE",
            description = "The data: " + DataSource.FORMATS + ".")
    private String data;

    @Option(names = "--label-column", paramLabel = "COLUMN",
            description = "A CSV file's label column: a name (the file then has a header line) or an index from 0,"
                    + " negative from the end (default: the last).")
    private String labelColumn;

    @Option(names = "--header", description = "A CSV file's first line names its columns (implied when"
            + " --label-column is a name).")
    private boolean header;

    /** @return the source, or a usage error naming what is wrong with {@code --data} */
    DataSource source() {
        return source("--data", data);
    }

    /**
     * Another source in the same formats, read with the same CSV settings.
     *
     * @param option the option that names it, for the error message
     * @param text its value
     * @return the source, or a usage error naming what is wrong with it
     */
    DataSource source(String option, String text) {
        try {
            return DataSource.parse(text, labelColumn, header);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + " " + e.getMessage());
        }
    }
}
