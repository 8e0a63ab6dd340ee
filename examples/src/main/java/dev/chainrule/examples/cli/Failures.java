package dev.chainrule.examples.cli;

import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Reports a usage error as one line, the synopsis and a pointer to {@code --help}, with exit code 2; and a
 * command's failure as one line, {@code chainrule train: no such file: data.csv}, and exits with 1; the
 * stack trace only with {@code --verbose}. The messages of chainrule's own exceptions already name the file, the
 * offset or the argument; the JDK's file errors name only the path, so they are said in words here.
 */
final class Failures implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private final PrintStream err;
    private final BooleanSupplier verbose;

    Failures(PrintStream err, BooleanSupplier verbose) {
        this.err = err;
        this.verbose = verbose;
    }

    @Override
    public int handleExecutionException(Exception failure, CommandLine command, ParseResult parsed) {
        if (failure instanceof UsageError) {
            return usage(command, failure.getMessage());
        }
        err.println(command.getCommandSpec().qualifiedName() + ": " + describe(failure));
        if (verbose.getAsBoolean()) {
            failure.printStackTrace(err);
        } else if (!(failure instanceof java.io.IOException || failure instanceof IllegalArgumentException)) {
            err.println("(--verbose shows where it happened)");
        }
        return CommandLine.ExitCode.SOFTWARE;
    }

    /** A usage error: the message, the command's synopsis, and where to read more; exit code 2. */
    @Override
    public int handleParseException(ParameterException mistake, String[] args) {
        return usage(mistake.getCommandLine(), mistake.getMessage());
    }

    private int usage(CommandLine command, String message) {
        err.println(command.getCommandSpec().qualifiedName() + ": " + message);
        CommandLine.Help help = command.getHelp();
        err.print(help.synopsisHeading() + help.synopsis(help.synopsisHeadingLength()));
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** One line that says what went wrong and where. */
    static String describe(Throwable failure) {
        if (failure instanceof NoSuchFileException e) {
            return e.getReason() == null ? "no such file: " + e.getFile() : e.getFile() + ": " + e.getReason();
        }
        if (failure instanceof FileAlreadyExistsException e) {
            return e.getFile() + ": exists, and is not a folder";
        }
        if (failure instanceof AccessDeniedException e) {
            return "permission denied: " + e.getFile();
        }
        if (failure instanceof FileSystemException e && e.getReason() != null) {
            return e.getFile() + ": " + e.getReason();
        }
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message.lines().findFirst()
                .orElseThrow();
    }
}
