package dev.chainrule.nn.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file that does not hold what its format requires: truncated, corrupt, or holding a value that is not
 * allowed. Its message is one line that says which file, where in it, what was expected and what came, e.g.
 * {@code train.csv: line 7, column 3: found "abc", expected a number}.
 *
 * <p>Readers throw it for the content of a file and nothing else: a file that cannot be opened is a plain
 * {@link IOException} such as {@link java.nio.file.NoSuchFileException}. Nothing in a file is ever skipped
 * silently: what a reader does not refuse, it reads.
 */
public final class MalformedDataException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The file; not serialized, as {@link Path} is not serializable (the message keeps its name). */
    private final transient Path file;
    /** Where in the file, e.g. {@code line 7, column 3}. */
    private final String location;
    /** What was expected and what came. */
    private final String problem;

    /**
     * An error in {@code file} at {@code location}.
     *
     * @param file the file, named in the message as the caller gave it
     * @param location where in the file, e.g. {@code line 7, column 3} or {@code byte 16}; lines, columns and
     *     bytes are counted as an editor or a hex dump counts them (lines and columns from 1, bytes from 0)
     * @param problem what was expected and what came, e.g. {@code found "abc", expected a number}
     */
    public MalformedDataException(Path file, String location, String problem) {
        super(file + ": " + location + ": " + problem);
        this.file = file;
        this.location = location;
        this.problem = problem;
    }

    /**
     * The file that holds the error.
     *
     * @return the path as the reader was given it
     */
    public Path file() {
        return file;
    }

    /**
     * Where in the file, e.g. {@code line 7, column 3}, {@code byte 16}, or
     * {@code byte 16 of the decompressed data} for the inside of a gzip file.
     *
     * @return the location, as in the message
     */
    public String location() {
        return location;
    }

    /**
     * What was expected and what came.
     *
     * @return the problem, as in the message
     */
    public String problem() {
        return problem;
    }
}
