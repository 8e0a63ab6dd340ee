package dev.chainrule.nn.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A model file that cannot be loaded as it stands: truncated, corrupt, of another format or version, or holding
 * tensors that do not fit the model being restored. It is the one exception that {@link ModelFile#read} throws for
 * a file's content; an {@link IOException} of another type means the file could not be read at all (it does not
 * exist, or permission is denied).
 *
 * <p>The message names the file, the byte offset where one applies, what was expected and what was found, e.g.
 * {@code model.safetensors at byte 0: the header length is 4294967296 bytes but only 1024 bytes follow it}.
 */
public final class ModelFileException extends IOException {
    private final transient Path file;
    /** The byte where the problem lies, or −1 for a problem with the file as a whole. */
    private final long offset;

    /**
     * A problem with the file as a whole, at no particular byte.
     *
     * @param file the file, as the caller named it
     * @param problem what was expected and what was found, without the file's name
     */
    public ModelFileException(Path file, String problem) {
        this(file, -1, problem);
    }

    /**
     * A problem at a byte of the file.
     *
     * @param file the file, as the caller named it
     * @param offset the byte offset from the start of the file, or −1 for none
     * @param problem what was expected and what was found, without the file's name
     */
    public ModelFileException(Path file, long offset, String problem) {
        super(Objects.requireNonNull(file, "ModelFileException: file is null") + (offset >= 0 ? " at byte " + offset : "")
                + ": " + Objects.requireNonNull(problem, "ModelFileException: problem is null"));
        this.file = file;
        this.offset = offset;
    }

    /**
     * The file that could not be loaded.
     *
     * @return its path, as the caller named it
     */
    public Path file() {
        return file;
    }

    /**
     * Where in the file the problem lies.
     *
     * @return the byte offset from the start of the file, or empty if the problem is not at one byte
     */
    public OptionalLong offset() {
        return offset >= 0 ? OptionalLong.of(offset) : OptionalLong.empty();
    }
}
