package dev.chainrule.nn.data;

import static dev.chainrule.nn.data.Messages.hex;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The decompressed bytes of a gzip file (RFC 1952), read strictly. {@link java.util.zip.GZIPInputStream} is not
 * used because it ignores whatever follows the last member when that is not another member, so a file with
 * garbage appended would read as if it were whole. Here every byte of the file is accounted for: each member's
 * header, its deflate data, its CRC-32 and size, then either the end of the file or another member.
 *
 * <p>Every problem is a {@link MalformedDataException} at a byte offset of the compressed file (where the
 * inflater stopped, for corrupt deflate data).
 */
final class GzipInput extends InputStream {
    private static final int FHCRC = 2, FEXTRA = 4, FNAME = 8, FCOMMENT = 16, RESERVED = 0xe0;

    private final InputStream file;
    private final Path path;
    private final byte[] buffer = new byte[1 << 16];
    private long bufferOffset; // offset in the file of buffer[0]
    private int start;         // buffer[start, end) is read from the file but not yet consumed
    private int end;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private boolean finished;

    /** Reads the first member's header from {@code file}, which must be at the file's first byte. */
    GzipInput(InputStream file, Path path) throws IOException {
        this.file = file;
        this.path = path;
        readHeader(rawByte());
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0 && !finished) {
            if (inflater.finished()) {
                endMember();
                continue;
            }
            if (inflater.needsInput()) {
                if (!fill()) {
                    throw error(offset(), "the file ends inside compressed data; expected more of it and the gzip"
                            + " trailer (the file is truncated)");
                }
                inflater.setInput(buffer, start, end - start);
            }
            int before = start;
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw error(offset(), "the compressed data is corrupt (" + e.getMessage() + ")");
            } finally {
                start = end - inflater.getRemaining();
            }
            if (n > 0) {
                crc.update(b, off, n);
                return n;
            }
            if (start == before && !inflater.needsInput() && !inflater.finished()) {
                throw error(offset(), "the compressed data cannot be decompressed (it asks for a preset dictionary"
                        + " or makes no progress)");
            }
        }
        return len == 0 ? 0 : -1;
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        file.close();
    }

    /** The trailer of the member just inflated, then the end of the file or the header of the next member. */
    private void endMember() throws IOException {
        long at = offset();
        long storedCrc = littleEndianInt("the gzip trailer (CRC-32 and size)");
        long storedSize = littleEndianInt("the gzip trailer (CRC-32 and size)");
        if (storedCrc != crc.getValue()) {
            throw error(at, String.format("the gzip trailer's CRC-32 is %08x but the data's is %08x (the data is"
                    + " corrupt)", storedCrc, crc.getValue()));
        }
        if (storedSize != (inflater.getBytesWritten() & 0xffffffffL)) {
            throw error(at + 4, "the gzip trailer gives a size of " + storedSize + " bytes (mod 2^32) but the data"
                    + " decompressed to " + inflater.getBytesWritten());
        }
        int next = rawByte();
        if (next < 0) {
            finished = true;
            return;
        }
        readHeader(next); // RFC 1952 lets members follow one another; anything else is refused there
        inflater.reset();
        crc.reset();
    }

    /** A member header (RFC 1952, 2.3.1) whose first byte has been read already. */
    private void readHeader(int first) throws IOException {
        long at = offset() - 1;
        CRC32 headerCrc = new CRC32();
        headerCrc.update(first);
        int second = headerByte(headerCrc);
        if (first != 0x1f || second != 0x8b) {
            throw error(at, "expected " + (at == 0 ? "" : "the end of the file or another gzip member: ")
                    + "the gzip magic number 0x1f 0x8b, found " + hex(first) + " " + hex(second));
        }
        int method = headerByte(headerCrc);
        if (method != 8) {
            throw error(at + 2, "compression method " + method + "; expected 8 (deflate), the only one gzip defines");
        }
        int flags = headerByte(headerCrc);
        if ((flags & RESERVED) != 0) {
            throw error(at + 3, "flags " + hex(flags) + " set reserved bits; expected them clear");
        }
        for (int i = 0; i < 6; i++) { // modification time, extra flags, operating system
            headerByte(headerCrc);
        }
        if ((flags & FEXTRA) != 0) {
            int length = headerByte(headerCrc) | headerByte(headerCrc) << 8;
            for (int i = 0; i < length; i++) {
                headerByte(headerCrc);
            }
        }
        for (int field : new int[] {FNAME, FCOMMENT}) {
            if ((flags & field) != 0) {
                while (headerByte(headerCrc) != 0) {
                    // a zero-terminated name or comment, not needed here
                }
            }
        }
        if ((flags & FHCRC) != 0) {
            long expected = headerCrc.getValue() & 0xffff;
            long headerCrcAt = offset();
            int stored = headerByte(headerCrc) | headerByte(headerCrc) << 8;
            if (stored != expected) {
                throw error(headerCrcAt, String.format("the gzip header's CRC-16 is %04x but the header's is %04x",
                        stored, expected));
            }
        }
    }

    private int headerByte(CRC32 headerCrc) throws IOException {
        int b = rawByte();
        if (b < 0) {
            throw error(offset(), "the file ends inside a gzip header");
        }
        headerCrc.update(b);
        return b;
    }

    private long littleEndianInt(String what) throws IOException {
        long value = 0;
        for (int i = 0; i < 4; i++) {
            int b = rawByte();
            if (b < 0) {
                throw error(offset(), "the file ends inside " + what + " (the file is truncated)");
            }
            value |= (long) b << (8 * i);
        }
        return value;
    }

    /** The next byte of the file itself, or −1 at its end. */
    private int rawByte() throws IOException {
        return start < end || fill() ? buffer[start++] & 0xff : -1;
    }

    /** Reads more of the file once the buffer is consumed; false at the end of the file. */
    private boolean fill() throws IOException {
        if (start < end) {
            return true;
        }
        bufferOffset += end;
        start = 0;
        end = 0;
        int n;
        do {
            n = file.read(buffer);
        } while (n == 0);
        end = Math.max(n, 0);
        return n > 0;
    }

    /** The offset in the file of the next byte not yet consumed. */
    private long offset() {
        return bufferOffset + start;
    }

    private MalformedDataException error(long offset, String problem) {
        return new MalformedDataException(path, "byte " + offset, problem);
    }
}
