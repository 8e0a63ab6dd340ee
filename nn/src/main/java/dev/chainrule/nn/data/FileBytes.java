package dev.chainrule.nn.data;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bytes of a binary data file in order, decompressed when the file is gzip, which is recognised by its magic
 * number (0x1f 0x8b), not by its name. It counts the offset of the next byte and words errors there: "byte 16"
 * in a plain file, "byte 16 of the decompressed data" inside a gzip file.
 */
final class FileBytes implements Closeable {
    /**
     * Deflate's largest compression ratio, 1032:1 (zlib's technical notes): a gzip file of n bytes decompresses
     * to at most 1032·n bytes, which bounds what a header inside it can truthfully claim.
     */
    static final long MAX_DEFLATE_RATIO = 1032;

    private final Path file;
    private final InputStream in;
    private final boolean gzip;
    private final long fileSize;
    private long position;

    private FileBytes(Path file, InputStream in, boolean gzip, long fileSize) {
        this.file = file;
        this.in = in;
        this.gzip = gzip;
        this.fileSize = fileSize;
    }

    /** Opens {@code file}, and reads the gzip header if it is gzip. */
    static FileBytes open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            return of(file, in, Files.size(file));
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * The bytes of {@code in}, which holds {@code size} bytes, named {@code file} in messages; closing the result
     * closes {@code in}. Reads the gzip header if the bytes are gzip.
     */
    static FileBytes of(Path file, InputStream in, long size) throws IOException {
        InputStream raw = new BufferedInputStream(in, 1 << 16);
        raw.mark(2);
        boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        return new FileBytes(file, gzip ? new GzipInput(raw, file) : raw, gzip, size);
    }

    /** The file, as named in messages. */
    Path file() {
        return file;
    }

    /** The offset of the next byte: in the decompressed data for a gzip file. */
    long position() {
        return position;
    }

    boolean gzip() {
        return gzip;
    }

    /** The size of the file itself (compressed, for gzip). */
    long fileSize() {
        return fileSize;
    }

    /**
     * The most bytes that can still come: exactly the rest of a plain file, and for gzip deflate's bound, which
     * a file may fall far short of.
     */
    long remainingAtMost() {
        return gzip ? MAX_DEFLATE_RATIO * fileSize - position : fileSize - position;
    }

    /** Reads {@code len} bytes into {@code b} unless the data ends first; returns how many it read. */
    int readFully(byte[] b, int off, int len) throws IOException {
        int total = in.readNBytes(b, off, len);
        position += total;
        return total;
    }

    /** Whether the data has ended; reading on, for gzip, checks the last member's CRC-32 and size. */
    boolean atEnd() throws IOException {
        return in.read() < 0;
    }

    /** "the file", or "the decompressed data" of a gzip file: what ended, in a message. */
    String whole() {
        return gzip ? "the decompressed data" : "the file";
    }

    MalformedDataException error(long offset, String problem) {
        return new MalformedDataException(file, "byte " + offset + (gzip ? " of the decompressed data" : ""), problem);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
